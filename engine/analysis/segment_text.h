// How the report names captured things in the lab's words: "frame 6", "[PSH, ACK]",
// "127.0.0.1:53802", "client→server".
#pragma once

#include <string>

#include "analysis/captured_conversation.h"

namespace tcpgrade {

std::string endpoint_text(const Endpoint& endpoint);
// "frame 7 (client→server [ACK] Seq=79 Ack=186 Len=0)"
std::string segment_summary(const CapturedSegment& segment);
// "a pure ACK", "a SYN", "a data segment (Len=185)", "a FIN", "an RST"
std::string segment_kind(const CapturedSegment& segment);

}  // namespace tcpgrade
