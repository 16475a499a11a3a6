// The sentences a walkthrough uses to tie one segment to the ones before it: how its Seq
// follows from this side's earlier segments, which bytes its Ack acknowledges, where its Next
// Seq points. Pure functions of the conversation, so each is tested on its own.
#pragma once

#include <cstddef>
#include <string>

#include "analysis/captured_conversation.h"

namespace tcpgrade {

// "client" / "server": who sent a segment in this direction.
const char* sender_name(Direction direction);
const char* receiver_name(Direction direction);

// How Seq of segment `index` follows from its side's segments before it:
// "Seq 186 = 1 + the 185 bytes of frame 6", "Seq 1 = 0 + 1 for the SYN of frame 1",
// "Seq 0: the client's initial sequence number (raw 12345), shown relative as 0".
std::string seq_relation(const CapturedConversation& c, size_t index);

// Which of the peer's bytes Ack of segment `index` acknowledges: "Ack 79 = 1 + the 78 bytes
// of frame 4", "Ack 1 = 0 + 1 for the SYN of frame 1", "Ack 220 = 219 + 1 for the FIN of
// frame 10". Empty when the ACK flag is not set.
std::string ack_relation(const CapturedConversation& c, size_t index);

// "Next Seq = 1 + 185 = 186: the server's next byte starts there", or, for a segment that
// occupies no sequence space, why Seq stays where it is.
std::string next_seq_relation(const CapturedSegment& s);

}  // namespace tcpgrade
