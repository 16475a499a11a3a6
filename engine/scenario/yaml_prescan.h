// A first pass over the scenario's YAML events, before any tree is built or walked: it refuses
// what could make the loader slow or deep (nesting, alias bombs, several documents) and turns
// syntax errors into diagnostics.
#pragma once

#include <string>

#include "scenario/scenario_limits.h"
#include "scenario/yaml_fields.h"

namespace tcpgrade {

// True when the text is one YAML document within the limits; otherwise the reason is in `d`.
// Aliases (*name) are allowed, but the document expanded through them must stay within
// max_yaml_nodes and max_depth, so a billion-laughs file fails at its first oversized alias.
bool prescan_yaml(const std::string& text, const ScenarioLimits& limits, Diagnostics& d);

// "YAML syntax error: ..." for a yaml-cpp parser error at `mark`, with a hint for tabs.
void report_syntax_error(Diagnostics& d, const YAML::Mark& mark, const std::string& what);

}  // namespace tcpgrade
