// A student's own lab: the scenario loaded with the parameter values the course secret gives
// that student (scenario_params.h), or with values given outright (--param, a roster column).
#pragma once

#include <string>

#include "scenario/scenario.h"
#include "scenario/scenario_limits.h"
#include "scenario/scenario_params.h"

namespace tcpgrade {

// The course secret from `path`: its bytes without a trailing line break. Throws
// std::runtime_error naming the file when it cannot be read or is empty (an empty secret would
// give every course the same variants).
std::string read_variant_secret(const std::string& path);

// The values of `student`: drawn from `secret` (empty: none drawn, the defaults), then
// `overrides` on top. The scenario's declarations are read first, with its defaults.
ParamValues student_param_values(const std::string& scenario_path, const ScenarioLimits& limits,
                                 const std::string& secret, const std::string& student,
                                 const ParamValues& overrides);

// The scenario as `student` must have made the capture. Throws ScenarioError.
Scenario load_student_scenario(const std::string& scenario_path, const ScenarioLimits& limits,
                               const std::string& secret, const std::string& student,
                               const ParamValues& overrides = {});

}  // namespace tcpgrade
