// The teaching assistant's words for a failed or unverifiable check: why a field differs, why
// a frame is missing or unexpected, why a stream's data is not what the scenario expects. Kept
// apart from the judging, as ninja keeps its texts apart from its algorithms, so a new hint is
// added here without touching the matcher.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/captured_conversation.h"
#include "check/frame_alignment.h"
#include "check/lost_frames.h"
#include "check/matcher_eval.h"
#include "scenario/scenario.h"

namespace tcpgrade {

// A relative or raw number (seq, ack, len, window...) that failed its matcher.
std::string number_hint(const std::string& field, const Matcher& m, const MatchOutcome& outcome);
// A `next` matcher with nothing before it in the capture to continue from.
std::string next_unknown_hint(const std::string& field);
// Flags that differ from the scenario's.
std::string flags_hint(uint16_t expected, uint16_t actual);
// A frame sent the other way.
std::string direction_hint();
// A frame in another phase than the scenario's.
std::string phase_hint(const CapturedSegment& s);
// A TCP option that failed, or could not be read because the snap length cut it.
std::string option_hint(const std::string& field, const MatchOutcome& outcome);
std::string option_cut_hint(const CapturedSegment& s);
std::string option_order_hint();
// A payload that differs, or was cut by the snap length.
std::string payload_hint(bool cut);
// "[MSS, SACK_PERM, TS, NOP, WS]"
std::string option_kind_names(const std::vector<uint8_t>& kinds);

// Why an expected frame is missing, from what surrounds its place `at` in the alignment: a
// look-alike elsewhere means the frames are out of order; frames after it mean it was not
// captured; none means the capture ends first. A pure ACK takes no Seq number, so no gap shows
// whether it was sent: when the sender's next frame acknowledges as much, the hint says so, and
// `capture_loses` (the capture is known to lose frames: a Seq gap shows one, or tcpdump -i any on
// the loopback) makes the capture the likely culprit.
struct MissingFrameHint {
  std::string text;
  bool capture_likely_lost = false;  // blame the capture (frames-not-captured), not the TCP
};
MissingFrameHint missing_frame_hint(const ExpectedFrame& e, const std::vector<AlignedPair>& pairs,
                                    size_t at, const CapturedConversation& c, uint32_t tolerated,
                                    bool capture_loses);
// An expected frame the capture lost (find_lost_segments): what it held and where it was.
std::string lost_frame_hint(const LostSegment& lost);
// A captured frame the scenario does not expect, with Wireshark's own reading of it.
std::string unexpected_frame_hint(const CapturedSegment& s);
// A stream whose reassembled data does not match.
std::string stream_hint(const std::string& data);
// The graded connection is not to the scenario's server port (or address family).
std::string server_port_hint(const Scenario& scenario);

}  // namespace tcpgrade
