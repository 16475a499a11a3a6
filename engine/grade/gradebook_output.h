// The end of a class's grading, shared by `grade` and `gradebook merge`: copy detection over
// every row, the copy notes in the reports concerned, the statistics, and the gradebook files
// (gradebook.csv, gradebook.json, summary.txt, summary.html and the LMS exports asked for)
// written together:
// each to a temporary name first, then all renamed, so an interrupted run leaves none.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "grade/gradebook.h"
#include "grade/lms_export.h"
#include "grade/roster.h"

namespace tcpgrade {

struct GradebookExports {
  std::vector<LmsFormat> lms;  // each written as lms_file_name(format)
  LmsAssignment assignment;    // points: set by publish_gradebook to the scenario's maximum
  const Roster* roster = nullptr;
};

// Every file publish_gradebook may write in --out (reports/ aside): what a new run removes.
std::vector<std::string> gradebook_file_names();

// `rows` get their copy columns; the reports in `out`/reports of rows in a copy group are
// amended (grade_reports.h). Returns summary.txt's text. Throws OutputError naming a file.
std::string publish_gradebook(const std::filesystem::path& out, const std::string& scenario,
                              double max, std::vector<GradeRow>& rows,
                              GradebookExports exports = {});

}  // namespace tcpgrade
