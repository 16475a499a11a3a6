#include "check/lost_frames.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "capture/tcp_sequence.h"

namespace tcpgrade {
namespace {

constexpr int dlt_linux_sll = 113, dlt_linux_sll2 = 276;
// A peer's Ack further ahead than this is not a loss but numbers that do not relate (a capture
// that started late, absolute numbers): nothing is inferred from it.
constexpr uint32_t max_plausible_gap = 1u << 24;
// Holes reported per direction: each costs a pass over the segments, and a capture with
// thousands (hostile, or hardly a capture of the lab) is told by the first ones.
constexpr size_t max_holes = 16;

const char* side_name(Direction d) {
  return d == Direction::client_to_server ? "client" : "server";
}

bool occupies(const CapturedSegment& s) { return s.next_seq != s.seq; }

void find_in_direction(const CapturedConversation& c, Direction d, std::vector<LostSegment>& out) {
  const std::vector<CapturedSegment>& segs = c.segments;
  // The sequence space this side's captured segments hold, and how far the side is known to
  // have gone: a segment's Seq (even without data) and the peer's Ack.
  std::vector<std::pair<uint32_t, uint32_t>> held;
  std::optional<uint32_t> base, reach;
  for (const CapturedSegment& s : segs) {
    if (s.direction != d) continue;
    if (!base || seq_before(s.seq, *base)) base = s.seq;
    uint32_t end = occupies(s) ? s.next_seq : s.seq;
    if (!reach || seq_before(*reach, end)) reach = end;
    if (occupies(s)) held.emplace_back(s.seq, s.next_seq);
  }
  if (!base) return;  // the side sent nothing captured: its numbers are unknown
  for (const CapturedSegment& s : segs) {
    if (s.direction == d || !s.has_ack()) continue;
    if (seq_before(s.ack, *reach) || s.ack - *reach > max_plausible_gap) continue;
    reach = s.ack;
  }
  std::sort(held.begin(), held.end(), [&](const auto& a, const auto& b) {
    return seq_before(a.first - *base, b.first - *base) ||
           (a.first == b.first && seq_before(a.second - *base, b.second - *base));
  });
  // The holes between `base` and `reach` that no held range covers.
  std::vector<std::pair<uint32_t, uint32_t>> holes;
  uint32_t at = *base;
  for (const auto& [from, to] : held) {
    if (seq_before(at, from)) holes.emplace_back(at, from);
    if (seq_before(at, to)) at = to;
    if (holes.size() == max_holes) break;
  }
  if (holes.size() < max_holes && seq_before(at, *reach)) holes.emplace_back(at, *reach);

  bool fin_seen = false;
  for (const CapturedSegment& s : segs)
    if (s.direction == d && (s.flags & tcp_flag::fin)) fin_seen = true;
  for (const auto& [from, to] : holes) {
    LostSegment lost;
    lost.direction = d;
    lost.seq = from;
    lost.next_seq = to;
    // Nothing after the hole held sequence space: its last number was the FIN.
    bool last = true;
    for (const auto& range : held)
      if (!seq_before(range.first, to)) last = false;
    lost.fin = last && !fin_seen && to - from == 1;
    // The first segment that shows it: this side beyond its start, or the peer acknowledging it.
    lost.before = segs.size();
    for (size_t i = 0; i < segs.size(); ++i) {
      const CapturedSegment& s = segs[i];
      bool beyond = s.direction == d ? seq_before(from, s.seq)
                                     : s.has_ack() && seq_before(from, s.ack) &&
                                           s.ack - from <= max_plausible_gap;
      if (beyond) {
        lost.before = i;
        break;
      }
    }
    if (lost.before == segs.size()) continue;
    lost.earliest = 0;
    for (size_t i = 0; i < lost.before; ++i)
      if (segs[i].direction == d && !seq_before(from, segs[i].seq)) lost.earliest = i + 1;
    const CapturedSegment& shown = segs[lost.before];
    lost.shown_by = shown.frame;
    lost.before_frame = shown.frame;
    if (lost.before > 0) lost.after_frame = segs[lost.before - 1].frame;
    lost.shown_flag =
        shown.analysis_flags & (analysis_flag::lost_segment | analysis_flag::ack_lost_segment);
    out.push_back(lost);
  }
}

bool is_loopback(const IpAddress& a) {
  if (a.family == 4) return a.bytes[0] == 127;
  if (a.family == 6) {
    for (int i = 0; i < 15; ++i)
      if (a.bytes[i]) return false;
    return a.bytes[15] == 1;
  }
  return false;
}

}  // namespace

std::vector<LostSegment> find_lost_segments(const CapturedConversation& c) {
  std::vector<LostSegment> lost;
  if (c.segments.size() < 2) return lost;
  find_in_direction(c, Direction::client_to_server, lost);
  find_in_direction(c, Direction::server_to_client, lost);
  std::stable_sort(lost.begin(), lost.end(),
                   [](const LostSegment& a, const LostSegment& b) { return a.before < b.before; });
  return lost;
}

std::string lost_segment_text(const LostSegment& lost) {
  std::string what;
  uint32_t data = lost.data_bytes();
  if (lost.fin && data == 0)
    what = fmt::format("the {}'s FIN, Seq {}", side_name(lost.direction), lost.seq);
  else if (lost.fin)
    what = fmt::format("the {}'s last {} bytes and its FIN, Seq {} to {}",
                       side_name(lost.direction), data, lost.seq, lost.next_seq - 1);
  else
    what = fmt::format("{} bytes the {} sent, Seq {} to {}", data, side_name(lost.direction),
                       lost.seq, lost.next_seq - 1);
  if (lost.after_frame)
    return fmt::format("{}, between frames {} and {}", what, lost.after_frame, lost.before_frame);
  return fmt::format("{}, before frame {}", what, lost.before_frame);
}

void account_for_lost(CapturedConversation& c, const std::vector<LostSegment>& lost) {
  for (const LostSegment& l : lost) {
    for (size_t i = l.before; i < c.segments.size(); ++i) {
      CapturedSegment& s = c.segments[i];
      std::optional<uint32_t>& next =
          s.direction == l.direction ? s.side_next_before : s.peer_next_before;
      if (!next || seq_before(*next, l.next_seq)) next = l.next_seq;
    }
  }
}

const LostSegment* lost_for_frame(const std::vector<LostSegment>& lost, const ExpectedFrame& e,
                                  size_t position) {
  for (const LostSegment& l : lost) {
    if (position < l.earliest || position > l.before) continue;
    if (e.direction && *e.direction != l.direction) continue;
    bool wants_fin = e.flags.kind != FlagsMatchKind::any && (e.flags.flags & tcp_flag::fin);
    if (e.flags.kind != FlagsMatchKind::any && (e.flags.flags & (tcp_flag::syn | tcp_flag::rst)))
      continue;
    if (wants_fin != l.fin) continue;
    if (!l.fin && l.data_bytes() == 0) continue;
    return &l;
  }
  return nullptr;
}

bool any_interface_on_loopback(const CapturedConversation& c, const CaptureContents& contents) {
  return (contents.link_type == dlt_linux_sll || contents.link_type == dlt_linux_sll2) &&
         is_loopback(c.summary.client.address) && is_loopback(c.summary.server.address);
}

}  // namespace tcpgrade
