#include "report/report_limits.h"

#include <fmt/format.h>

#include <algorithm>

namespace tcpgrade {

std::string count_text(size_t n) {
  std::string digits = fmt::format("{}", n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string check_id_family(const std::string& id) {
  size_t dot = id.rfind('.');
  if (dot == std::string::npos) return id;
  return id.substr(0, dot + 1) + "*";
}

ConversationResult bounded_conversation(const ConversationResult& c) {
  ConversationResult out;
  out.stream = c.stream;
  out.client = c.client;
  out.server = c.server;
  out.state = c.state;
  out.history = c.history;
  out.variants = c.variants;
  out.passed_not_kept = c.passed_not_kept;
  out.points_not_kept = c.points_not_kept;
  out.max_points_not_kept = c.max_points_not_kept;
  out.rows_left_out = c.rows_left_out;
  out.rows_left_out_not_ok = c.rows_left_out_not_ok;
  out.rows_left_out_first = c.rows_left_out_first;
  out.rows_left_out_last = c.rows_left_out_last;
  out.checks_left_out = c.checks_left_out;
  out.failed_checks_left_out = c.failed_checks_left_out;
  out.points_left_out = c.points_left_out;
  out.max_points_left_out = c.max_points_left_out;
  out.failed_left_out_like = c.failed_left_out_like;

  size_t rows = std::min(c.rows.size(), max_report_rows);
  out.rows.assign(c.rows.begin(), c.rows.begin() + static_cast<std::ptrdiff_t>(rows));
  for (size_t i = rows; i < c.rows.size(); ++i) {
    const FrameRow& row = c.rows[i];
    ++out.rows_left_out;
    out.rows_left_out_not_ok += row.graded && !row.ok;
    if (row.frame) {
      if (!out.rows_left_out_first || row.frame < out.rows_left_out_first)
        out.rows_left_out_first = row.frame;
      out.rows_left_out_last = std::max(out.rows_left_out_last, row.frame);
    }
  }
  size_t checks = std::min(c.checks.size(), max_report_checks);
  out.checks.assign(c.checks.begin(), c.checks.begin() + static_cast<std::ptrdiff_t>(checks));
  for (size_t i = checks; i < c.checks.size(); ++i) {
    const CheckResult& check = c.checks[i];
    ++out.checks_left_out;
    out.points_left_out += check.points;
    out.max_points_left_out += check.max_points;
    if (check.status == CheckStatus::pass) continue;
    ++out.failed_checks_left_out;
    if (out.failed_left_out_like.empty()) out.failed_left_out_like = check_id_family(check.id);
  }
  return out;
}

Report bounded_report(const Report& report) {
  Report out;
  out.scenario = report.scenario;
  out.scenario_title = report.scenario_title;
  out.scenario_file = report.scenario_file;
  out.capture_file = report.capture_file;
  out.capture_frames = report.capture_frames;
  out.warnings = report.warnings;
  out.notes = report.notes;
  out.processes = report.processes;
  out.root_causes = report.root_causes;
  out.conversations.reserve(report.conversations.size());
  for (const ConversationResult& c : report.conversations)
    out.conversations.push_back(bounded_conversation(c));
  out.other_conversations = report.other_conversations;
  out.claims = report.claims;
  out.points = report.points;
  out.max_points = report.max_points;
  out.streamed_conversations = report.streamed_conversations;
  out.streamed_failed_checks = report.streamed_failed_checks;
  return out;
}

std::string rows_left_out_text(const ConversationResult& c) {
  if (c.rows_left_out == 0) return "";
  std::string out = fmt::format("… {} more frame{}", count_text(c.rows_left_out),
                                c.rows_left_out == 1 ? "" : "s");
  if (c.rows_left_out_first && c.rows_left_out_last > c.rows_left_out_first)
    out += fmt::format(" (frames {}–{})", c.rows_left_out_first, c.rows_left_out_last);
  else if (c.rows_left_out_first)
    out += fmt::format(" (frame {})", c.rows_left_out_first);
  if (c.rows_left_out_not_ok == 0)
    out += c.rows_left_out == 1 ? ", as expected" : ", all as expected";
  else
    out += fmt::format(", {} of them not as expected", count_text(c.rows_left_out_not_ok));
  return out + fmt::format(": left out of the report (at most {} rows per connection)",
                           count_text(max_report_rows));
}

std::string checks_left_out_text(const ConversationResult& c) {
  if (c.checks_left_out == 0) return "";
  std::string out = fmt::format("… {} more check{}", count_text(c.checks_left_out),
                                c.checks_left_out == 1 ? "" : "s");
  if (c.failed_checks_left_out == 0)
    out += c.checks_left_out == 1 ? ", passed" : ", all passed";
  else
    out += fmt::format(", {} not passed, like {}", count_text(c.failed_checks_left_out),
                       c.failed_left_out_like);
  return out + fmt::format(
                   ": left out of the report (at most {} checks per connection; "
                   "{} / {} points)",
                   count_text(max_report_checks), format_points(c.points_left_out),
                   format_points(c.max_points_left_out));
}

}  // namespace tcpgrade
