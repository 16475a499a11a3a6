// Zeek's view of one TCP connection: the endpoint state machine of its TCP analyzer, the
// conn.log `conn_state` derived from it (S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH,
// SH, SHR, OTH) and the `history` string (ShADadFfRrTtWwIiQq^), following Zeek's documented
// semantics. The originator is tcpgrade's client (see ConversationTracker).
#pragma once

#include <cstdint>
#include <string>

namespace tcpgrade {

enum class ZeekEndpointState : uint8_t {
  inactive,
  syn_sent,
  syn_ack_sent,
  partial,
  established,
  closed,
  reset,
};

const char* to_string(ZeekEndpointState state);

// The parts of a TCP segment Zeek's state machine reads.
struct ZeekSegment {
  bool from_originator = true;
  uint16_t flags = 0;  // tcp_flag bits
  uint32_t seq = 0, ack = 0;
  uint32_t payload_length = 0;
  uint16_t window = 0;  // raw; Zeek only asks whether it is zero
};

class ConnectionState {
 public:
  // `flipped`: the first segment came from the responder, so Zeek would have swapped the
  // roles before reading it; the history then starts with '^'.
  explicit ConnectionState(bool flipped = false);

  void observe(const ZeekSegment& segment);

  std::string conn_state() const;
  const std::string& history() const { return history_; }
  ZeekEndpointState originator_state() const { return endpoints_[0].state; }
  ZeekEndpointState responder_state() const { return endpoints_[1].state; }

  // History letters recorded at most; a hostile capture cannot grow it without bound.
  static constexpr size_t max_history_length = 64;

 private:
  struct Endpoint {
    ZeekEndpointState state = ZeekEndpointState::inactive;
    ZeekEndpointState prev_state = ZeekEndpointState::inactive;
    uint32_t start_seq = 0, last_seq = 0, ack_seq = 0;
    uint32_t seq_wraps = 0, ack_wraps = 0;
    uint32_t fin_count = 0;
    int64_t last_syn = 0, last_fin = 0, last_rst = 0;  // relative Seq of the last S/H, F, R
    uint32_t retransmissions = 0, retransmission_threshold = 1;
    uint32_t zero_windows = 0, zero_window_threshold = 1;

    void set_state(ZeekEndpointState next);
    void init_seq(uint32_t start, uint32_t last);
    void update_last_seq(uint32_t seq);
    void update_ack_seq(uint32_t seq);
    uint64_t size(const Endpoint& peer) const;
    bool no_data_acked() const;
  };

  // Adds a letter the first time its kind is seen for that side (a, d, i, q; the first S/H,
  // F and R). Returns true when that kind had been seen before.
  bool check_history(bool originator, uint32_t kind_mask, char letter);
  void add_history(bool originator, char letter);
  // Logarithmic letters (t, w): the 1st, 10th, 100th... occurrence is recorded.
  void add_scaled_history(bool originator, char letter, uint32_t& count, uint32_t& threshold);

  void update_history(const ZeekSegment& s, Endpoint& endpoint, int64_t relative_seq);
  void update_state_machine(const ZeekSegment& s, Endpoint& endpoint, Endpoint& peer);
  void update_inactive(const ZeekSegment& s, Endpoint& endpoint, Endpoint& peer);
  bool history_matches_rstos0() const;

  Endpoint endpoints_[2];  // [originator, responder]
  uint32_t history_seen_ = 0;
  std::string history_;
};

}  // namespace tcpgrade
