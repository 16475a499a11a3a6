// Wireshark 4.0's TCP sequence analysis (packet-tcp.c, tcp_analyze_sequence_number): the
// tcp.analysis.* flags of one segment, from what Wireshark remembers about each direction.
// Everything here works on raw (absolute) Seq/Ack and the raw window, as Wireshark does.
#pragma once

#include <cstdint>

namespace tcpgrade {

// Wireshark stops listing unacknowledged segments past this many (TCP_MAX_UNACKED_SEGMENTS);
// beyond it a SYN or FIN no longer advances its direction's next Seq.
inline constexpr uint32_t max_unacked_segments = 10000;

// What Wireshark keeps for one direction of a conversation (its tcp_flow_t and
// tcp_analyze_seq_flow_info_t), reduced to what decides the flags. Fixed size: no lists.
struct FlowAnalysisState {
  // Wireshark's win_scale: -1 unknown, -2 not used, else the shift (at most 14).
  int8_t window_shift = -1;
  bool first_ack_pending = false;  // is_first_ack: a SYN was sent and no ACK since
  uint32_t window = 0xFFFFFFFF;    // last raw window; all ones before any segment

  uint32_t next_seq = 0;  // highest next Seq seen; 0 means "not known yet", as in Wireshark
  int64_t next_seq_time_ns = 0;
  uint32_t max_seq_to_be_acked = 0;
  uint32_t last_ack = 0;  // the Ack field of the last segment, even without the ACK flag
  int64_t last_ack_time_ns = 0;
  uint64_t last_non_dup_ack_frame = 0;
  int32_t dup_ack_count = 0;  // -1 after an "ACKed unseen segment" neutralised it
  uint32_t last_segment_flags = 0;
  uint8_t mptcp_operations = 0;  // MPTCP option kinds known when this side last sent

  // Wireshark's list of unacknowledged segments, kept only as the count its limit needs:
  // how many, the span [unacked_start, unacked_end) they cover.
  uint32_t unacked_count = 0;
  uint32_t unacked_start = 0, unacked_end = 0;
};

// What the conversation as a whole contributes.
struct ConversationTiming {
  int64_t last_syn_time_ns = 0;  // ts_mru_syn; 0 means none (Wireshark tests for zero)
  int64_t first_rtt_ns = 0;      // ts_first_rtt: SYN to the first pure ACK; 0 means none
  bool mptcp = false;            // an MPTCP option was seen
  uint8_t mptcp_operations = 0;  // MPTCP option kinds seen (bit per subtype 0..7)
};

struct SequenceSegment {
  uint64_t frame = 0;
  int64_t time_ns = 0;
  uint32_t seq = 0, ack = 0;
  uint32_t length = 0;  // TCP payload length
  uint16_t flags = 0;   // tcp_flag bits
  uint16_t window = 0;  // raw
};

struct SequenceVerdict {
  uint32_t flags = 0;  // analysis_flag bits; may arrive preset (reused ports)
  uint32_t dup_ack_number = 0;
  uint64_t dup_ack_of_frame = 0;
};

// Analyses one segment sent in direction `forward` and updates both directions' state.
void analyze_sequence(const SequenceSegment& segment, const ConversationTiming& timing,
                      FlowAnalysisState& forward, FlowAnalysisState& reverse,
                      SequenceVerdict& verdict);

}  // namespace tcpgrade
