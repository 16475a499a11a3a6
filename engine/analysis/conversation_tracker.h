// Follows the TCP conversations of a capture, frame by frame in capture order, as Wireshark
// 4.0 does: tcp.stream numbers (a new one when a SYN reuses the ports), relative Seq/Ack,
// scaled windows and the tcp.analysis flags; adds tcpgrade's direction and phase, and at the
// end a ConversationSummary (with Zeek's conn_state and history) per conversation.
//
// Memory follows the conversations open at once: per open conversation a fixed-size state (no
// list per frame or segment), and per endpoint pair only what tcp.stream numbering and late
// frames need (its latest stream number, numbering bases, window shifts, the final Seq/Ack
// each way: a few dozen bytes), however many streams the pair has had.
//
// When finished conversations are handed to `on_finished`, a conversation closed by a RST or
// by two acknowledged FINs is finished by the frame that closes it. A later frame on its
// ports that starts no new stream is late (a retransmission or ACK that crossed the close,
// the RST it draws): it keeps the stream number, is analysed against the final Seq/Ack kept
// for the pair, and its one-frame summary goes to `on_late`, a note on that conversation
// (Wireshark's and Zeek's reading), never a second report of it.
//
// When summaries are kept instead, a closed conversation is finished once the capture has
// moved `close_linger_ns` past its last frame, so that frames in between join it; a frame
// later still reopens it under the same stream number with fresh analysis state and counts
// in its kept summary.
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
#include <set>
#include <vector>

#include "analysis/frame_analysis.h"
#include "analysis/sequence_analysis.h"
#include "capture/capture_limits.h"
#include "capture/decoded_frame.h"

namespace tcpgrade {

struct ConversationTrackerOptions {
  // Conversations open at once (not yet closed) one capture may hold; one more throws
  // LimitError. The total over the capture is unbounded.
  size_t max_open_conversations = 250'000;  // CaptureLimits::max_connections: why this much
  // When summaries are kept: capture time a closed conversation keeps its analysis state for
  // late frames (final ACKs, retransmitted FINs, a RST after the FINs). Linux keeps TIME_WAIT
  // for 60 s.
  int64_t close_linger_ns = 120'000'000'000;
  // Receives each conversation's summary when it is finished, a closed one by the frame that
  // closes it. When set, finished summaries are not kept and summaries() lists only the
  // conversations still open.
  std::function<void(const ConversationSummary&)> on_finished = nullptr;
  // With on_finished: receives the one-frame summary of a late frame (after its conversation
  // was finished at its close), under that conversation's stream number. Unset: ignored.
  std::function<void(const ConversationSummary&)> on_late = nullptr;
};

class ConversationTracker {
 public:
  explicit ConversationTracker(ConversationTrackerOptions options = {});
  ~ConversationTracker();
  ConversationTracker(const ConversationTracker&) = delete;
  ConversationTracker& operator=(const ConversationTracker&) = delete;

  // Analyses one frame that carries a TCP segment (frame.has_tcp), frames in capture order.
  // Throws LimitError when the frame would open more than max_open_conversations at once.
  FrameAnalysis add(const DecodedFrame& frame);

  // The capture ended: finishes every open conversation, in stream order.
  void finish();

  // Every conversation so far, by stream number: the finished ones as kept, the open ones
  // as they stand now (their state and history so far). Does not finish anything.
  std::vector<ConversationSummary> summaries() const;

  size_t conversation_count() const { return next_stream_; }      // tcp.stream numbers given
  size_t open_conversation_count() const { return open_count_; }  // holding analysis state
  size_t unclosed_conversation_count() const { return unclosed_count_; }
  size_t endpoint_pair_count() const { return latest_stream_.size(); }  // what numbering keeps
  // The lowest tcp.stream number not yet finished (conversation_count() when none is open):
  // every stream below it has been handed to on_finished, so a consumer can write results in
  // stream order up to it without an index of every stream. A late frame's brief reopening
  // does not count.
  uint32_t lowest_unfinished_stream() const {
    return unfinished_.empty() ? next_stream_ : *unfinished_.begin();
  }

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

  struct Conversation;  // the open conversation's analysis state, in the .cc

  // What stays of the latest conversation on an endpoint pair for its whole life (and of the
  // pair once it is finished); indexed by side (0: key's first).
  struct Stream {
    uint32_t id = 0;  // its tcp.stream number
    std::array<uint32_t, 2> base_seq{};
    std::array<bool, 2> base_set{};
    std::array<bool, 2> base_from_syn{};
    std::array<int8_t, 2> window_shift{-1, -1};
    uint8_t client_side = 0;
    bool client_known = false;
    bool teardown_seen = false;    // a FIN was seen: later frames are teardown
    bool finished_closed = false;  // finished at its close: later frames are late
    uint32_t generation = 0;       // counts the Conversation states this stream has had
    int64_t kept_summary = -1;     // index in kept_ once finished (when summaries are kept)
    // Where the analysis stood when it was finished, per side, for a late frame.
    std::array<uint32_t, 2> next_seq{}, max_seq_to_be_acked{}, last_ack{}, window{};
    std::array<int32_t, 2> dup_ack_count{};
    std::array<uint64_t, 2> last_non_dup_ack_frame{};  // what a late duplicate ACK repeats
    std::unique_ptr<Conversation> open;
  };

  // Key → its latest Stream, looked up once per frame: open addressing over a power-of-two
  // table (no node per entry, no division by a prime), each slot keeping its hash so that a
  // probe compares whole keys only on a likely match. Holds one entry per endpoint pair, not
  // per stream: port reuse replaces the pair's Stream.
  class StreamIndex {
   public:
    Stream* find(const Key& key, uint64_t hash);
    // The new pair's Stream; pointers from find() do not survive it.
    Stream& insert(const Key& key, uint64_t hash, Stream stream);
    size_t size() const { return used_; }
    template <typename Visit>
    void for_each(Visit visit) {
      for (Slot& slot : slots_)
        if (slot.tag != 0) visit(slot.key, slot.stream);
    }
    template <typename Visit>
    void for_each(Visit visit) const {
      for (const Slot& slot : slots_)
        if (slot.tag != 0) visit(slot.key, slot.stream);
    }

   private:
    struct Slot {
      Key key;
      uint32_t tag = 0;  // the hash's high bits | 1; 0 marks an empty slot
      Stream stream;
    };
    static uint32_t tag_of(uint64_t hash) { return static_cast<uint32_t>(hash >> 32) | 1; }
    void grow();

    std::vector<Slot> slots_;
    size_t used_ = 0;
  };

  struct Lingering {
    Key key;
    uint32_t stream;
    uint32_t generation;
    int64_t deadline_ns;
  };

  // The stream a frame belongs to, opening or reopening it as needed; a SYN with a new ISN
  // opens a new one and marks the verdict with reused ports.
  Stream& stream_for(const Key& key, uint64_t key_hash, const DecodedFrame& frame, int src_side,
                     bool& conversation_is_new, SequenceVerdict& verdict);
  Stream new_stream(const DecodedFrame& frame, int src_side);
  void open_conversation(Stream& stream, const Key& key, const DecodedFrame& frame, int src_side);
  ConversationSummary summary_of(const Stream& stream) const;
  void finish_stream(Stream& stream);
  void finish_lingering(int64_t now_ns);

  ConversationTrackerOptions options_;
  StreamIndex latest_stream_;
  std::vector<ConversationSummary> kept_;
  std::deque<Lingering> lingering_;
  std::set<uint32_t> unfinished_;  // the open conversations' stream numbers, late ones aside
  uint32_t next_stream_ = 0;
  size_t open_count_ = 0;
  size_t unclosed_count_ = 0;  // open and not yet closed: what max_open_conversations limits
  int64_t latest_time_ns_ = INT64_MIN;
};

}  // namespace tcpgrade
