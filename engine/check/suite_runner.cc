#include "check/suite_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <exception>

#include "check/grade_capture.h"
#include "scenario/scenario_loader.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

constexpr size_t failures_listed = 3;  // a failing case names its first few failed checks

std::string points_text(const Report& report) {
  return fmt::format("{}/{} points", format_points(report.points),
                     format_points(report.max_points));
}

std::vector<const CheckResult*> failed_checks(const Report& report) {
  std::vector<const CheckResult*> failed;
  for (const CheckResult* check : report.all_checks())
    if (check->status == CheckStatus::fail) failed.push_back(check);
  return failed;
}

std::vector<std::string> root_cause_ids(const Report& report) {
  std::vector<std::string> ids;
  for (const RootCause& cause : report.root_causes) ids.push_back(cause.id);
  return ids;
}

std::string list_or_none(const std::vector<std::string>& words) {
  if (words.empty()) return "none";
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : ", ") + word;
  return out;
}

// "frame.syn.flags (expected [SYN], capture [SYN, ACK])": what a failed check says.
std::string describe_failure(const CheckResult& check) {
  if (check.expected.empty() && check.actual.empty()) return check.id;
  return fmt::format("{} (expected {}, capture {})", check.id, printable(check.expected),
                     printable(check.actual));
}

std::string summarize(const Report& report, size_t failed) {
  std::string got = fmt::format("{}, {}", report.passed() ? "pass" : "fail", points_text(report));
  if (failed) got += fmt::format(", {} check{} failed", failed, failed == 1 ? "" : "s");
  std::vector<std::string> causes = root_cause_ids(report);
  if (!causes.empty()) got += " (" + list_or_none(causes) + ")";
  return got;
}

// The case's expectations held against a report.
void judge_report(const SuiteCase& test, const Report& report, CaseOutcome& outcome) {
  std::vector<const CheckResult*> failed = failed_checks(report);
  outcome.got = summarize(report, failed.size());
  bool passed = report.passed();
  if (test.expect == SuiteExpectation::pass && !passed) {
    std::string first;
    for (size_t i = 0; i < failed.size() && i < failures_listed; ++i)
      first += (i ? "; " : "") + describe_failure(*failed[i]);
    if (failed.size() > failures_listed)
      first += fmt::format("; and {} more", failed.size() - failures_listed);
    outcome.problems.push_back(
        failed.empty() ? "expected the capture to pass; it failed"
                       : fmt::format("expected the capture to pass; it failed: {}", first));
  }
  if (test.expect == SuiteExpectation::fail && passed)
    outcome.problems.push_back("expected the capture to fail; every check passed");
  for (const std::string& glob : test.fails) {
    std::vector<const CheckResult*> all = report.all_checks();
    bool exists = std::any_of(all.begin(), all.end(),
                              [&](const CheckResult* c) { return check_id_matches(glob, c->id); });
    bool fails = std::any_of(failed.begin(), failed.end(),
                             [&](const CheckResult* c) { return check_id_matches(glob, c->id); });
    if (!exists)
      outcome.problems.push_back(fmt::format(
          "no check of the report matches '{}' (a typo, or the scenario changed?)", glob));
    else if (!fails)
      outcome.problems.push_back(fmt::format("expected check {} to fail; it did not", glob));
  }
  std::vector<std::string> causes = root_cause_ids(report);
  for (const std::string& cause : test.root_causes)
    if (std::find(causes.begin(), causes.end(), cause) == causes.end())
      outcome.problems.push_back(
          fmt::format("expected root cause {}; the report names {}", cause, list_or_none(causes)));
  if (test.points &&
      (report.points < test.points->low - 1e-9 || report.points > test.points->high + 1e-9)) {
    std::string range =
        test.points->low == test.points->high
            ? format_points(test.points->low)
            : fmt::format("{} to {}", format_points(test.points->low),
                          test.points->high >= 1e300 ? std::string("any")
                                                     : format_points(test.points->high));
    outcome.problems.push_back(fmt::format("expected {} points; the report gives {}", range,
                                           format_points(report.points)));
  }
  if (test.max_points && std::abs(report.max_points - *test.max_points) > 1e-9)
    outcome.problems.push_back(fmt::format("expected a maximum of {} points; the report gives {}",
                                           format_points(*test.max_points),
                                           format_points(report.max_points)));
}

}  // namespace

const Scenario& ScenarioCache::get(const std::string& path) {
  auto found = loaded_.find(path);
  if (found != loaded_.end()) return found->second;
  return loaded_.emplace(path, load_scenario(path, limits_.scenario)).first->second;
}

bool check_id_matches(const std::string& glob, const std::string& id) {
  // Iterative wildcard match: linear backtracking to the last '*', no recursion.
  size_t g = 0, i = 0, star = std::string::npos, resume = 0;
  while (i < id.size()) {
    if (g < glob.size() && (glob[g] == '?' || glob[g] == id[i])) {
      ++g, ++i;
    } else if (g < glob.size() && glob[g] == '*') {
      star = g++;
      resume = i;
    } else if (star != std::string::npos) {
      g = star + 1;
      i = ++resume;
    } else {
      return false;
    }
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
}

CaseOutcome run_suite_case(const SuiteCase& test, ScenarioCache& scenarios,
                           const GradingLimits& limits) {
  CaseOutcome outcome;
  outcome.test = &test;
  auto start = std::chrono::steady_clock::now();
  const Scenario& scenario = scenarios.get(test.scenario);  // a bad scenario stops the run
  try {
    Report report =
        grade_capture({.scenario = scenario, .limits = limits, .capture = test.capture});
    judge_report(test, report, outcome);
    if (test.expect == SuiteExpectation::error)
      outcome.problems.push_back(fmt::format(
          "expected the capture to be refused as bad input; it was graded ({})", outcome.got));
  } catch (const std::exception& error) {  // CaptureError, LimitError: what check exits 2 on
    std::string message = terminal_safe(error.what());
    outcome.got = "error: " + message;
    if (test.expect != SuiteExpectation::error)
      outcome.problems.push_back(fmt::format("expected the capture to {}; it was refused: {}",
                                             to_string(test.expect), message));
    else if (!test.error_contains.empty() &&
             std::string(error.what()).find(test.error_contains) == std::string::npos)
      outcome.problems.push_back(fmt::format("expected the error to say '{}'; it says: {}",
                                             printable(test.error_contains), message));
  }
  outcome.passed = outcome.problems.empty();
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return outcome;
}

}  // namespace tcpgrade
