// What `tcpgrade test` prints: one line per case, pytest-style, and a summary line; or the
// same results as JSON or JUnit XML for CI.
#pragma once

#include <string>
#include <vector>

#include "check/suite_runner.h"
#include "scenario/scenario_suite.h"

namespace tcpgrade::cli {

struct SuiteResults {
  const ScenarioSuite* suite = nullptr;
  std::vector<CaseOutcome> outcomes;  // the cases run, in suite order
};

struct SuiteTotals {
  size_t passed = 0, failed = 0, deselected = 0;
  double seconds = 0;
};

SuiteTotals total(const std::vector<SuiteResults>& results);

// `quiet`: only failing cases get a line.
std::string render_suite_text(const std::vector<SuiteResults>& results, bool quiet, bool color);
std::string render_suite_json(const std::vector<SuiteResults>& results);
std::string render_suite_junit(const std::vector<SuiteResults>& results);

}  // namespace tcpgrade::cli
