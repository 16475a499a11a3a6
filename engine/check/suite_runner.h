// Running a scenario's test suite (scenario/scenario_suite.h): each case's capture graded
// against its scenario as `tcpgrade check` would, and the result held against what the case
// expects. Every way a case can go wrong is one sentence, so the author sees what to fix.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "check/grading_limits.h"
#include "report/report.h"
#include "scenario/scenario.h"
#include "scenario/scenario_suite.h"

namespace tcpgrade {

struct CaseOutcome {
  const SuiteCase* test = nullptr;
  bool passed = false;
  // What grading gave, in a few words: "pass, 19/19 points", "fail, 16/19 points: 3 checks
  // failed (wrong-port)", "error: ... is empty".
  std::string got;
  std::vector<std::string> problems;  // why the case failed, one sentence each
  double seconds = 0;
};

// Scenarios loaded once per file for the whole run: several cases grade against one.
class ScenarioCache {
 public:
  explicit ScenarioCache(const GradingLimits& limits) : limits_(limits) {}
  // Throws ScenarioError when the file is not a valid scenario.
  const Scenario& get(const std::string& path);

 private:
  const GradingLimits& limits_;
  std::map<std::string, Scenario> loaded_;
};

CaseOutcome run_suite_case(const SuiteCase& test, ScenarioCache& scenarios,
                           const GradingLimits& limits);

// True when `id` matches the glob (`*` any run of characters, `?` one character).
bool check_id_matches(const std::string& glob, const std::string& id);

}  // namespace tcpgrade
