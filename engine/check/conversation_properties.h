// Judging a scenario's `properties:` (scenario/scenario_properties.h) on the graded
// conversation: one check per property, each worth the properties' `points`.
#pragma once

#include <string>
#include <vector>

#include "analysis/captured_conversation.h"
#include "report/report.h"
#include "scenario/scenario_properties.h"

namespace tcpgrade {

// Every property but `connections` (a property of the capture: judge_connections), in the
// order ConversationProperties::given() lists them.
std::vector<CheckResult> judge_properties(const ConversationProperties& p,
                                          const CapturedConversation& c,
                                          const std::string& visibility);

// `connections`: how many connections to the scenario's server the capture holds.
CheckResult judge_connections(const ConversationProperties& p, size_t connections,
                              const std::string& visibility);

// Client data bursts: runs of new client data not interrupted by server data. An HTTP
// request is one burst however TCP cut it; keep-alive with two requests makes two.
size_t client_data_bursts(const CapturedConversation& c);

}  // namespace tcpgrade
