#include "check/connection_close.h"

#include <cstdint>

namespace tcpgrade {

std::optional<size_t> closed_before(const CapturedConversation& c) {
  // The sequence number just past each side's FIN (its Seq + Len + 1), and whether the peer
  // has acknowledged it.
  std::optional<uint32_t> fin_end[2];
  bool acked[2] = {false, false};
  for (size_t i = 0; i < c.segments.size(); ++i) {
    const CapturedSegment& s = c.segments[i];
    int side = static_cast<int>(s.direction), peer = 1 - side;
    if ((s.flags & tcp_flag::fin) && !fin_end[side]) fin_end[side] = s.seq + s.len + 1;
    if (s.has_ack() && fin_end[peer] && static_cast<int32_t>(s.ack - *fin_end[peer]) >= 0)
      acked[peer] = true;
    if (acked[0] && acked[1]) return i + 1;
  }
  return std::nullopt;
}

bool after_close(const CapturedConversation& c, size_t index) {
  std::optional<size_t> closed = closed_before(c);
  return closed && index >= *closed;
}

}  // namespace tcpgrade
