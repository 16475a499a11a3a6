// Follows the TCP conversations of a capture, frame by frame in capture order, as Wireshark
// 4.0 does: tcp.stream numbers (a new one when a SYN reuses the ports), relative Seq/Ack,
// scaled windows and the tcp.analysis flags; adds tcpgrade's direction and phase, and at the
// end a ConversationSummary (with Zeek's conn_state and history) per conversation.
//
// Memory follows the conversations open at once: per conversation a fixed-size state (no
// list per frame or segment). A conversation closed by a RST or by two acknowledged FINs is
// finished once the capture has moved `close_linger_ns` past its last frame: its summary is
// kept (or handed to `on_finished`, then not kept) and its state dropped; only its key,
// numbering bases and window shifts stay, for port-reuse detection and for late frames.
// A late frame reopens the conversation under the same stream number with fresh analysis
// state: relative numbers and scaled windows stay right, but its flags may differ from
// Wireshark's, which never forgets. Its frames count in the kept summary; with
// `on_finished` the stream is reported once more when it finishes again.
//
// Client and server: the sender of the SYN is the client; else the sender of the SYN-ACK is
// the server; else a guess, fixed at the conversation's first frame: the lower port is the
// server's (well-known and registered ports sit below ephemeral ones); on equal ports the
// first sender is the client.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "analysis/frame_analysis.h"
#include "analysis/sequence_analysis.h"
#include "capture/capture_limits.h"
#include "capture/decoded_frame.h"

namespace tcpgrade {

struct ConversationTrackerOptions {
  // Conversations (tcp.stream numbers) one capture may hold; one more throws LimitError.
  size_t max_conversations = 250'000;  // CaptureLimits::max_connections: why this much
  // Capture time a closed conversation keeps its analysis state for late frames (final
  // ACKs, retransmitted FINs, a RST after the FINs). Linux keeps TIME_WAIT for 60 s.
  int64_t close_linger_ns = 120'000'000'000;
  // Receives each conversation's summary when it is finished. When set, finished summaries
  // are not kept and summaries() lists only the conversations still open.
  std::function<void(const ConversationSummary&)> on_finished = nullptr;
};

class ConversationTracker {
 public:
  explicit ConversationTracker(ConversationTrackerOptions options = {});
  ~ConversationTracker();
  ConversationTracker(const ConversationTracker&) = delete;
  ConversationTracker& operator=(const ConversationTracker&) = delete;

  // Analyses one frame that carries a TCP segment (frame.has_tcp), frames in capture order.
  // Throws LimitError when the frame would open more than max_conversations.
  FrameAnalysis add(const DecodedFrame& frame);

  // The capture ended: finishes every open conversation, in stream order.
  void finish();

  // Every conversation so far, by stream number: the finished ones as kept, the open ones
  // as they stand now (their state and history so far). Does not finish anything.
  std::vector<ConversationSummary> summaries() const;

  size_t conversation_count() const { return streams_.size(); }
  size_t open_conversation_count() const { return open_count_; }

 private:
  // The two endpoints in canonical order (lower address/port first), so both directions of
  // a conversation find the same entry.
  struct Key {
    std::array<IpAddress, 2> address;
    std::array<uint16_t, 2> port{};
    bool operator==(const Key&) const = default;
  };
  static uint64_t hash(const Key& key);
  static uint64_t hash(const IpAddress& address_0, uint16_t port_0, const IpAddress& address_1,
                       uint16_t port_1);
  static bool same_key(const Key& a, const Key& b);

  // Key → latest stream number, looked up once per frame: open addressing over a
  // power-of-two table (no node per entry, no division by a prime), each slot keeping its
  // hash so that a probe compares whole keys only on a likely match.
  class StreamIndex {
   public:
    uint32_t* find(const Key& key, uint64_t hash);
    void insert(const Key& key, uint64_t hash, uint32_t stream);

   private:
    struct Slot {
      Key key;
      uint32_t stream = 0;
      uint32_t tag = 0;  // the hash's high bits | 1; 0 marks an empty slot
    };
    static uint32_t tag_of(uint64_t hash) { return static_cast<uint32_t>(hash >> 32) | 1; }
    void grow();

    std::vector<Slot> slots_;
    size_t used_ = 0;
  };
  struct Conversation;  // the open conversation's analysis state, in the .cc

  // What stays of a conversation for its whole life; indexed by side (0: key's first).
  struct Stream {
    std::array<uint32_t, 2> base_seq{};
    std::array<bool, 2> base_set{};
    std::array<bool, 2> base_from_syn{};
    std::array<int8_t, 2> window_shift{-1, -1};
    uint8_t client_side = 0;
    bool client_known = false;
    bool teardown_seen = false;  // a FIN was seen: later frames are teardown
    uint32_t generation = 0;     // counts the Conversation states this stream has had
    int64_t kept_summary = -1;   // index in kept_ once finished (when summaries are kept)
    std::unique_ptr<Conversation> open;
  };

  struct Lingering {
    uint32_t stream;
    uint32_t generation;
    int64_t deadline_ns;
  };

  // The stream a frame belongs to, opening or reopening it as needed; a SYN with a new ISN
  // opens a new one and marks the verdict with reused ports.
  uint32_t stream_for(const Key& key, uint64_t key_hash, const DecodedFrame& frame, int src_side,
                      bool& conversation_is_new, SequenceVerdict& verdict);
  uint32_t new_stream(const Key& key, const DecodedFrame& frame, int src_side);
  void open_conversation(uint32_t stream, const Key& key, const DecodedFrame& frame, int src_side);
  ConversationSummary summary_of(uint32_t stream) const;
  void finish_stream(uint32_t stream);
  void finish_lingering(int64_t now_ns);

  ConversationTrackerOptions options_;
  StreamIndex latest_stream_;
  std::vector<Stream> streams_;
  std::vector<ConversationSummary> kept_;
  std::deque<Lingering> lingering_;
  size_t open_count_ = 0;
  int64_t latest_time_ns_ = INT64_MIN;
};

}  // namespace tcpgrade
