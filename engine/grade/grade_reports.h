// A submission's three reports, reports/ID.{txt,json,html}: written by its grading child when
// it was graded, by the batch when it could not be (its error row), and cleaned up when a child
// was killed while writing them.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "grade/submissions.h"
#include "report/report.h"

namespace tcpgrade {

// Where the text report of `s` is, relative to grade's --out: "reports/ID.txt" (its .json and
// .html beside it). The gradebooks name it, so each row says which report is its own.
std::string text_report_path(const Submission& s);

// The three reports rendered: text, JSON, HTML. Rendering is bounded like grading (the child
// runs it under its memory cap and deadline); writing them comes after.
struct RenderedReports {
  std::string text, json, html;
};
// `brief`: the text report without the scenario's teaches: sentences.
RenderedReports render_reports(const Report& report, bool brief = false);
// Each file to a temporary name, then renamed (OutputSink). Throws OutputError.
void write_reports(const std::filesystem::path& reports, const Submission& s,
                   const RenderedReports& rendered);
void write_error_reports(const std::filesystem::path& reports, const Submission& s,
                         const std::string& reason, const std::string& scenario);

// Copy detection comes after the batch, so the reports of a row in a copy group are amended:
// a "copy:" line appended to the text report, a "copy" object added to the JSON report (the
// HTML report is left as it is). Throws OutputError.
void note_copy_in_reports(const std::filesystem::path& reports, const Submission& s, size_t group,
                          const std::vector<std::string>& copied_with, const std::string& evidence);

// A child killed mid-write leaves its reports' temporary files (OutputSink: FILE.tmp.PID).
void remove_partial_reports(const std::filesystem::path& reports, const Submission& s, pid_t pid);

}  // namespace tcpgrade
