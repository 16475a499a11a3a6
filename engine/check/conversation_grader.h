// Grades one conversation: its root causes, the variant of the scenario that fits it best,
// every frame's, stream's and the connection's checks, with points. Zero points when the
// scenario requires a handshake the capture lacks, or when the conversation only stands in for
// the one the scenario wanted (wrong port).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/captured_conversation.h"
#include "check/scenario_variants.h"
#include "report/report.h"
#include "scenario/scenario.h"

namespace tcpgrade {

// Which checks a graded conversation keeps: all of them (the JSON, JUnit and HTML reports
// list every check), or only those not passed, the others counted (the text report shows the
// frame table and the mismatches: the passing checks' texts were most of the cost of grading a
// busy server's capture).
enum class CheckDetail : uint8_t { all, failures };

// Whether the scenario grades this conversation (it has segments, the family and server port
// match); turns it so that the scenario's server port is the server.
bool select_conversation(const Scenario& scenario, CapturedConversation& c);

// "stream 1: 127.0.0.1:53802 → 127.0.0.1:8002, 12 frames, state SF"
std::string conversation_line(const CapturedConversation& c);

// Grades one selected conversation: its root causes (set in `causes`), the variant that fits
// best, zero points without the handshake the scenario requires. With `wrong_port` (no
// conversation matched the scenario) it is graded at zero behind a failed server-port check.
// Only the path, snap length, frame count and warning of `capture` are used.
ConversationResult grade_conversation(const Scenario& scenario,
                                      const std::vector<ScenarioVariant>& variants,
                                      const CapturedConversation& c, const CaptureContents& capture,
                                      const RootCause* wrong_port, std::vector<RootCause>& causes,
                                      CheckDetail detail = CheckDetail::all);

}  // namespace tcpgrade
