// What lint warns about in a valid scenario: things that load and grade, but most likely not
// as the instructor meant (a `seq: next` on a SYN, a maximum that depends on the capture).
// Warnings do not stop check; `tcpgrade lint --werror` fails on them.
#pragma once

#include <string_view>
#include <vector>

#include "scenario/diagnostic_format.h"
#include "scenario/scenario.h"

namespace tcpgrade {

// In file order; each message starts with "warning: ". `yaml_text` is the scenario's source,
// for the line shown under each warning.
std::vector<Diagnostic> scenario_warnings(const Scenario& scenario, std::string_view yaml_text);

}  // namespace tcpgrade
