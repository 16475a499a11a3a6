// What conversation analysis adds to a decoded TCP frame: its stream, direction, relative
// numbers, scaled window, Wireshark's tcp.analysis flags and the lab's phase.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "capture/decoded_frame.h"

namespace tcpgrade {

// Bits mirror Wireshark's tcp.analysis.* fields (one bit per field).
namespace analysis_flag {
inline constexpr uint32_t retransmission = 1u << 0, spurious_retransmission = 1u << 1,
                          fast_retransmission = 1u << 2, out_of_order = 1u << 3,
                          lost_segment = 1u << 4,  // "previous segment not captured"
    ack_lost_segment = 1u << 5,                    // "ACKed unseen segment"
    duplicate_ack = 1u << 6, zero_window = 1u << 7, zero_window_probe = 1u << 8,
                          zero_window_probe_ack = 1u << 9, window_full = 1u << 10,
                          window_update = 1u << 11, keep_alive = 1u << 12,
                          keep_alive_ack = 1u << 13, reused_ports = 1u << 14,
                          reset = 1u
                                  << 15;  // RST set: an expert note in Wireshark, not tcp.analysis
}

// Wireshark's field name for one flag bit, e.g. "tcp.analysis.duplicate_ack".
const char* analysis_field_name(uint32_t flag_bit);
// The bracketed text tshark prints in the summary line, e.g. "TCP Dup ACK 5#1".
std::vector<std::string> analysis_labels(uint32_t flags, uint32_t dup_ack_number,
                                         uint64_t dup_ack_of_frame, uint64_t frame_number);

enum class Direction : uint8_t { client_to_server, server_to_client };
enum class Phase : uint8_t { handshake, data, teardown, reset };

const char* to_string(Direction direction);  // "client→server" / "server→client"
const char* to_string(Phase phase);          // "handshake" / "data" / "teardown" / "reset"

struct FrameAnalysis {
  uint32_t stream = 0;  // Wireshark's tcp.stream
  Direction direction = Direction::client_to_server;
  uint32_t relative_seq = 0;
  uint32_t relative_ack = 0;       // meaningful only when the ACK flag is set
  uint32_t relative_next_seq = 0;  // tcp.nxtseq; 0 when the segment occupies no sequence space
  int64_t window_scaled = 0;       // tcp.window_size: raw << shift, or raw when shift unknown
  int8_t window_shift = -1;        // -1 unknown (SYNs not both seen), -2 no scaling negotiated
  uint32_t flags = 0;              // analysis_flag bits
  uint32_t dup_ack_number = 0;     // tcp.analysis.duplicate_ack_num
  uint64_t dup_ack_of_frame = 0;   // tcp.analysis.duplicate_ack_frame
  Phase phase = Phase::handshake;
};

// Wireshark's tcp.completeness bits.
namespace completeness {
inline constexpr uint8_t syn = 1, syn_ack = 2, ack = 4, data = 8, fin = 16, rst = 32;
}

struct Endpoint {
  IpAddress address;
  uint16_t port = 0;
};

struct ConversationSummary {
  uint32_t stream = 0;
  Endpoint client, server;    // client: sender of the SYN, else guessed (see tracker)
  bool client_known = false;  // true when a SYN or SYN-ACK fixed who is who
  uint64_t first_frame = 0, last_frame = 0;
  Timestamp first_time, last_time;
  uint64_t frames[2] = {0, 0};         // [client→server, server→client]
  uint64_t bytes[2] = {0, 0};          // frame (wire) bytes each way
  uint64_t payload_bytes[2] = {0, 0};  // TCP payload each way
  uint8_t completeness = 0;            // completeness bits
  std::string state;                   // Zeek conn_state: S0, S1, SF, REJ, RSTO, ...
  std::string history;                 // Zeek history: ShADadFf, ...
  uint32_t isn[2] = {0, 0};            // raw base sequence number per direction
  bool isn_from_syn[2] = {false, false};
  int8_t window_shift[2] = {-1, -1};
};

}  // namespace tcpgrade
