#include "analysis/conversation_tracker.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "analysis/connection_state.h"
#include "analysis/sequence_analysis.h"
#include "capture/tcp_sequence.h"

namespace tcpgrade {
namespace {

// IpAddress's order (family, then bytes), compared as two big-endian words: once per frame.
bool endpoint_before(const IpAddress& a, uint16_t a_port, const IpAddress& b, uint16_t b_port) {
  if (a.family != b.family) return a.family < b.family;
  for (size_t at = 0; at < 16; at += 8) {
    uint64_t a_word, b_word;
    std::memcpy(&a_word, a.bytes.data() + at, 8);
    std::memcpy(&b_word, b.bytes.data() + at, 8);
    if (a_word != b_word) return __builtin_bswap64(a_word) < __builtin_bswap64(b_word);
  }
  return a_port < b_port;
}

// Frames that came after a conversation was finished count in its kept summary; its state
// and history stay those of the conversation as it closed.
void add_late_frames(ConversationSummary& kept, const ConversationSummary& late) {
  for (int direction = 0; direction < 2; ++direction) {
    kept.frames[direction] += late.frames[direction];
    kept.bytes[direction] += late.bytes[direction];
    kept.payload_bytes[direction] += late.payload_bytes[direction];
    kept.window_shift[direction] = late.window_shift[direction];
  }
  kept.last_frame = late.last_frame;
  kept.last_time = late.last_time;
  kept.completeness |= late.completeness;
}

// Wireshark's tcp.completeness: a brand-new conversation counts only a pure SYN.
void update_completeness(uint8_t& done, bool conversation_is_new, const TcpHeader& tcp) {
  const bool syn = tcp.flags & tcp_flag::syn, ack = tcp.flags & tcp_flag::ack;
  if (conversation_is_new) {
    if (syn && !ack) done |= completeness::syn | (tcp.payload_length ? completeness::data : 0);
    return;
  }
  if (syn && ack) done |= completeness::syn_ack;
  if (ack && !syn) done |= tcp.payload_length ? completeness::data : completeness::ack;
  if ((tcp.flags & tcp_flag::fin) && ack) done |= completeness::fin;
  if (tcp.flags & tcp_flag::rst) done |= completeness::rst;
}

// After the analysis, as in Wireshark: the first RTT runs from the latest SYN to the first
// ACK without SYN; a SYN makes its side's next ACK its first.
void update_timing(ConversationTiming& timing, FlowAnalysisState& forward, uint16_t flags,
                   int64_t now) {
  const bool syn = flags & tcp_flag::syn, ack = flags & tcp_flag::ack;
  if (syn) {
    if (!ack) timing.last_syn_time_ns = now;
    forward.first_ack_pending = true;
  }
  if (ack && !syn) {
    if (timing.last_syn_time_ns != 0 && timing.first_rtt_ns == 0)
      timing.first_rtt_ns = now - timing.last_syn_time_ns;
    forward.first_ack_pending = false;
  }
}

// The options, which Wireshark dissects last. A header cut inside its options stops the
// dissection there: no window-scale check, and no analysis shown for the frame. Returns
// whether the frame's analysis is shown.
bool apply_options(ConversationTiming& timing, FlowAnalysisState& forward,
                   FlowAnalysisState& reverse, const TcpHeader& tcp) {
  const TcpOptions& options = tcp.options;
  if (options.window_scale)
    forward.window_shift = static_cast<int8_t>(std::min<int>(*options.window_scale, 14));
  if (options.mptcp_subtype) timing.mptcp = true;
  if (!tcp.options_complete) return false;
  if (tcp.flags & tcp_flag::syn) {
    if (forward.window_shift == -1) {
      forward.window_shift = -2;  // no WS option: scaling is off both ways
      reverse.window_shift = -2;
    } else if ((tcp.flags & tcp_flag::ack) && reverse.window_shift == -2) {
      forward.window_shift = -2;  // the SYN offered none
    }
  }
  if (options.mptcp_subtype && *options.mptcp_subtype < 8)
    timing.mptcp_operations |= static_cast<uint8_t>(1u << *options.mptcp_subtype);
  return true;
}

// The lab's phases: handshake (SYN, SYN-ACK and the client's data-less ACK after them),
// data, teardown from the first FIN on, reset for RST segments.
struct PhaseTracking {
  bool awaiting_handshake_ack = false;
  bool handshake_done = false;
  bool teardown_started = false;
};

Phase next_phase(PhaseTracking& phases, bool from_client, const TcpHeader& tcp) {
  const bool syn = tcp.flags & tcp_flag::syn, ack = tcp.flags & tcp_flag::ack;
  const bool completes_handshake = phases.awaiting_handshake_ack && from_client && ack && !syn;
  if (completes_handshake) {
    phases.awaiting_handshake_ack = false;
    phases.handshake_done = true;
  }
  if (tcp.flags & tcp_flag::fin) phases.teardown_started = true;
  if (tcp.flags & tcp_flag::rst) return Phase::reset;
  if (phases.teardown_started) return Phase::teardown;
  if (syn) {
    if (!phases.handshake_done) phases.awaiting_handshake_ack = true;
    return Phase::handshake;
  }
  if (completes_handshake && tcp.payload_length == 0) return Phase::handshake;
  return Phase::data;
}

// Whether the conversation is over: a RST, or each side's FIN acknowledged by the other.
struct Closing {
  bool fin_seen[2] = {false, false};
  bool fin_acked[2] = {false, false};
  uint32_t fin_next_seq[2] = {0, 0};
  bool closed = false;

  // Returns true for the segment that closes the conversation.
  bool update(int src_side, const TcpHeader& tcp) {
    const int peer_side = 1 - src_side;
    if (tcp.flags & tcp_flag::fin) {
      fin_seen[src_side] = true;
      fin_next_seq[src_side] = tcp.seq + tcp.payload_length + ((tcp.flags & tcp_flag::syn) ? 2 : 1);
    }
    if ((tcp.flags & tcp_flag::ack) && fin_seen[peer_side] &&
        seq_after_or_at(tcp.ack, fin_next_seq[peer_side]))
      fin_acked[peer_side] = true;
    if (closed || !((tcp.flags & tcp_flag::rst) || (fin_acked[0] && fin_acked[1]))) return false;
    closed = true;
    return true;
  }
};

}  // namespace

// The state of an open conversation. Fixed size: it does not grow with frames.
struct ConversationTracker::Conversation {
  explicit Conversation(bool flipped) : zeek(flipped) {}

  FlowAnalysisState flows[2];  // Wireshark's per-direction state, by side
  ConversationTiming timing;
  ConnectionState zeek;
  ConversationSummary summary;  // counters; state and history are filled when asked
  PhaseTracking phases;
  Closing closing;
  int64_t last_time_ns = 0;
  bool late = false;      // reopened for a frame after its stream was finished at its close
  bool unclosed = false;  // counted in unclosed_count_
};

uint64_t ConversationTracker::hash(const Key& key) {
  return hash(key.address[0], key.port[0], key.address[1], key.port[1]);
}

uint64_t ConversationTracker::hash(const IpAddress& address_0, uint16_t port_0,
                                   const IpAddress& address_1, uint16_t port_1) {
  // Eight bytes at a time: looked up once per frame, so it must be cheap.
  auto word = [](const uint8_t* bytes) {
    uint64_t w;
    std::memcpy(&w, bytes, sizeof w);
    return w;
  };
  auto mix = [](uint64_t hash, uint64_t value) {
    hash ^= value + 0x9e3779b97f4a7c15ull + (hash << 6) + (hash >> 2);
    return hash;
  };
  uint64_t hash = static_cast<uint64_t>(port_0) << 32 | static_cast<uint64_t>(port_1) << 16 |
                  static_cast<uint64_t>(address_0.family) << 8 | address_1.family;
  hash = mix(hash, word(address_0.bytes.data()));
  hash = mix(hash, word(address_0.bytes.data() + 8));
  hash = mix(hash, word(address_1.bytes.data()));
  hash = mix(hash, word(address_1.bytes.data() + 8));
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdull;
  hash ^= hash >> 33;
  return hash;
}

bool ConversationTracker::same_key(const Key& a, const Key& b) {
  // Key has no padding (bytes and 16-bit ports), so comparing its bytes compares its fields.
  static_assert(sizeof(Key) == 2 * sizeof(IpAddress) + 2 * sizeof(uint16_t));
  return std::memcmp(&a, &b, sizeof(Key)) == 0;
}

ConversationTracker::Stream* ConversationTracker::StreamIndex::find(const Key& key, uint64_t hash) {
  if (slots_.empty()) return nullptr;
  const uint32_t tag = tag_of(hash);
  const size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>(hash) & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.tag == 0) return nullptr;
    if (slot.tag == tag && same_key(slot.key, key)) return &slot.stream;
  }
}

ConversationTracker::Stream& ConversationTracker::StreamIndex::insert(const Key& key, uint64_t hash,
                                                                      Stream stream) {
  if ((used_ + 1) * 2 > slots_.size()) grow();  // at most half full: probes stay short
  const size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(hash) & mask;
  while (slots_[i].tag != 0) i = (i + 1) & mask;
  Slot& slot = slots_[i];
  slot.key = key;
  slot.tag = tag_of(hash);
  slot.stream = std::move(stream);
  ++used_;
  return slot.stream;
}

void ConversationTracker::StreamIndex::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.clear();
  slots_.resize(std::max<size_t>(64, old.size() * 2));
  used_ = 0;
  for (Slot& slot : old)
    if (slot.tag != 0) insert(slot.key, hash(slot.key), std::move(slot.stream));
}

ConversationTracker::ConversationTracker(ConversationTrackerOptions options)
    : options_(std::move(options)) {}

ConversationTracker::~ConversationTracker() = default;

ConversationTracker::Stream ConversationTracker::new_stream(const DecodedFrame& frame,
                                                            int src_side) {
  if (unclosed_count_ >= options_.max_open_conversations)
    throw LimitError(
        fmt::format("more than {} TCP connections open at once (limit "
                    "--max-connections)",
                    options_.max_open_conversations));
  const uint16_t flags = frame.tcp.flags;
  Stream stream;
  stream.id = next_stream_++;
  const bool syn = flags & tcp_flag::syn, ack = flags & tcp_flag::ack;
  if (syn) {
    // The SYN's sender is the client, the SYN-ACK's the server.
    stream.client_side = static_cast<uint8_t>(ack ? 1 - src_side : src_side);
    stream.client_known = true;
  } else if (frame.tcp.src_port < frame.tcp.dst_port) {
    stream.client_side = static_cast<uint8_t>(1 - src_side);  // the lower port serves
  } else {
    stream.client_side = static_cast<uint8_t>(src_side);
  }
  return stream;
}

void ConversationTracker::open_conversation(Stream& stream, const Key& key,
                                            const DecodedFrame& frame, int src_side) {
  int client = stream.client_side;
  // Zeek takes the first sender as originator; tcpgrade's client is Zeek's after a flip.
  auto conversation = std::make_unique<Conversation>(client != src_side);
  for (int side = 0; side < 2; ++side)
    conversation->flows[side].window_shift = stream.window_shift[side];
  if (stream.finished_closed) {
    // A late frame: analysed against where the conversation stood when it closed, so that
    // a retransmitted FIN is a retransmission and a repeated ACK a duplicate.
    conversation->late = true;
    for (int side = 0; side < 2; ++side) {
      FlowAnalysisState& flow = conversation->flows[side];
      flow.next_seq = stream.next_seq[side];
      flow.max_seq_to_be_acked = stream.max_seq_to_be_acked[side];
      flow.last_ack = stream.last_ack[side];
      flow.window = stream.window[side];
      flow.dup_ack_count = stream.dup_ack_count[side];
      flow.last_non_dup_ack_frame = stream.last_non_dup_ack_frame[side];
    }
  } else {
    conversation->unclosed = true;
    ++unclosed_count_;
    unfinished_.insert(stream.id);
  }
  conversation->phases.teardown_started = stream.teardown_seen;
  conversation->phases.handshake_done = stream.generation > 0;  // reopened: long past it
  ConversationSummary& summary = conversation->summary;
  summary.stream = stream.id;
  summary.client = {key.address[client], key.port[client]};
  summary.server = {key.address[1 - client], key.port[1 - client]};
  summary.first_frame = frame.number;
  summary.first_time = frame.timestamp;
  stream.open = std::move(conversation);
  ++stream.generation;
  ++open_count_;
}

ConversationTracker::Stream& ConversationTracker::stream_for(const Key& key, uint64_t key_hash,
                                                             const DecodedFrame& frame,
                                                             int src_side,
                                                             bool& conversation_is_new,
                                                             SequenceVerdict& verdict) {
  const TcpHeader& tcp = frame.tcp;
  Stream* found = latest_stream_.find(key, key_hash);
  conversation_is_new = found == nullptr;
  if (conversation_is_new) {
    Stream& stream = latest_stream_.insert(key, key_hash, new_stream(frame, src_side));
    open_conversation(stream, key, frame, src_side);
    return stream;
  }
  Stream& stream = *found;
  if (!stream.open) open_conversation(stream, key, frame, src_side);  // a late frame
  const bool syn = tcp.flags & tcp_flag::syn, ack = tcp.flags & tcp_flag::ack;
  if (syn && !ack && stream.base_set[src_side]) {
    // Another ISN on the same ports starts a new conversation (Wireshark's rule); the same
    // ISN is a retransmitted SYN, for which Wireshark winds the next Seq back.
    if (tcp.seq == stream.base_seq[src_side]) {
      FlowAnalysisState& flow = stream.open->flows[src_side];
      flow.next_seq = flow.max_seq_to_be_acked;
      return stream;
    }
    finish_stream(stream);  // no frame can reach it any more: it is open no longer
    stream = new_stream(frame, src_side);
    open_conversation(stream, key, frame, src_side);
    verdict.flags |= analysis_flag::reused_ports;
    stream.open->summary.completeness = completeness::syn;
    return stream;
  }
  // A SYN-ACK with another ISN renumbers its side (Wireshark, issue 16944).
  if (syn && ack && stream.base_set[src_side] && tcp.seq != stream.base_seq[src_side]) {
    stream.base_seq[src_side] = tcp.seq;
    verdict.flags |= analysis_flag::reused_ports;
  }
  return stream;
}

FrameAnalysis ConversationTracker::add(const DecodedFrame& frame) {
  const TcpHeader& tcp = frame.tcp;
  const uint16_t flags = tcp.flags;
  const bool syn = flags & tcp_flag::syn, ack = flags & tcp_flag::ack;
  const bool fin = flags & tcp_flag::fin, rst = flags & tcp_flag::rst;
  const int64_t now = frame.timestamp.total_ns();

  // Side 0 is the lower endpoint. A connection from an endpoint to itself sends every
  // segment from side 1, as Wireshark files all of them under its second flow.
  Key key;
  const int src_side =
      endpoint_before(frame.ip.src, tcp.src_port, frame.ip.dst, tcp.dst_port) ? 0 : 1;
  const int peer_side = 1 - src_side;
  key.address[src_side] = frame.ip.src;
  key.port[src_side] = tcp.src_port;
  key.address[peer_side] = frame.ip.dst;
  key.port[peer_side] = tcp.dst_port;

  SequenceVerdict verdict;
  bool conversation_is_new = false;
  // Hashed from the frame, not from the key just written: the key's bytes are still in
  // flight to memory, and wide loads of them would wait.
  const uint64_t key_hash = src_side == 0
                                ? hash(frame.ip.src, tcp.src_port, frame.ip.dst, tcp.dst_port)
                                : hash(frame.ip.dst, tcp.dst_port, frame.ip.src, tcp.src_port);
  Stream& stream = stream_for(key, key_hash, frame, src_side, conversation_is_new, verdict);
  Conversation& c = *stream.open;

  // Numbering bases: the ISN from a SYN, else as if a SYN came just before this segment;
  // the peer's from the first Ack, as its ISN is Ack-1 after a SYN-ACK or handshake ACK.
  if (!stream.base_set[src_side]) {
    stream.base_seq[src_side] = syn ? tcp.seq : tcp.seq - 1;
    stream.base_set[src_side] = true;
    stream.base_from_syn[src_side] = syn;
  }
  if (!stream.base_set[peer_side] && ack) {
    stream.base_seq[peer_side] = tcp.ack - 1;
    stream.base_set[peer_side] = true;
  }

  FlowAnalysisState& forward = c.flows[src_side];
  analyze_sequence({frame.number, now, tcp.seq, tcp.ack, tcp.payload_length, flags, tcp.window},
                   c.timing, forward, c.flows[peer_side], verdict);

  FrameAnalysis out;
  out.stream = stream.id;
  const bool from_client = src_side == stream.client_side;
  out.direction = from_client ? Direction::client_to_server : Direction::server_to_client;
  out.relative_seq = tcp.seq - stream.base_seq[src_side];
  out.relative_ack = ack ? tcp.ack - stream.base_seq[peer_side] : tcp.ack;
  const uint32_t occupied = tcp.payload_length + ((syn || fin) ? 1 : 0);
  out.relative_next_seq = occupied ? out.relative_seq + occupied : 0;
  out.window_shift = forward.window_shift;
  out.window_scaled = tcp.window;
  if (!syn && forward.window_shift >= 0)
    out.window_scaled = int64_t{tcp.window} << forward.window_shift;

  update_completeness(c.summary.completeness, conversation_is_new, tcp);
  update_timing(c.timing, forward, flags, now);
  if (apply_options(c.timing, forward, c.flows[peer_side], tcp)) {
    out.flags = verdict.flags;
    out.dup_ack_number = verdict.dup_ack_number;
    out.dup_ack_of_frame = verdict.dup_ack_of_frame;
  }
  if (rst) out.flags |= analysis_flag::reset;
  out.phase = next_phase(c.phases, from_client, tcp);
  if (syn && (ack ? !from_client : from_client)) stream.client_known = true;

  c.zeek.observe({from_client, flags, tcp.seq, tcp.ack, tcp.payload_length, tcp.window});

  ConversationSummary& summary = c.summary;
  const int direction = static_cast<int>(out.direction);
  ++summary.frames[direction];
  summary.bytes[direction] += frame.wire_length;
  summary.payload_bytes[direction] += tcp.payload_length;
  summary.last_frame = frame.number;
  summary.last_time = frame.timestamp;
  c.last_time_ns = now;
  const bool closes = c.closing.update(src_side, tcp);
  if (closes && c.unclosed) {
    c.unclosed = false;
    --unclosed_count_;
  }
  if (options_.on_finished) {
    // Streaming: a conversation is finished by the frame that closes it, a late frame at once.
    if (closes || c.late) {
      stream.finished_closed = true;
      finish_stream(stream);
    }
    return out;
  }
  if (closes)
    lingering_.push_back({key, stream.id, stream.generation, now + options_.close_linger_ns});
  latest_time_ns_ = std::max(latest_time_ns_, now);
  finish_lingering(latest_time_ns_);
  return out;
}

void ConversationTracker::finish_lingering(int64_t now_ns) {
  while (!lingering_.empty()) {
    Lingering entry = lingering_.front();
    Stream* found = latest_stream_.find(entry.key, hash(entry.key));
    if (!found || found->id != entry.stream || !found->open ||
        found->generation != entry.generation) {
      lingering_.pop_front();  // already finished
      continue;
    }
    if (entry.deadline_ns >= now_ns) return;
    lingering_.pop_front();
    // Frames after the close move the deadline: look again later.
    int64_t deadline = found->open->last_time_ns + options_.close_linger_ns;
    if (deadline >= now_ns) {
      lingering_.push_back({entry.key, entry.stream, entry.generation, deadline});
      continue;
    }
    finish_stream(*found);
  }
}

ConversationSummary ConversationTracker::summary_of(const Stream& stream) const {
  const Conversation& c = *stream.open;
  ConversationSummary summary = c.summary;
  summary.client_known = stream.client_known;
  summary.state = c.zeek.conn_state();
  summary.history = c.zeek.history();
  for (int direction = 0; direction < 2; ++direction) {
    int side = direction == 0 ? stream.client_side : 1 - stream.client_side;
    summary.isn[direction] = stream.base_seq[side];
    summary.isn_from_syn[direction] = stream.base_from_syn[side];
    summary.window_shift[direction] = c.flows[side].window_shift;
  }
  return summary;
}

void ConversationTracker::finish_stream(Stream& stream) {
  if (!stream.open) return;
  ConversationSummary summary = summary_of(stream);
  const Conversation& c = *stream.open;
  for (int side = 0; side < 2; ++side) {
    const FlowAnalysisState& flow = c.flows[side];
    stream.window_shift[side] = flow.window_shift;
    stream.next_seq[side] = flow.next_seq;
    stream.max_seq_to_be_acked[side] = flow.max_seq_to_be_acked;
    stream.last_ack[side] = flow.last_ack;
    stream.window[side] = flow.window;
    stream.dup_ack_count[side] = flow.dup_ack_count;
    stream.last_non_dup_ack_frame[side] = flow.last_non_dup_ack_frame;
  }
  stream.teardown_seen = c.phases.teardown_started;
  const bool late = c.late;
  if (c.unclosed) --unclosed_count_;
  if (!late) unfinished_.erase(stream.id);
  stream.open.reset();
  --open_count_;
  // Reopened for a late frame that turned out to start a new stream: nothing to report.
  if (summary.frames[0] + summary.frames[1] == 0) return;
  if (late) {
    if (options_.on_late) options_.on_late(summary);
    return;
  }
  if (options_.on_finished) {
    options_.on_finished(summary);
    return;
  }
  if (stream.kept_summary < 0) {
    stream.kept_summary = static_cast<int64_t>(kept_.size());
    kept_.push_back(std::move(summary));
    return;
  }
  add_late_frames(kept_[static_cast<size_t>(stream.kept_summary)], summary);
}

void ConversationTracker::finish() {
  std::vector<Stream*> open;
  latest_stream_.for_each([&open](const Key&, Stream& stream) {
    if (stream.open) open.push_back(&stream);
  });
  std::sort(open.begin(), open.end(),
            [](const Stream* a, const Stream* b) { return a->id < b->id; });
  for (Stream* stream : open) finish_stream(*stream);
  lingering_.clear();
}

std::vector<ConversationSummary> ConversationTracker::summaries() const {
  std::vector<ConversationSummary> all = kept_;
  latest_stream_.for_each([&](const Key&, const Stream& stream) {
    if (!stream.open) return;
    if (stream.kept_summary >= 0) {
      add_late_frames(all[static_cast<size_t>(stream.kept_summary)], summary_of(stream));
    } else {
      all.push_back(summary_of(stream));
    }
  });
  std::sort(all.begin(), all.end(), [](const ConversationSummary& a, const ConversationSummary& b) {
    return a.stream < b.stream;
  });
  return all;
}

}  // namespace tcpgrade
