// Gradescope's results.json: the total score and one test per expected frame, block or claim
// (the way students read the lab: "SYN (frame 1)", not one test per field of it), its points the
// sum of its checks', its output each check with the explanation of those that failed, and the
// scenario's visibility. Written even when the capture cannot be read.
#include <fmt/format.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "report/report_limits.h"
#include "report/report_render.h"

namespace tcpgrade {
namespace {

using json = nlohmann::ordered_json;

std::string check_output(const CheckResult& check) {
  std::string out = fmt::format("expected: {}\ncapture:  {}", check.expected, check.actual);
  if (!check.hint.empty()) out += fmt::format("\nwhy:      {}", check.hint);
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

// Gradescope's visibilities, least shown last: a test shows no more than its most hidden check.
int hiddenness(const std::string& visibility) {
  if (visibility == "hidden") return 3;
  if (visibility == "after_published") return 2;
  if (visibility == "after_due_date") return 1;
  return 0;
}

// "SYN (frame 1): flags" → "SYN (frame 1)"; a name without a field stays whole.
std::string group_name(const CheckResult& check) {
  size_t colon = check.name.rfind(": ");
  return colon == std::string::npos || colon == 0 ? check.name : check.name.substr(0, colon);
}

// The checks of one expected frame, block or claim: one Gradescope test.
struct CheckGroup {
  std::string name;
  std::vector<const CheckResult*> checks;
};

// Groups in the order of their first check, by expected id (a frame, a block, a stream) or, for
// claims, by the frame they are about ("claim about frame 7"); checks without a key stand alone. A
// frame's "present" check is named by the frame id alone ("syn: present"): the group takes the
// name of its first check that says more ("syn (frame 1): flags" → "syn (frame 1)").
enum class GroupBy { expected_id, name };

std::vector<CheckGroup> group_checks(const std::vector<CheckResult>& checks, GroupBy by,
                                     const std::string& prefix) {
  std::vector<CheckGroup> groups;
  std::vector<bool> named;
  std::map<std::string, size_t> by_id;
  for (const CheckResult& check : checks) {
    const std::string key = by == GroupBy::expected_id ? check.expected_id : group_name(check);
    const bool alone = key.empty();
    auto [at, added] = by_id.try_emplace(key, groups.size());
    if (added || alone) {
      at->second = groups.size();
      groups.push_back({prefix + group_name(check), {}});
      named.push_back(false);
    }
    const size_t g = at->second;
    if (!named[g] && group_name(check) != check.expected_id) {
      groups[g].name = prefix + group_name(check);
      named[g] = true;
    }
    groups[g].checks.push_back(&check);
  }
  return groups;
}

// Sums of a few shares of a point (1/7 + ...) come out as 0.8999999999999999: rounded to a
// millionth, which no score needs more of.
double rounded(double points) { return std::round(points * 1e6) / 1e6; }

json group_test(const CheckGroup& group, size_t number) {
  double points = 0, max_points = 0;
  bool passed = true;
  std::string visibility = "visible", output;
  for (const CheckResult* check : group.checks) {
    points += check->points;
    max_points += check->max_points;
    passed = passed && check->status == CheckStatus::pass;
    if (hiddenness(check->visibility) > hiddenness(visibility)) visibility = check->visibility;
  }
  for (const CheckResult* check : group.checks) {
    bool ok = check->status == CheckStatus::pass;
    std::string field = check->field.empty() ? check->name : check->field;
    output += fmt::format("{} {} [{}]\n", ok ? "✓" : "✗", field, check->id);
    if (!ok) output += check_output(*check) + "\n";
  }
  // The scenario's sentence and hint once per frame, as the text report gives them.
  const CheckResult& first = *group.checks.front();
  if (!first.scenario_hint.empty()) output += fmt::format("hint: {}\n", first.scenario_hint);
  if (!first.teaches.empty()) output += first.teaches + "\n";
  if (!output.empty()) output.pop_back();
  return {{"name", group.name},
          {"number", std::to_string(number)},
          {"score", rounded(points)},
          {"max_score", rounded(max_points)},
          {"status", passed ? "passed" : "failed"},
          {"output", output},
          {"visibility", visibility}};
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
  const bool several = report.conversations.size() > 1;
  for (const ConversationResult& c : report.conversations) {
    std::string prefix = several ? fmt::format("stream {}: ", c.stream) : "";
    for (const CheckGroup& group : group_checks(c.checks, GroupBy::expected_id, prefix))
      j["tests"].push_back(group_test(group, ++number));
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
  for (const CheckGroup& group : group_checks(report.claims, GroupBy::name, ""))
    j["tests"].push_back(group_test(group, ++number));
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
