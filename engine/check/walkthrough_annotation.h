// `tcpgrade explain --scenario`: the walkthrough told in the scenario's words. The capture is
// graded as `check` grades it (check_capture: the same conversation choice, variant and
// alignment), and each packet the alignment pairs with an expected frame takes that frame's id
// and `teaches:` text; expected frames the capture lacks are listed.
#pragma once

#include "analysis/walkthrough.h"
#include "scenario/scenario.h"

namespace tcpgrade {

// Without `stream` the walkthrough follows the conversation the scenario grades.
// Throws what check_capture throws.
Walkthrough explain_with_scenario(const Scenario& scenario, const WalkthroughInput& input,
                                  std::optional<uint32_t> stream);

}  // namespace tcpgrade
