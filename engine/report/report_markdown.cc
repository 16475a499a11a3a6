// Markdown for a CI job summary (GitHub's $GITHUB_STEP_SUMMARY, GitLab): the verdict, the
// frame table and every failure. Text from captures and file names is escaped so it cannot
// close a table cell, start a link or inject HTML.
#include <fmt/format.h>

#include "report/report_escaping.h"
#include "report/report_limits.h"
#include "report/report_render.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

std::string md(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '|':
        out += "\\|";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '\\':
      case '#':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* status_mark(const CheckResult& check) {
  return check.status == CheckStatus::pass   ? "✅"
         : check.status == CheckStatus::fail ? "❌"
                                             : "⚠️";
}

void failure_item(std::string& out, const CheckResult& check) {
  out += fmt::format("- {} **{}** ({}): expected {}, capture {}", status_mark(check),
                     md(check.name), md(check.id), md(check.expected), md(check.actual));
  if (!check.hint.empty()) out += fmt::format(". *{}*", md(check.hint));
  if (!check.scenario_hint.empty()) out += fmt::format(" Hint: {}", md(check.scenario_hint));
  out += "\n";
}

}  // namespace

std::string render_markdown(const Report& given) {
  const Report report = terminal_safe(bounded_report(given));
  bool passed = report.passed();
  std::string out = fmt::format("## {} tcpgrade: scenario {} — {} / {} points\n\n",
                                passed ? "✅ PASS" : "❌ FAIL", md(report.scenario),
                                format_points(report.points), format_points(report.max_points));
  out += fmt::format("Capture {} ({} frames), {} check{} not passed.\n", md(report.capture_file),
                     report.capture_frames, report.failed_checks(),
                     report.failed_checks() == 1 ? "" : "s");
  for (const std::string& warning : report.warnings)
    out += fmt::format("\n> ⚠️ {}\n", md(warning));
  for (const std::string& note : report.notes) out += fmt::format("\n> {}\n", md(note));
  if (!report.root_causes.empty()) {
    out += "\n### Root causes\n\n";
    for (const RootCause& cause : report.root_causes)
      out +=
          fmt::format("- **{}** ({}): {}\n", md(cause.title), md(cause.id), md(cause.explanation));
  }
  for (const ConversationResult& c : report.conversations) {
    out += fmt::format("\n### Connection {}: {} → {} (state {})\n\n", c.stream, md(c.client),
                       md(c.server), md(c.state));
    for (const std::string& variant : c.variants)
      out += fmt::format("Graded as: {}.\n\n", md(variant));
    out += "| | Frame | Direction | Flags | Seq | Ack | Len | Expected |\n";
    out += "|---|---:|---|---|---:|---:|---:|---|\n";
    for (const FrameRow& row : c.rows) {
      std::string expected = expected_label(row);
      out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                         !row.graded ? "·"
                         : row.ok    ? "✅"
                                     : "❌",
                         row.frame ? std::to_string(row.frame) : "—", to_string(row.direction),
                         md(flag_names(row.flags)), row.frame ? std::to_string(row.seq) : "",
                         row.frame && row.has_ack ? std::to_string(row.ack) : "",
                         row.frame ? std::to_string(row.len) : "", md(expected));
    }
    if (c.rows_left_out) out += fmt::format("\n{}\n", md(rows_left_out_text(c)));
    bool header = false;
    for (const CheckResult& check : c.checks) {
      if (check.status == CheckStatus::pass) continue;
      if (!header) out += "\n#### Mismatches\n\n";
      header = true;
      failure_item(out, check);
    }
    if (c.failed_checks_left_out) {
      if (!header) out += "\n#### Mismatches\n\n";
      out += fmt::format("- ❌ {}\n", md(checks_left_out_text(c)));
    }
  }
  if (!report.claims.empty()) {
    out += "\n### Claims\n\n";
    for (const CheckResult& claim : report.claims) failure_item(out, claim);
  }
  return out;
}

}  // namespace tcpgrade
