#include "grade/gradebook.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "report/report.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

std::vector<std::string> escaped_all(const std::vector<std::string>& texts) {
  std::vector<std::string> escaped;
  for (const std::string& text : texts) escaped.push_back(escaped_utf8(text));
  return escaped;
}

// The class's write-ups at a glance: counts by status and the mean over every row (a missing or
// ungradable write-up counts as 0, as the capture's mean counts them).
struct WriteupSummary {
  size_t passed = 0, failed = 0, errors = 0, missing = 0;
  double mean = 0;
};

WriteupSummary summarize_writeups(const std::vector<GradeRow>& rows) {
  WriteupSummary out;
  double total = 0;
  for (const GradeRow& row : rows) {
    if (!row.writeup) continue;
    const std::string& status = row.writeup->status;
    ++(status == "pass"      ? out.passed
       : status == "fail"    ? out.failed
       : status == "missing" ? out.missing
                             : out.errors);
    total += writeup_percent(*row.writeup);
  }
  out.mean = rows.empty() ? 0 : total / static_cast<double>(rows.size());
  return out;
}

}  // namespace

std::string csv_cell(const std::string& text) {
  std::string cell = text;
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                        cell[0] == '\t' || cell[0] == '\r'))
    cell.insert(cell.begin(), '\'');
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

WriteupGrade missing_writeup() {
  WriteupGrade w;
  w.status = "missing";
  w.reason = "no write-up handed in";
  return w;
}

bool has_writeups(const std::vector<GradeRow>& rows) {
  return std::any_of(rows.begin(), rows.end(),
                     [](const GradeRow& row) { return row.writeup.has_value(); });
}

double writeup_percent(const WriteupGrade& writeup) {
  return writeup.max > 0 ? 100 * writeup.score / writeup.max : 0;
}

std::string gradebook_csv(const std::vector<GradeRow>& rows) {
  // New columns come last: a script that reads the first ones by position still works. The
  // write-up columns appear only when the class's write-ups are graded, so a class without
  // any keeps the gradebook it always had.
  const bool writeups = has_writeups(rows);
  std::string out =
      "id,file,score,max,status,reason,report,copy_group,copied_with,copy_evidence,percent";
  if (writeups)
    out +=
        ",writeup_file,writeup_score,writeup_max,writeup_percent,writeup_status,writeup_reason,"
        "writeup_report";
  out += "\r\n";
  for (const GradeRow& row : rows) {
    // Ids and files are students' file names: no control character reaches a terminal that
    // shows the gradebook (cat, less), whatever the spreadsheet would make of it. This is the
    // CSV's only escaping: csv_cell quotes, it does not escape.
    // Scores with at most two decimals (format_points); gradebook.json keeps the exact value.
    out += fmt::format("{},{},{},{},{},{},{},", csv_cell(terminal_safe(row.id)),
                       csv_cell(terminal_safe(row.file)), format_points(row.score),
                       format_points(row.max), row.status, csv_cell(terminal_safe(row.reason)),
                       csv_cell(terminal_safe(row.report)));
    std::string copied_with;
    for (const std::string& id : row.copied_with)
      copied_with += (copied_with.empty() ? "" : ";") + id;
    out += fmt::format("{},{},{},{}", row.copy_group ? std::to_string(row.copy_group) : "",
                       csv_cell(terminal_safe(copied_with)),
                       csv_cell(terminal_safe(row.copy_evidence)), format_points(row_percent(row)));
    if (writeups) {
      const WriteupGrade w = row.writeup.value_or(missing_writeup());
      out += fmt::format(",{},{},{},{},{},{},{}", csv_cell(terminal_safe(w.file)),
                         format_points(w.score), format_points(w.max),
                         format_points(writeup_percent(w)), w.status,
                         csv_cell(terminal_safe(w.reason)), csv_cell(terminal_safe(w.report)));
    }
    out += "\r\n";
  }
  return out;
}

std::string gradebook_json(const std::string& scenario, const std::vector<GradeRow>& rows,
                           const ClassSummary& summary, const std::vector<ClassCopyGroup>& copies) {
  nlohmann::ordered_json j;
  j["schema_version"] = report_schema_version;
  j["scenario"] = escaped_utf8(scenario);
  j["submissions"] = nlohmann::ordered_json::array();
  for (const GradeRow& row : rows) {
    // A file name need not be UTF-8: its other bytes are written \xNN, so two students whose
    // names differ only there stay two (U+FFFD would make them one).
    std::vector<std::string> failed_checks;
    for (const std::string& id : row.failed_checks) failed_checks.push_back(escaped_utf8(id));
    nlohmann::ordered_json copy_group = nullptr;
    if (row.copy_group) copy_group = row.copy_group;
    j["submissions"].push_back({{"id", escaped_utf8(row.id)},
                                {"file", escaped_utf8(row.file)},
                                {"score", row.score},
                                {"max", row.max},
                                {"percent", std::round(row_percent(row) * 100) / 100},
                                {"status", row.status},
                                {"reason", escaped_utf8(row.reason)},
                                {"failed_checks", failed_checks},
                                {"report", escaped_utf8(row.report)},
                                {"copy_group", copy_group},
                                {"copied_with", escaped_all(row.copied_with)},
                                {"copy_evidence", escaped_utf8(row.copy_evidence)}});
    if (row.writeup) {
      const WriteupGrade& w = *row.writeup;
      j["submissions"].back()["writeup"] = {{"file", escaped_utf8(w.file)},
                                            {"score", w.score},
                                            {"max", w.max},
                                            {"percent", std::round(writeup_percent(w) * 100) / 100},
                                            {"status", w.status},
                                            {"reason", escaped_utf8(w.reason)},
                                            {"report", escaped_utf8(w.report)}};
    }
  }
  j["copy_groups"] = nlohmann::ordered_json::array();
  for (const ClassCopyGroup& group : copies)
    j["copy_groups"].push_back({{"group", group.number},
                                {"ids", escaped_all(group.ids)},
                                {"evidence", escaped_all(group.evidence)}});
  nlohmann::ordered_json s;
  s["submissions"] = rows.size();
  s["passed"] = summary.passed;
  s["failed"] = summary.failed;
  s["errors"] = summary.errors;
  s["missing"] = summary.missing;
  s["max_points"] = summary.max;
  // Over every row: the ungradable and missing ones count as 0, as in gradebook.csv.
  s["mean_percent"] = summary.mean;
  s["mean_over"] = rows.size();
  s["ungradable_counted_as_zero"] = summary.errors;
  s["missing_counted_as_zero"] = summary.missing;
  s["histogram_percent"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < summary.histogram.size(); ++i)
    s["histogram_percent"].push_back(
        {{"from", i * 10}, {"to", i == 9 ? 100 : i * 10 + 9}, {"count", summary.histogram[i]}});
  s["common_failures"] = nlohmann::ordered_json::array();
  for (const auto& [id, count] : summary.common_failures)
    s["common_failures"].push_back({{"check", escaped_utf8(id)}, {"submissions", count}});
  if (has_writeups(rows)) {
    WriteupSummary w = summarize_writeups(rows);
    s["writeups"] = {{"passed", w.passed},
                     {"failed", w.failed},
                     {"errors", w.errors},
                     {"missing", w.missing},
                     {"mean_percent", std::round(w.mean * 100) / 100}};
  }
  j["summary"] = s;
  // Every string is valid UTF-8 by now (the scenario's name was read as UTF-8); `replace` is a
  // last guard that the gradebook is written whatever happens.
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string gradebook_summary_text(const std::string& scenario, const std::vector<GradeRow>& rows,
                                   const ClassSummary& summary,
                                   const std::vector<ClassCopyGroup>& copies) {
  std::string out = fmt::format(
      "tcpgrade grade — scenario {}: {} submissions, {} passed, {} failed, "
      "{} could not be graded, {} missing; out of {} points\n{}\n\n"
      "Scores (percent of the points):\n",
      terminal_safe(scenario), rows.size(), summary.passed, summary.failed, summary.errors,
      summary.missing, format_points(summary.max), mean_sentence(summary, rows.size()));
  if (has_writeups(rows)) {
    WriteupSummary w = summarize_writeups(rows);
    out.insert(
        out.find("\n\nScores"),
        fmt::format("\nwrite-ups: {} passed, {} failed, {} could not be reviewed, {} missing; "
                    "mean {} % over {} submissions (missing and unreviewable as 0)",
                    w.passed, w.failed, w.errors, w.missing, format_points(w.mean), rows.size()));
  }
  size_t widest = 1;
  for (size_t count : summary.histogram) widest = std::max(widest, count);
  for (size_t i = 0; i < summary.histogram.size(); ++i)
    out += fmt::format("  {:>3}-{:<3} {:>5}  {}\n", i * 10, i == 9 ? 100 : i * 10 + 9,
                       summary.histogram[i], std::string(summary.histogram[i] * 40 / widest, '#'));
  if (!summary.common_failures.empty()) {
    out += "\nMost common failed checks:\n";
    for (const auto& [id, count] : summary.common_failures)
      out += fmt::format("  {:>5}  {}\n", count, terminal_safe(id));
  }
  if (!copies.empty()) {
    out += "\nCopied captures (grades unchanged: the instructor decides):\n";
    for (const ClassCopyGroup& group : copies) {
      std::string ids;
      for (const std::string& id : group.ids) ids += (ids.empty() ? "" : ", ") + id;
      out += fmt::format("  group {}: {}\n", group.number, terminal_safe(ids));
      for (const std::string& line : group.evidence)
        out += fmt::format("    {}\n", terminal_safe(line));
    }
  }
  return out;
}

}  // namespace tcpgrade
