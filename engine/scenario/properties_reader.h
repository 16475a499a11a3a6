// Reading a scenario's `properties:` (scenario_properties.h) for the scenario loader.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "scenario/matcher_parser.h"
#include "scenario/scenario_properties.h"

namespace tcpgrade {

extern const std::vector<std::string> property_keys;

// Errors go to the scope's diagnostics; what is usable is read anyway.
std::shared_ptr<const ConversationProperties> read_properties(MatcherScope& scope,
                                                              const Field& field);

}  // namespace tcpgrade
