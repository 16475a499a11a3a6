#include "analysis/sequence_analysis.h"

#include <algorithm>

#include "analysis/frame_analysis.h"
#include "capture/decoded_frame.h"
#include "capture/tcp_sequence.h"

namespace tcpgrade {
namespace {

constexpr int64_t fast_retransmission_window_ns = 20'000'000;  // after the last dup ACK
constexpr uint64_t default_out_of_order_ns = 3'000'000;        // when no first RTT is known

// Wireshark measures intervals as unsigned: a timestamp going backwards gives a huge value.
uint64_t elapsed(int64_t now_ns, int64_t then_ns) {
  return static_cast<uint64_t>(now_ns) - static_cast<uint64_t>(then_ns);
}

// Records a segment in the sender's unacknowledged span, as Wireshark adds it to its list.
void remember_unacked(FlowAnalysisState& flow, uint32_t seq, uint32_t next) {
  if (flow.unacked_count == 0) {
    flow.unacked_start = seq;
    flow.unacked_end = next;
  } else if (seq_after(next, flow.unacked_end)) {
    flow.unacked_end = next;
  }
  ++flow.unacked_count;
}

// Wireshark drops every listed segment whose end the Ack reaches. Without the list, a
// partial Ack keeps the share of segments proportional to the span still unacknowledged.
void forget_acked(FlowAnalysisState& flow, uint32_t ack) {
  if (flow.unacked_count == 0) return;
  if (seq_before_or_at(flow.unacked_end, ack)) {
    flow.unacked_count = 0;
    return;
  }
  if (!seq_after(ack, flow.unacked_start)) return;
  uint64_t span = flow.unacked_end - flow.unacked_start;
  uint64_t remaining = flow.unacked_end - ack;
  uint64_t estimate = (uint64_t{flow.unacked_count} * remaining + span - 1) / span;
  flow.unacked_count = static_cast<uint32_t>(std::min<uint64_t>(flow.unacked_count, estimate));
  flow.unacked_start = ack;
}

// The window the receiver advertised, as Wireshark scales it for the Window Full test.
uint32_t advertised_window(const FlowAnalysisState& receiver) {
  int shift = 0;
  if (!receiver.first_ack_pending && receiver.window_shift > 0) shift = receiver.window_shift;
  return receiver.window << shift;
}

// The checks that concern the segment as sent, before its Ack is looked at. A zero window
// probe, keep-alive ACK or zero window probe ACK ends them: Wireshark skips the rest.
void forward_checks(const SequenceSegment& s, const ConversationTiming& timing,
                    FlowAnalysisState& fwd, const FlowAnalysisState& rev, SequenceVerdict& v) {
  const uint16_t syn_fin_rst = tcp_flag::syn | tcp_flag::fin | tcp_flag::rst;
  const bool control = s.flags & syn_fin_rst;

  if (s.length == 1 && s.seq == fwd.next_seq && rev.window == 0) {
    v.flags |= analysis_flag::zero_window_probe;
    return;
  }
  if (s.window == 0 && !control) v.flags |= analysis_flag::zero_window;
  if (fwd.next_seq && seq_after(s.seq, fwd.next_seq) && !(s.flags & tcp_flag::rst))
    v.flags |= analysis_flag::lost_segment;
  if (s.length <= 1 && s.seq == fwd.next_seq - 1 && !control) v.flags |= analysis_flag::keep_alive;

  // Same Seq and Ack as this side's previous segment: a window update or a duplicate ACK.
  const bool repeats_position =
      s.length == 0 && s.seq == fwd.next_seq && s.ack == fwd.last_ack && !control;
  if (repeats_position && s.window != 0 && s.window != fwd.window)
    v.flags |= analysis_flag::window_update;
  if (s.length > 0 && rev.window_shift != -1 && !control &&
      s.seq + s.length == rev.last_ack + advertised_window(rev))
    v.flags |= analysis_flag::window_full;
  if (repeats_position && s.window != 0 && s.window == fwd.window &&
      (rev.last_segment_flags & analysis_flag::keep_alive)) {
    v.flags |= analysis_flag::keep_alive_ack;
    return;
  }
  if (repeats_position && s.window == 0 && fwd.window == 0 &&
      (rev.last_segment_flags & analysis_flag::zero_window_probe)) {
    v.flags |= analysis_flag::zero_window_probe_ack;
    return;
  }
  if (repeats_position && s.window != 0 && s.window == fwd.window) {
    // MPTCP allows duplicate ACKs when new MPTCP operations appeared (RFC 8684 section 4).
    if (timing.mptcp && timing.mptcp_operations != fwd.mptcp_operations) return;
    fwd.dup_ack_count = fwd.dup_ack_count == -1 ? 1 : fwd.dup_ack_count + 1;
    v.flags |= analysis_flag::duplicate_ack;
    v.dup_ack_number = static_cast<uint32_t>(fwd.dup_ack_count);
    v.dup_ack_of_frame = fwd.last_non_dup_ack_frame;
  }
}

// Retransmission, fast retransmission, spurious retransmission or out-of-order, for a
// segment that occupies sequence space (data, SYN or FIN).
void retransmission_checks(const SequenceSegment& s, const ConversationTiming& timing,
                           const FlowAnalysisState& fwd, const FlowAnalysisState& rev,
                           SequenceVerdict& v) {
  const bool syn_or_fin = s.flags & (tcp_flag::syn | tcp_flag::fin);
  if (s.length == 0 && !syn_or_fin) return;
  if (v.flags & analysis_flag::keep_alive) return;
  bool seq_not_advanced = fwd.next_seq && seq_before(s.seq, fwd.next_seq);
  // More than one byte starting one before the next Seq adds data (after a probe).
  if (s.length > 1 && fwd.next_seq - 1 == s.seq) seq_not_advanced = false;

  // All of it was acknowledged already.
  if (s.length > 0 && rev.last_ack && seq_before_or_at(s.seq + s.length, rev.last_ack)) {
    v.flags |= analysis_flag::spurious_retransmission | analysis_flag::retransmission;
    return;
  }
  // Asked for by at least two duplicate ACKs, just now.
  if (seq_not_advanced && rev.dup_ack_count >= 2 && rev.last_ack == s.seq &&
      elapsed(s.time_ns, rev.last_ack_time_ns) < fast_retransmission_window_ns) {
    v.flags |= analysis_flag::fast_retransmission | analysis_flag::retransmission;
    return;
  }
  // Soon after the highest segment: reordered rather than resent.
  uint64_t threshold = timing.first_rtt_ns != 0 ? static_cast<uint64_t>(timing.first_rtt_ns)
                                                : default_out_of_order_ns;
  uint32_t segment_end = s.seq + s.length + (syn_or_fin ? 1 : 0);
  if (seq_not_advanced && elapsed(s.time_ns, fwd.next_seq_time_ns) < threshold &&
      fwd.next_seq != segment_end) {
    v.flags |= analysis_flag::out_of_order;
    return;
  }
  if (seq_not_advanced) v.flags |= analysis_flag::retransmission;
}

}  // namespace

void analyze_sequence(const SequenceSegment& s, const ConversationTiming& timing,
                      FlowAnalysisState& fwd, FlowAnalysisState& rev, SequenceVerdict& v) {
  forward_checks(s, timing, fwd, rev, v);

  // A new Ack restarts the duplicate count.
  if (s.ack != fwd.last_ack) {
    fwd.last_non_dup_ack_frame = s.frame;
    fwd.dup_ack_count = 0;
  }

  // Acknowledges what the other side was never seen sending.
  if (rev.max_seq_to_be_acked && seq_after(s.ack, rev.max_seq_to_be_acked) &&
      (s.flags & tcp_flag::ack)) {
    if (seq_before(rev.max_seq_to_be_acked, rev.next_seq)) {
      rev.max_seq_to_be_acked = rev.next_seq;
      v.flags |= analysis_flag::ack_lost_segment;
    } else {
      // The other side is stalled on pure ACKs: report the same loss only once.
      if (rev.dup_ack_count == 0) v.flags |= analysis_flag::ack_lost_segment;
      rev.dup_ack_count = -1;
    }
  }

  retransmission_checks(s, timing, fwd, rev, v);

  const bool syn_or_fin = s.flags & (tcp_flag::syn | tcp_flag::fin);
  const bool probe = v.flags & analysis_flag::zero_window_probe;
  uint32_t next = s.seq + s.length;
  if ((s.length || syn_or_fin) && fwd.unacked_count < max_unacked_segments) {
    if (syn_or_fin) next += 1;  // only counted while the segment could be listed
    remember_unacked(fwd, s.seq, next);
  }
  // Zero window probes do not move the next Seq.
  if ((seq_after(next, fwd.next_seq) || !fwd.next_seq) && !probe) {
    fwd.next_seq = next;
    fwd.next_seq_time_ns = s.time_ns;
  }
  if ((s.seq == fwd.max_seq_to_be_acked || !fwd.max_seq_to_be_acked) && !probe)
    fwd.max_seq_to_be_acked = fwd.next_seq;

  fwd.window = s.window;
  fwd.last_ack = s.ack;
  fwd.last_ack_time_ns = s.time_ns;
  if (timing.mptcp) fwd.mptcp_operations = timing.mptcp_operations;
  fwd.last_segment_flags = v.flags;
  forget_acked(rev, s.ack);
}

}  // namespace tcpgrade
