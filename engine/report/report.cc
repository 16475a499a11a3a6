#include "report/report.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "report/report_render.h"

namespace tcpgrade {

const char* to_string(CheckStatus status) {
  switch (status) {
    case CheckStatus::pass:
      return "pass";
    case CheckStatus::fail:
      return "fail";
    case CheckStatus::unverifiable:
      return "unverifiable";
  }
  return "?";
}

size_t Report::failed_checks() const {
  size_t failed = streamed_failed_checks;
  for (const ConversationResult& conversation : conversations) {
    for (const CheckResult& check : conversation.checks)
      failed += check.status != CheckStatus::pass;
    failed += conversation.failed_checks_left_out;
  }
  for (const CheckResult& claim : claims) failed += claim.status != CheckStatus::pass;
  return failed;
}

std::string format_points(double value) {
  if (!std::isfinite(value)) return fmt::format("{}", value);
  std::string text = fmt::format("{:.2f}", value);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  if (text == "-0") text = "0";
  return text;
}

std::string expected_label(const FrameRow& row) {
  if (row.note.empty()) return row.expected_id;
  return row.expected_id.empty() ? "(" + row.note + ")" : row.expected_id + " (" + row.note + ")";
}

std::vector<const CheckResult*> Report::all_checks() const {
  std::vector<const CheckResult*> all;
  for (const ConversationResult& conversation : conversations)
    for (const CheckResult& check : conversation.checks) all.push_back(&check);
  for (const CheckResult& claim : claims) all.push_back(&claim);
  return all;
}

bool Report::passed() const {
  return failed_checks() == 0 && (!conversations.empty() || streamed_conversations > 0);
}

std::string render_report(const Report& report, const std::string& format, const TextStyle& style) {
  if (format == "text") return render_text(report, style);
  if (format == "json") return render_json(report);
  if (format == "junit") return render_junit(report);
  if (format == "tap") return render_tap(report);
  if (format == "gradescope") return render_gradescope(report);
  if (format == "markdown") return render_markdown(report);
  if (format == "html") return render_html(report);
  throw std::invalid_argument("unknown report format " + format);
}

}  // namespace tcpgrade
