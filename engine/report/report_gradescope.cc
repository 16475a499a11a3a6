// Gradescope's results.json: the total score and one test per check, with the explanation in
// its output and the scenario's visibility. Written even when the capture cannot be read.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "report/report_limits.h"
#include "report/report_render.h"

namespace tcpgrade {
namespace {

using json = nlohmann::ordered_json;

std::string check_output(const CheckResult& check) {
  std::string out = fmt::format("expected: {}\ncapture:  {}", check.expected, check.actual);
  if (!check.hint.empty()) out += fmt::format("\nwhy:      {}", check.hint);
  if (!check.scenario_hint.empty()) out += fmt::format("\nhint:     {}", check.scenario_hint);
  if (!check.teaches.empty()) out += fmt::format("\n{}", check.teaches);
  return out;
}

std::string summary(const Report& report) {
  std::string out = fmt::format("tcpgrade: scenario {} on {}: {} ({} / {} points)", report.scenario,
                                report.capture_file, report.passed() ? "PASS" : "FAIL",
                                format_points(report.points), format_points(report.max_points));
  for (const RootCause& cause : report.root_causes)
    out += fmt::format("\n\n{}: {}", cause.title, cause.explanation);
  for (const std::string& warning : report.warnings) out += "\n\nwarning: " + warning;
  return out;
}

}  // namespace

std::string render_gradescope(const Report& given) {
  const Report report = bounded_report(given);
  json j;
  j["score"] = report.points;
  j["max_score"] = report.max_points;
  j["output"] = summary(report);
  j["visibility"] = "visible";
  j["stdout_visibility"] = "hidden";
  j["tests"] = json::array();
  size_t number = 0;
  auto add_test = [&](const CheckResult& check) {
    ++number;
    json test;
    test["name"] = fmt::format("{} [{}]", check.name, check.id);
    test["number"] = std::to_string(number);
    test["score"] = check.points;
    test["max_score"] = check.max_points;
    test["status"] = check.status == CheckStatus::pass ? "passed" : "failed";
    test["output"] = check_output(check);
    test["visibility"] = check.visibility;
    j["tests"].push_back(std::move(test));
  };
  for (const ConversationResult& c : report.conversations) {
    for (const CheckResult& check : c.checks) add_test(check);
    if (!c.checks_left_out) continue;
    ++number;  // the checks left out, as one test with their points
    j["tests"].push_back({{"name", fmt::format("stream {}: checks left out", c.stream)},
                          {"number", std::to_string(number)},
                          {"score", c.points_left_out},
                          {"max_score", c.max_points_left_out},
                          {"status", c.failed_checks_left_out ? "failed" : "passed"},
                          {"output", checks_left_out_text(c)},
                          {"visibility", "visible"}});
  }
  for (const CheckResult& claim : report.claims) add_test(claim);
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string render_gradescope_error(const std::string& reason, double max_score) {
  json j;
  j["score"] = 0;
  j["max_score"] = max_score;
  j["output"] = fmt::format("tcpgrade could not grade this submission: {}", reason);
  j["visibility"] = "visible";
  j["stdout_visibility"] = "hidden";
  j["tests"] = json::array();
  j["tests"].push_back({{"name", "the submission is a readable capture"},
                        {"number", "1"},
                        {"score", 0},
                        {"max_score", max_score},
                        {"status", "failed"},
                        {"output", reason},
                        {"visibility", "visible"}});
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace tcpgrade
