// Judges what a write-up says about particular frames of a capture ("frame 7: phase
// handshake", "frame 8 carries HTTP/1.0 200 OK") and explains, from the capture, what the
// frame really is.
#pragma once

#include <vector>

#include "analysis/captured_conversation.h"
#include "report/report.h"
#include "scenario/scenario.h"

namespace tcpgrade {

// One check per claimed field. Adds the absolute-numbers root cause when a claim quotes raw
// sequence numbers where Wireshark shows relative ones.
std::vector<CheckResult> judge_claims(const Scenario& scenario, const CaptureContents& contents,
                                      std::vector<RootCause>& root_causes);

// "the handshake phase", "the data-transfer phase", ...
const char* phase_words(Phase phase);

}  // namespace tcpgrade
