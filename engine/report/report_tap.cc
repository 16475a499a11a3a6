// TAP version 14: one test point per check; a failure carries a YAML diagnostic block with
// the expected and captured values.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "report/report_escaping.h"
#include "report/report_limits.h"
#include "report/report_render.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

// A TAP description cannot hold a newline, and '#' would start a directive.
std::string description(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r')
      out += ' ';
    else if (c == '#')
      out += "\\#";
    else if (c == '\\')
      out += "\\\\";
    else
      out += c;
  }
  return out;
}

std::string diagnostics(const CheckResult& check) {
  YAML::Emitter yaml;
  yaml << YAML::BeginMap;
  yaml << YAML::Key << "message" << YAML::Value << (check.hint.empty() ? check.name : check.hint);
  yaml << YAML::Key << "severity" << YAML::Value << to_string(check.status);
  yaml << YAML::Key << "data" << YAML::Value << YAML::BeginMap;
  yaml << YAML::Key << "id" << YAML::Value << check.id;
  if (check.frame) yaml << YAML::Key << "frame" << YAML::Value << check.frame;
  yaml << YAML::Key << "expected" << YAML::Value << check.expected;
  yaml << YAML::Key << "got" << YAML::Value << check.actual;
  if (!check.root_cause.empty())
    yaml << YAML::Key << "root_cause" << YAML::Value << check.root_cause;
  if (!check.scenario_hint.empty())
    yaml << YAML::Key << "hint" << YAML::Value << check.scenario_hint;
  yaml << YAML::EndMap << YAML::EndMap;
  std::string out = "  ---\n";
  std::string text = yaml.c_str();
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += "  " + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out + "  ...\n";
}

}  // namespace

std::string render_tap(const Report& given) {
  const Report report = terminal_safe(bounded_report(given));
  std::vector<const CheckResult*> checks = report.all_checks();
  size_t summaries = 0;  // a conversation's checks left out: one test point
  for (const ConversationResult& c : report.conversations) summaries += c.checks_left_out > 0;
  std::string out = "TAP version 14\n";
  out += fmt::format("# tcpgrade: scenario {} on {}\n", description(report.scenario),
                     description(report.capture_file));
  for (const RootCause& cause : report.root_causes)
    out += fmt::format("# root cause [{}] {}: {}\n", cause.id, description(cause.title),
                       description(cause.explanation));
  if (report.conversations.empty()) {
    out += "1..1\nnot ok 1 - capture: a connection to grade\n";
    out +=
        "  ---\n  message: the capture holds no connection the scenario grades\n  severity: fail\n "
        " ...\n";
    return out;
  }
  out += fmt::format("1..{}\n", checks.size() + summaries);
  size_t number = 0;
  auto point = [&](const CheckResult& check) {
    ++number;
    bool ok = check.status == CheckStatus::pass;
    out += fmt::format("{} {} - {} [{}]\n", ok ? "ok" : "not ok", number, description(check.name),
                       description(check.id));
    if (!ok) out += diagnostics(check);
  };
  for (const ConversationResult& c : report.conversations) {
    for (const CheckResult& check : c.checks) point(check);
    if (!c.checks_left_out) continue;
    ++number;
    out += fmt::format("{} {} - stream {}: {}\n", c.failed_checks_left_out ? "not ok" : "ok",
                       number, c.stream, description(checks_left_out_text(c)));
  }
  for (const CheckResult& claim : report.claims) point(claim);
  out += fmt::format("# points: {} / {}\n", format_points(report.points),
                     format_points(report.max_points));
  return out;
}

}  // namespace tcpgrade
