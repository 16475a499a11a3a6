// Reads a scenario from YAML into the model of scenario.h and checks all of it: every mistake
// is collected with its place (file, line, column), and ScenarioError carries them all.
// The language is documented for instructors in scenarios/README.md.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "scenario/diagnostic_format.h"
#include "scenario/scenario.h"
#include "scenario/scenario_limits.h"
#include "scenario/scenario_params.h"

namespace tcpgrade {

// Every problem of one scenario file, in file order. what() is the first one, as
// "file:line:col: message".
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// Reads and checks the scenario file at `path`. Throws ScenarioError. `params` gives values to
// the scenario's `params:` (the others keep their defaults).
Scenario load_scenario(const std::string& path, const ScenarioLimits& limits = {},
                       const ParamValues& params = {});

// The same for YAML already in memory. `file_name` names it in locations, and `file:` paths
// in the scenario are relative to its folder. Throws ScenarioError.
Scenario parse_scenario(const std::string& yaml_text, const std::string& file_name,
                        const ScenarioLimits& limits = {}, const ParamValues& params = {});

}  // namespace tcpgrade
