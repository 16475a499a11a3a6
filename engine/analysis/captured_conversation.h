// A capture read whole for grading: every TCP conversation with its segments, kept with the
// context that relational matchers need ("next" Seq of this side, all the peer sent so far).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/frame_analysis.h"
#include "capture/capture_limits.h"
#include "capture/decoded_frame.h"

namespace tcpgrade {

struct CapturedSegment {
  uint64_t frame = 0;
  Timestamp timestamp;
  Direction direction = Direction::client_to_server;
  Phase phase = Phase::handshake;
  uint16_t flags = 0;
  uint32_t seq = 0, ack = 0;          // relative, as Wireshark shows them
  uint32_t seq_raw = 0, ack_raw = 0;  // on the wire
  uint32_t len = 0;
  uint32_t next_seq = 0;  // relative end of this segment (Seq + Len + SYN + FIN)
  uint16_t window = 0;
  int64_t window_scaled = 0;
  TcpOptions options;
  bool options_complete = true;
  std::string payload;  // captured payload bytes (may be shorter than len when cut)
  uint32_t analysis_flags = 0;
  DecodeStatus status = DecodeStatus::ok;
  const char* problem = nullptr;
  uint32_t captured_length = 0, wire_length = 0;
  // Relational context, before this segment: the highest next Seq this side had reached and
  // the highest the peer had reached (what a complete Ack would be). Unset before any segment.
  std::optional<uint32_t> side_next_before, peer_next_before;

  bool has_ack() const { return flags & tcp_flag::ack; }
};

struct CapturedConversation {
  ConversationSummary summary;
  std::vector<CapturedSegment> segments;
  bool flipped = false;  // client/server swapped to agree with the scenario's server port
};

struct CaptureContents {
  std::string path;
  uint64_t frames = 0;
  uint64_t tcp_frames = 0;
  uint32_t snap_length = 0;
  int link_type = 0;  // libpcap's DLT_ value: 113 SLL and 276 SLL2 are tcpdump -i any
  std::optional<std::string> warning;  // the file was cut short
  std::optional<uint64_t> dropped;     // packets the capturing tool says it dropped (pcapng ISB)
  std::vector<CapturedConversation> conversations;  // by stream number
};

// Where a conversation's reading stands: the highest next Seq each side reached, and the
// payload bytes kept against the reassembly budget.
struct ConversationProgress {
  std::optional<uint32_t> next[2];
  size_t payload_bytes = 0;
};

// Adds a frame's segment to its conversation, with the relational context before it. Throws
// LimitError naming `path` when the conversation's payload passes the reassembly budget.
void append_segment(const std::string& path, CapturedConversation& conversation,
                    ConversationProgress& progress, const DecodedFrame& frame,
                    const FrameAnalysis& analysis, const CaptureLimits& limits);

// Reads and analyses the whole capture. Throws CaptureError on an unreadable file and
// LimitError naming the limit when one is passed.
CaptureContents read_capture(const std::string& path, const CaptureLimits& limits = {});
// The same from `fd`, already open at the file's start; `path` names the file in messages.
CaptureContents read_capture(int fd, const std::string& path, const CaptureLimits& limits = {});

// The application data one side sent, in sequence order as the peer's stack would deliver it:
// retransmitted bytes once, a gap (bytes not captured) skipped. Stops after `max_bytes`.
std::string reassembled_payload(const CapturedConversation& conversation, Direction direction,
                                size_t max_bytes = SIZE_MAX);

// Swaps client and server of a conversation (directions of every segment and the summary).
void flip_direction(CapturedConversation& conversation);

}  // namespace tcpgrade
