// A scenario's own test suite, as its author writes it in YAML: captures that must pass, and
// captures that must fail with the checks or root causes that name the mistake. `tcpgrade test`
// runs it (check/suite_runner.h); the format is documented in scenarios/README.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.h"
#include "scenario/scenario_limits.h"

namespace tcpgrade {

// What grading the case's capture must give.
enum class SuiteExpectation : uint8_t {
  pass,   // every check passes (exit 0)
  fail,   // some check fails (exit 1)
  error,  // the capture is refused as bad input (exit 2): empty, not a capture, ...
};
const char* to_string(SuiteExpectation expectation);

struct PointsRange {
  double low = 0, high = 0;
};

struct SuiteCase {
  std::string name;      // as the summary shows it; by default the capture's file name
  std::string scenario;  // the path, relative to the working directory
  std::string capture;   // the same
  SuiteExpectation expect = SuiteExpectation::pass;
  // Check ids that must fail, as globs ("frame.ack.*", "stream.response-data").
  std::vector<std::string> fails;
  // Root-cause ids the report must name ("wrong-port").
  std::vector<std::string> root_causes;
  std::optional<PointsRange> points;  // the score must lie in this range
  std::optional<double> max_points;   // the scenario's maximum, as the report gives it
  std::string error_contains;         // with expect: error, text the error must hold
  SourceLocation where;
};

struct ScenarioSuite {
  std::string name;
  std::string file;
  std::vector<SuiteCase> cases;
};

// Reads and checks a suite file; paths in it are relative to its folder. Throws ScenarioError
// with every mistake and its place, as the scenario loader does.
ScenarioSuite load_suite(const std::string& path, const ScenarioLimits& limits = {});
ScenarioSuite parse_suite(const std::string& yaml_text, const std::string& file_name,
                          const ScenarioLimits& limits = {});

// The suite files under a folder (named suite.yaml or *.suite.yaml), sorted; a file is itself.
std::vector<std::string> find_suite_files(const std::string& path);

}  // namespace tcpgrade
