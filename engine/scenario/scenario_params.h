// Lab parameters (`params:`): their declarations, a student's values drawn from the course
// secret, and `${name}` replaced in the scenario's YAML before it is read, so every check of
// the scenario (ports, payloads, live commands) follows the student's own lab.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenario/scenario.h"
#include "scenario/yaml_fields.h"

namespace tcpgrade {

// Values by parameter name (from --param, a roster, or derive_param_values).
using ParamValues = std::map<std::string, std::string>;

// Reads `params:` (name: {default, describe, choices | range: [LOW, HIGH]}, or name: DEFAULT)
// and gives each its value: `given` first, else the default. A name in `given` that the
// scenario does not declare is an error (a typo would otherwise grade the default lab).
std::vector<ScenarioParam> read_params(Diagnostics& d, const Field& params,
                                       const ParamValues& given);

// Replaces `${name}` in every scalar under `root` but the `params:` entry itself. A name the
// scenario does not declare is an error at its place.
void substitute_params(Diagnostics& d, YAML::Node& root, const std::vector<ScenarioParam>& params);

// A student's values: each parameter with choices or a range is drawn by a keyed hash of the
// course secret, the student id and the parameter's name; the others keep their default. The
// same student always gets the same lab; without the secret the values cannot be foretold
// (the hash is not cryptographic: it spreads students, it does not guard secrets).
ParamValues derive_param_values(const std::vector<ScenarioParam>& params, std::string_view secret,
                                std::string_view student);

// "port=8123" → {"port", "8123"}; nullopt when there is no '=' or the name is empty.
std::optional<std::pair<std::string, std::string>> parse_param_assignment(std::string_view text);

}  // namespace tcpgrade
