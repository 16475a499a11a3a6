#include "check/block_judge.h"

#include <fmt/format.h>

namespace tcpgrade {

int block_absorb_cost(const BlockExpectation& b, const CapturedSegment& s) {
  if (s.flags & tcp_flag::syn) return -1;
  const bool fin = s.flags & tcp_flag::fin;
  if (b.kind == BlockKind::teardown) {
    // Data without FIN belongs to the frames or the transfer before the close (data after a
    // FIN is then unexpected, and the close's no-data-after-fin check names it).
    if (fin || (s.flags & tcp_flag::rst)) return 0;
    return s.len == 0 ? 1 : -1;
  }
  const TransferExpectation& t = b.transfer;
  if (s.flags & tcp_flag::rst) return -1;
  if (s.direction == t.direction && s.len > 0) return fin && !t.last_may_carry_fin ? -1 : 0;
  // The ACKs that answer the data (pure ACKs, window updates, duplicate ACKs), and the
  // sender's own pure ACKs (a window probe, a keep-alive).
  return s.len == 0 && !fin ? 1 : -1;
}

BlockVerdict judge_block(const BlockExpectation& b, const CapturedConversation& c,
                         const std::vector<size_t>& claimed, uint32_t tolerated) {
  BlockVerdict v = b.kind == BlockKind::transfer ? judge_transfer(b.transfer, c, claimed, tolerated)
                                                 : judge_teardown(b.teardown, c, claimed);
  if (!claimed.empty()) {
    v.first_frame = c.segments[claimed.front()].frame;
    v.last_frame = c.segments[claimed.back()].frame;
  }
  return v;
}

std::string frame_range_text(uint64_t first, uint64_t last) {
  return first == last ? fmt::format("frame {}", first) : fmt::format("frames {}–{}", first, last);
}

}  // namespace tcpgrade
