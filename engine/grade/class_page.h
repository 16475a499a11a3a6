// The class page, summary.html in grade's --out: for the instructor, self-contained like the
// HTML reports (nothing fetched): the score distribution, the most common failed checks and
// root causes as inline SVG bar charts, the copy groups, and a table of the students, sortable
// by clicking a header (a small inline script; `?sort=KEY` clicks that header once on load, so
// a headless browser can be asked for a sorted page), each row linking its HTML report.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "grade/gradebook.h"

namespace tcpgrade {

struct ClassPage {
  std::string scenario;
  const std::vector<GradeRow>& rows;
  const ClassSummary& summary;
  const std::vector<ClassCopyGroup>& copies;
  // The root causes of the class's reports, most frequent first: title and how many students.
  std::vector<std::pair<std::string, size_t>> root_causes{};
};

// The page. Every name, id and text in it is HTML-escaped (student ids are chosen by students).
std::string class_page_html(const ClassPage& page);

// How many students' reports name each root cause, read from their JSON reports
// (`row.report` with .json for .txt, below `out`); a report that cannot be read counts none.
// Most frequent first, then by title.
std::vector<std::pair<std::string, size_t>> count_root_causes(const std::filesystem::path& out,
                                                              const std::vector<GradeRow>& rows);

// "reports/j%C3%B6rgen.html" as a link: every byte but letters, digits, '-', '_', '.' and '/'
// percent-encoded, so the browser's decoding of the link gives back the file's own name.
std::string link_to(const std::string& path);

}  // namespace tcpgrade
