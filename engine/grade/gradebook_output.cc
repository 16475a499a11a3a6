#include "grade/gradebook_output.h"

#include <memory>

#include "grade/class_copies.h"
#include "grade/class_page.h"
#include "grade/grade_reports.h"
#include "util/output_sink.h"

namespace tcpgrade {
namespace {

namespace fs = std::filesystem;

// The row's reports as grade_reports names them: "reports/NAME.txt" gives NAME.
Submission report_owner(const GradeRow& row) {
  Submission s;
  s.id = row.id;
  std::string name = row.report;
  if (name.rfind("reports/", 0) == 0) name.erase(0, 8);
  if (name.size() > 4 && name.ends_with(".txt")) name.resize(name.size() - 4);
  s.safe_name = name;
  return s;
}

// All files appear together or none: written and flushed under temporary names, then renamed.
void write_together(const fs::path& out,
                    const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::unique_ptr<OutputSink>> sinks;
  for (const auto& [name, contents] : files) {
    sinks.push_back(std::make_unique<OutputSink>((out / name).string()));
    sinks.back()->write(contents);
    sinks.back()->finish();
  }
  size_t published = 0;
  try {
    for (; published < sinks.size(); ++published) sinks[published]->publish();
  } catch (...) {
    std::error_code ignored;
    for (size_t i = 0; i < published; ++i) fs::remove(out / files[i].first, ignored);
    throw;
  }
}

}  // namespace

std::vector<std::string> gradebook_file_names() {
  std::vector<std::string> names = {"gradebook.csv", "gradebook.json", "summary.txt",
                                    "summary.html"};
  for (const char* name : lms_file_names) names.push_back(name);
  return names;
}

std::string publish_gradebook(const fs::path& out, const std::string& scenario, double max,
                              std::vector<GradeRow>& rows, GradebookExports exports) {
  // Copies are flagged, never graded down: the instructor decides.
  std::vector<ClassCopyGroup> copies = mark_copies(rows);
  for (const GradeRow& row : rows)
    if (row.copy_group)
      note_copy_in_reports(out / "reports", report_owner(row), row.copy_group, row.copied_with,
                           row.copy_evidence);
  ClassSummary summary = summarize(rows);
  if (rows.empty()) summary.max = max;
  std::string text = gradebook_summary_text(scenario, rows, summary, copies);
  std::vector<std::pair<std::string, std::string>> files = {
      {"gradebook.csv", gradebook_csv(rows)},
      {"gradebook.json", gradebook_json(scenario, rows, summary, copies)},
      {"summary.txt", text},
      {"summary.html",
       class_page_html({scenario, rows, summary, copies, count_root_causes(out, rows)})}};
  exports.assignment.points = max;
  if (exports.assignment.name.empty()) exports.assignment.name = scenario;
  for (LmsFormat format : exports.lms)
    files.emplace_back(lms_file_name(format),
                       lms_export_csv(format, exports.assignment, rows, exports.roster));
  write_together(out, files);
  return text;
}

}  // namespace tcpgrade
