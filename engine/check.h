// Grades a capture against a scenario: picks the conversation, finds root causes, aligns the
// expected frames with the captured ones, judges every field, stream and claim.
#pragma once

#include <string>
#include <vector>

#include "captured_conversation.h"
#include "frame_alignment.h"
#include "report.h"
#include "scenario.h"

namespace tcpgrade {

// Throws CaptureError when the capture holds no TCP at all (nothing to grade).
Report check_capture(const Scenario& scenario, CaptureContents contents);

// ---- The pieces of check_capture, shared with streaming_check -----------------------------

// Whether the scenario grades this conversation (it has segments, the family and server port
// match); turns it so that the scenario's server port is the server.
bool select_conversation(const Scenario& scenario, CapturedConversation& c);

// "stream 1: 127.0.0.1:53802 → 127.0.0.1:8002, 12 frames, state SF"
std::string conversation_line(const CapturedConversation& c);

// Which checks a graded conversation keeps: all of them (the JSON, JUnit and HTML reports
// list every check), or only those not passed, the others counted (the text report shows the
// frame table and the mismatches: the passing checks' texts were most of the cost of grading a
// busy server's capture).
enum class CheckDetail : uint8_t { all, failures };

// The scenario once per combination of its `either:` variants, each with a plain frame list.
struct ScenarioReading {
  Scenario scenario;
  std::vector<std::string> chosen;
  // Per frame, the scenario frame it was copied from (the same number in every reading that
  // has it), so that pairing costs are worked out once per conversation; -1 when unknown.
  std::vector<int> source;
  // Whether a frame's matcher refers to another frame's field (same_as): its checks then
  // depend on which segments the alignment chose for the others.
  bool refers_to_frames = false;
  std::vector<ExpectedSlot> slots;  // the frames with their repeats unrolled
  double max_points = 0;            // every frame's and stream's points
};
std::vector<ScenarioReading> scenario_readings(const Scenario& scenario);

// check_capture with the scenario's readings worked out already (grade: once for the class).
Report check_capture(const Scenario& scenario, const std::vector<ScenarioReading>& readings,
                     CaptureContents contents);

// Grades one selected conversation: its root causes (set in `causes`), the reading that fits
// best, zero points without the handshake the scenario requires. With `wrong_port` (no
// conversation matched the scenario) it is graded at zero behind a failed server-port check.
// Only the path and snap length of `contents` are used.
ConversationResult grade_selected_conversation(const Scenario& scenario,
                                               const std::vector<ScenarioReading>& readings,
                                               const CapturedConversation& c,
                                               const CaptureContents& contents,
                                               const RootCause* wrong_port,
                                               std::vector<RootCause>& causes,
                                               CheckDetail detail = CheckDetail::all);

// Adds the causes whose id the report does not list yet, in order.
void merge_root_causes(std::vector<RootCause>& report_causes, const std::vector<RootCause>& causes);

// "No connection matches the scenario", listing the capture's connections.
RootCause wrong_port_cause(const Scenario& scenario, const std::vector<std::string>& lines);

}  // namespace tcpgrade
