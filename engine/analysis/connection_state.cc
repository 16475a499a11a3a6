#include "analysis/connection_state.h"

#include <cctype>
#include <string_view>

#include "capture/decoded_frame.h"
#include "capture/tcp_sequence.h"

namespace tcpgrade {
namespace {

// Kinds of history entries, one bit each; the responder's bits sit 16 higher (as in Zeek).
constexpr uint32_t seen_syn = 0x1, seen_fin = 0x2, seen_rst = 0x4, seen_fin_rst = 0x8,
                   seen_data = 0x10, seen_ack = 0x20, seen_multi_flag = 0x40;

// Zeek distrusts SYN and RST sequence numbers that jump further than this (1 MiB).
constexpr int32_t too_large_seq_delta = 1048576;

using State = ZeekEndpointState;

}  // namespace

const char* to_string(ZeekEndpointState state) {
  switch (state) {
    case State::inactive:
      return "inactive";
    case State::syn_sent:
      return "syn_sent";
    case State::syn_ack_sent:
      return "syn_ack_sent";
    case State::partial:
      return "partial";
    case State::established:
      return "established";
    case State::closed:
      return "closed";
    case State::reset:
      return "reset";
  }
  return "?";
}

void ConnectionState::Endpoint::set_state(ZeekEndpointState next) {
  if (next == state) return;
  prev_state = state;
  state = next;
}

void ConnectionState::Endpoint::init_seq(uint32_t start, uint32_t last) {
  start_seq = start;
  ack_seq = start;
  last_seq = last;
}

// A numerically smaller value than the last one can only be a wrap past 2^32: the callers
// move these forward only.
void ConnectionState::Endpoint::update_last_seq(uint32_t seq) {
  if (seq < last_seq) ++seq_wraps;
  last_seq = seq;
}

void ConnectionState::Endpoint::update_ack_seq(uint32_t seq) {
  if (seq < ack_seq) ++ack_wraps;
  ack_seq = seq;
}

bool ConnectionState::Endpoint::no_data_acked() const {
  uint64_t ack = (uint64_t{ack_wraps} << 32) | ack_seq;
  return ack == start_seq || ack == uint64_t{start_seq} + 1;
}

// Bytes this endpoint sent, from its sequence space (Zeek's TCP_Endpoint::Size).
uint64_t ConnectionState::Endpoint::size(const Endpoint& peer) const {
  // A half-open connection found and aborted: its numbers say nothing about data.
  if (prev_state == State::syn_sent && state == State::reset && peer.state == State::inactive &&
      !no_data_acked())
    return 0;
  uint64_t last = (uint64_t{seq_wraps} << 32) | last_seq;
  uint64_t ack = (uint64_t{ack_wraps} << 32) | ack_seq;
  uint64_t size = (last > ack ? last : ack) - start_seq;
  if (size != 0) --size;                   // the SYN's octet
  if (fin_count > 0 && size != 0) --size;  // the FIN's octet
  return size;
}

ConnectionState::ConnectionState(bool flipped) {
  if (flipped) history_ += '^';
}

bool ConnectionState::check_history(bool originator, uint32_t kind_mask, char letter) {
  uint32_t mask = originator ? kind_mask : kind_mask << 16;
  if (history_seen_ & mask) return true;
  history_seen_ |= mask;
  add_history(originator, letter);
  return false;
}

void ConnectionState::add_history(bool originator, char letter) {
  if (history_.size() >= max_history_length) return;
  history_ += originator ? letter : static_cast<char>(std::tolower(letter));
}

void ConnectionState::add_scaled_history(bool originator, char letter, uint32_t& count,
                                         uint32_t& threshold) {
  if (++count != threshold) return;
  add_history(originator, letter);
  uint32_t next = threshold * 10;
  if (next <= threshold) {
    count = 0;  // the threshold would wrap: keep it and count again
  } else {
    threshold = next;
  }
}

void ConnectionState::update_history(const ZeekSegment& s, Endpoint& endpoint,
                                     int64_t relative_seq) {
  bool originator = s.from_originator;
  bool syn = s.flags & tcp_flag::syn, fin = s.flags & tcp_flag::fin, rst = s.flags & tcp_flag::rst;
  int control_bits = int{syn} + int{fin} + int{rst};
  if (control_bits > 1) {
    if (fin && rst) {
      check_history(originator, seen_fin_rst, 'I');
    } else {
      check_history(originator, seen_multi_flag, 'Q');
    }
    return;
  }
  if (control_bits == 1) {
    // S, H, F and R repeat when the Seq differs from the last one of that kind.
    if (syn) {
      char letter = (s.flags & tcp_flag::ack) ? 'H' : 'S';
      if (check_history(originator, seen_syn, letter) && relative_seq != endpoint.last_syn)
        add_history(originator, letter);
      endpoint.last_syn = relative_seq;
    }
    if (fin) {
      int64_t fin_seq = relative_seq + s.payload_length;  // a FIN sits after its data
      if (check_history(originator, seen_fin, 'F') && fin_seq != endpoint.last_fin)
        add_history(originator, 'F');
      endpoint.last_fin = fin_seq;
    }
    if (rst) {
      if (check_history(originator, seen_rst, 'R') && relative_seq != endpoint.last_rst)
        add_history(originator, 'R');
      endpoint.last_rst = relative_seq;
    }
    return;
  }
  if (s.payload_length > 0) {
    check_history(originator, seen_data, 'D');
  } else if (s.flags & tcp_flag::ack) {
    check_history(originator, seen_ack, 'A');
  }
}

void ConnectionState::observe(const ZeekSegment& s) {
  bool originator = s.from_originator;
  Endpoint& endpoint = endpoints_[originator ? 0 : 1];
  Endpoint& peer = endpoints_[originator ? 1 : 0];
  bool syn = s.flags & tcp_flag::syn, fin = s.flags & tcp_flag::fin, rst = s.flags & tcp_flag::rst;
  bool ack = s.flags & tcp_flag::ack;

  // Sequence space the segment occupies; a RST's data is not part of the stream.
  uint32_t space = s.payload_length + (syn ? 1 : 0) + (fin ? 1 : 0) - (rst ? s.payload_length : 0);
  uint32_t one_past = s.seq + space;

  // Where this endpoint's numbering starts; a SYN restarts it in most states.
  switch (endpoint.state) {
    case State::inactive:
      if (syn) {
        endpoint.init_seq(s.seq, one_past);
      } else {
        endpoint.init_seq(s.seq - 1, s.seq);  // as though a SYN had been seen
      }
      break;
    case State::syn_sent:
    case State::syn_ack_sent:
      if (syn && s.seq != endpoint.start_seq) endpoint.init_seq(s.seq, one_past);
      break;
    case State::established:
    case State::partial:
      if (syn) endpoint.init_seq(s.seq, one_past);
      break;
    case State::reset:
      if (syn && endpoint.prev_state == State::inactive) endpoint.init_seq(s.seq, one_past);
      break;
    case State::closed:
      break;
  }

  // Relative Seq, following wraps the way Zeek does for its history de-duplication.
  uint32_t wraps = endpoint.seq_wraps;
  int32_t from_last = seq_distance(s.seq, endpoint.last_seq);
  if (from_last < 0 && wraps && s.seq > endpoint.last_seq) --wraps;
  if (from_last > 0 && s.seq < endpoint.last_seq) ++wraps;
  int64_t relative_seq = wraps == 0 ? int64_t{seq_distance(s.seq, endpoint.start_seq)}
                                    : static_cast<int64_t>((uint64_t{wraps} << 32) | s.seq) -
                                          int64_t{endpoint.start_seq};

  update_history(s, endpoint, relative_seq);

  // A zero window is news unless it comes with or after a RST, or after the peer's FIN.
  if (s.window == 0 && !rst && peer.state != State::closed && endpoint.state != State::reset)
    add_scaled_history(originator, 'W', endpoint.zero_windows, endpoint.zero_window_threshold);

  if (fin) ++endpoint.fin_count;

  if (ack) {
    if (peer.state == State::inactive) {
      peer.init_seq(s.ack - 1, s.ack - 1);  // number the silent peer as if its SYN was seen
    } else {
      uint32_t ack_wraps = peer.ack_wraps;
      int32_t from_acked = seq_distance(s.ack, peer.ack_seq);
      if (from_acked < 0 && ack_wraps && s.ack > peer.ack_seq) --ack_wraps;
      if (from_acked > 0 && s.ack < peer.ack_seq) ++ack_wraps;
      bool underflow = ack_wraps == 0 && seq_distance(s.ack, peer.start_seq) < 0;
      // Acks in RSTs are not trusted; an ack of 0 far ahead is more likely broken than real.
      if (!underflow && !rst && !(s.ack == 0 && from_acked > too_large_seq_delta) && from_acked > 0)
        peer.update_ack_seq(s.ack);
    }
  }

  int32_t advance = seq_distance(one_past, endpoint.last_seq);
  if ((syn || rst) && (advance > too_large_seq_delta || advance < -too_large_seq_delta)) {
    // an outlandish SYN or RST does not move the numbering
  } else if (fin && endpoint.last_seq == endpoint.start_seq + 1) {
    endpoint.update_last_seq(one_past);  // only SYN and FIN seen: trust the FIN
  } else if (endpoint.state == State::reset) {
    // nothing after a RST is trusted
  } else if (advance > 0) {
    endpoint.update_last_seq(one_past);
  } else if (s.payload_length > 0) {
    add_scaled_history(originator, 'T', endpoint.retransmissions,
                       endpoint.retransmission_threshold);
  }

  update_state_machine(s, endpoint, peer);
}

void ConnectionState::update_inactive(const ZeekSegment& s, Endpoint& endpoint, Endpoint& peer) {
  bool syn = s.flags & tcp_flag::syn, ack = s.flags & tcp_flag::ack;
  if (syn) {
    if (s.from_originator) {
      endpoint.set_state(ack ? State::syn_ack_sent : State::syn_sent);
    } else {
      // A SYN answering the originator's SYN-ACK is Zeek's SYN/SYN-ACK reversal; Zeek would
      // swap the roles there, tcpgrade keeps them (the client was fixed by the first frame).
      if (!ack && peer.state == State::syn_ack_sent && s.seq == endpoint.start_seq)
        peer.set_state(State::established);
      if (peer.state == State::syn_sent) peer.set_state(State::established);
      endpoint.set_state(State::established);
    }
  }
  if (s.flags & tcp_flag::fin) endpoint.set_state(State::closed);
  if (s.flags & tcp_flag::rst) endpoint.set_state(State::reset);
  if (endpoint.state != State::inactive) return;
  const Endpoint& originator = endpoints_[0];
  if (!s.from_originator && s.payload_length == 0 && originator.state == State::syn_sent) {
    // an ack of the SYN before the SYN-ACK does not make a partial connection
  } else if (ack && peer.state == State::established) {
    endpoint.set_state(State::established);  // the SYN was missed, the SYN-ACK was not
  } else {
    endpoint.set_state(State::partial);
  }
}

void ConnectionState::update_state_machine(const ZeekSegment& s, Endpoint& endpoint,
                                           Endpoint& peer) {
  bool syn = s.flags & tcp_flag::syn, fin = s.flags & tcp_flag::fin, rst = s.flags & tcp_flag::rst;
  switch (endpoint.state) {
    case State::inactive:
      update_inactive(s, endpoint, peer);
      break;
    case State::syn_sent:
    case State::syn_ack_sent:
      if (fin) endpoint.set_state(State::closed);
      if (rst) endpoint.set_state(State::reset);
      break;
    case State::established:
    case State::partial:
      if (syn && endpoint.state == State::partial && peer.state == State::inactive &&
          !(s.flags & tcp_flag::ack))
        endpoint.set_state(State::syn_sent);
      if (fin && !rst) {
        endpoint.set_state(State::closed);
        // A FIN after the peer's FIN-then-RST: that was a normal close after all.
        if (peer.state == State::reset && peer.prev_state == State::closed)
          peer.set_state(State::closed);
      }
      if (rst) endpoint.set_state(State::reset);
      break;
    case State::closed:
      // After a full FIN exchange a RST changes nothing.
      if (rst && peer.state != State::closed) endpoint.set_state(State::reset);
      break;
    case State::reset:
      break;
  }
}

// Zeek's pattern /\^?S[^HAFGIQ]*R.*/: a SYN, then a RST before any handshake or close sign.
bool ConnectionState::history_matches_rstos0() const {
  std::string_view rest = history_;
  if (!rest.empty() && rest.front() == '^') rest.remove_prefix(1);
  if (rest.empty() || rest.front() != 'S') return false;
  for (char c : rest.substr(1)) {
    if (c == 'R') return true;
    if (std::string_view("HAFGIQ").find(c) != std::string_view::npos) return false;
  }
  return false;
}

std::string ConnectionState::conn_state() const {
  const Endpoint& orig = endpoints_[0];
  const Endpoint& resp = endpoints_[1];
  State os = orig.state, rs = resp.state;
  bool orig_inactive = os == State::inactive || os == State::partial;
  bool resp_inactive = rs == State::inactive || rs == State::partial;
  if (rs == State::reset) {
    if (os == State::syn_sent || os == State::syn_ack_sent ||
        (os == State::reset && orig.size(resp) == 0 && resp.size(orig) == 0))
      return "REJ";
    return orig_inactive ? "RSTRH" : "RSTR";
  }
  if (os == State::reset) {
    if (resp_inactive) return history_matches_rstos0() ? "RSTOS0" : "OTH";
    return "RSTO";
  }
  if (rs == State::closed && os == State::closed) return "SF";
  if (os == State::closed) return resp_inactive ? "SH" : "S2";
  if (rs == State::closed) return orig_inactive ? "SHR" : "S3";
  if (os == State::syn_sent && rs == State::inactive) return "S0";
  if (os == State::established && rs == State::established) return "S1";
  return "OTH";
}

}  // namespace tcpgrade
