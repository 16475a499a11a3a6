// Deviations: a capture made correctly, but on another machine or with another server or
// client than the lab's (Linux defaults on the loopback, python3 -m http.server answering
// HTTP/1.0, one curl request). Found apart from matching, from the SYNs and the first bytes
// of each direction's stream; each names the setting or program and what to do.
#pragma once

#include <string>
#include <vector>

#include "analysis/captured_conversation.h"
#include "check/root_causes.h"
#include "report/report.h"

namespace tcpgrade {

// The deviations of one conversation from the lab's setup, in the order the report gives
// them: the machine's settings first, then the server, then the client.
// Their advice names the scenario's own server and client (`lab`).
std::vector<RootCause> diagnose_deviations(const CapturedConversation& conversation,
                                           const LabFacts& lab);

// The deviation among `causes` that explains a failed check of `field` ("options.ts",
// "payload", "data", "frame" for a frame the scenario does not expect), or "".
std::string cause_for_field(const std::vector<RootCause>& causes, const std::string& field);

// Removes the deviations no failed check points at: a scenario that expects HTTP/1.1
// keep-alive, or only the handshake, is not told about the server or client it accepts.
void drop_unneeded_deviations(std::vector<RootCause>& causes,
                              const std::vector<CheckResult>& checks);

}  // namespace tcpgrade
