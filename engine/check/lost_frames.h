// Frames the capture lost: sequence numbers one side used that no captured frame holds, found
// from Seq gaps and from the peer acknowledging more than was seen (Wireshark's "previous
// segment not captured" and "ACKed unseen segment"). The student's TCP sent them; the capture
// did not keep them, so they are reported once, as the capture's fault, not as mismatches.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/captured_conversation.h"
#include "scenario/scenario.h"

namespace tcpgrade {

// Sequence space one side sent that the capture does not hold (one or more segments).
struct LostSegment {
  Direction direction = Direction::client_to_server;
  uint32_t seq = 0;       // relative Seq of the first lost sequence number
  uint32_t next_seq = 0;  // relative end, as a complete Ack would be
  bool fin = false;       // its last sequence number was the FIN (nothing after it held data)
  // Where it belongs among the segments: after segment `earliest - 1` (this side's last
  // segment before it) and before segment `before`, the first that shows the loss.
  size_t earliest = 0, before = 0;
  uint64_t after_frame = 0, before_frame = 0;  // the captured frames around it (0: none)
  uint64_t shown_by = 0;                       // the frame that shows the loss
  uint32_t shown_flag = 0;  // its analysis flag, when Wireshark marks it (lost_segment, ...)

  uint32_t data_bytes() const { return next_seq - seq - (fin ? 1 : 0); }
};

// The conversation's lost sequence space, in capture order of the frames that show it.
std::vector<LostSegment> find_lost_segments(const CapturedConversation& conversation);

// "the client's FIN, Seq 79, between frames 10 and 11"
std::string lost_segment_text(const LostSegment& lost);

// The relations as they were on the wire: each segment after a loss is judged as if the lost
// segment had been captured (its side's next Seq, the peer's complete Ack count it).
void account_for_lost(CapturedConversation& conversation, const std::vector<LostSegment>& lost);

// The lost segment that an expected frame missing before segment `position` would have been,
// or nullptr: same direction, a FIN where the frame expects one, data where it expects data.
const LostSegment* lost_for_frame(const std::vector<LostSegment>& lost, const ExpectedFrame& e,
                                  size_t position);

// Whether the capture was made with tcpdump -i any (Linux cooked SLL or SLL2) of loopback
// addresses, which loses frames on Linux.
bool any_interface_on_loopback(const CapturedConversation& conversation,
                               const CaptureContents& contents);

}  // namespace tcpgrade
