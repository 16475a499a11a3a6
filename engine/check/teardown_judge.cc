// A `teardown:` block judged as a state machine over the close, whatever its order: each side
// sends one FIN (retransmitted copies are the same FIN), the peer acknowledges it (Ack = the
// FIN's Seq + 1), no side sends data after its FIN, and the close ends with both FINs
// acknowledged. An RST passes only after a FIN, and only where the scenario allows it.
#include <fmt/format.h>

#include <array>
#include <optional>

#include "check/block_judge.h"

namespace tcpgrade {
namespace {

const char* side(Direction d) { return d == Direction::server_to_client ? "server" : "client"; }
Direction peer(Direction d) {
  return d == Direction::server_to_client ? Direction::client_to_server
                                          : Direction::server_to_client;
}
bool at_least(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) >= 0; }

struct SideClose {
  std::optional<size_t> fin;      // index of its first FIN (the conversation's, a FIN carried
                                  // by the last data segment before the block included)
  uint32_t fin_seq = 0;           // the FIN's own sequence number (Seq + Len)
  std::optional<size_t> fin_ack;  // the peer's first segment acknowledging it
  std::optional<size_t> rst;      // its first RST
  std::string second_fin;         // a FIN at another Seq: a rule broken
  std::string data_after;         // data after its FIN: a rule broken
};

}  // namespace

BlockVerdict judge_teardown(const TeardownExpectation& t, const CapturedConversation& c,
                            const std::vector<size_t>& claimed) {
  BlockVerdict v;
  const size_t end = claimed.empty() ? c.segments.size() : claimed.back() + 1;
  std::array<SideClose, 2> sides;
  for (size_t i = 0; i < end; ++i) {
    const CapturedSegment& s = c.segments[i];
    SideClose& me = sides[static_cast<int>(s.direction)];
    SideClose& other = sides[static_cast<int>(peer(s.direction))];
    if (me.fin && s.len > 0 && at_least(s.seq + s.len, me.fin_seq + 1) && me.data_after.empty() &&
        !(s.flags & tcp_flag::fin))
      me.data_after = fmt::format(
          "frame {}: the {} sends data (Seq {}, Len {}) after its FIN "
          "(frame {})",
          s.frame, side(s.direction), s.seq, s.len, c.segments[*me.fin].frame);
    if (s.flags & tcp_flag::fin) {
      uint32_t fin_seq = s.seq + s.len;
      if (!me.fin) {
        me.fin = i, me.fin_seq = fin_seq;
      } else if (fin_seq != me.fin_seq && me.second_fin.empty()) {
        me.second_fin = fmt::format(
            "frame {}: a second FIN from the {} at Seq {} (its first, "
            "frame {}, was at Seq {})",
            s.frame, side(s.direction), fin_seq, c.segments[*me.fin].frame, me.fin_seq);
      }
    }
    if ((s.flags & tcp_flag::rst) && !me.rst) me.rst = i;
    if (other.fin && !other.fin_ack && s.has_ack() && at_least(s.ack, other.fin_seq + 1))
      other.fin_ack = i;
  }
  const SideClose& client = sides[0];
  const SideClose& server = sides[1];
  auto frame_of = [&](size_t i) { return c.segments[i].frame; };

  // An RST is allowed only after a FIN (from either side), only when the scenario says so; it
  // then stands in for the FIN or the ACK its sender still owed.
  std::string rst_broken;
  bool rst_ends = false;
  for (int d = 0; d < 2; ++d) {
    if (!sides[d].rst) continue;
    size_t at = *sides[d].rst;
    bool after_fin = (client.fin && *client.fin < at) || (server.fin && *server.fin < at);
    if (t.allow_rst_after_fin && after_fin) {
      rst_ends = true;
      continue;
    }
    if (rst_broken.empty())
      rst_broken = fmt::format("frame {}: the {} resets the connection (RST){}", frame_of(at),
                               side(static_cast<Direction>(d)),
                               after_fin ? ", which the scenario does not allow after a FIN"
                                         : " before any FIN: an abort, not a close");
  }

  BlockCheck& fins = v.checks.emplace_back();
  fins.field = "fins";
  fins.expected = "one FIN from each side";
  // A FIN the capture lost still shows: the peer acknowledges one sequence number past all
  // this side sent. Then it was sent, and the capture is at fault, not the close.
  auto lost_fin = [&](int d) -> std::optional<uint64_t> {
    uint32_t sent_end = 0;
    bool any = false;
    for (size_t i = 0; i < end; ++i)
      if (static_cast<int>(c.segments[i].direction) == d) {
        uint32_t e = c.segments[i].next_seq;
        if (!any || at_least(e, sent_end)) sent_end = e;
        any = true;
      }
    for (size_t i = 0; i < end && any; ++i) {
      const CapturedSegment& s = c.segments[i];
      if (static_cast<int>(s.direction) != d && s.has_ack() && s.ack == sent_end + 1)
        return s.frame;
    }
    return std::nullopt;
  };
  std::string missing;
  for (int d = 0; d < 2; ++d)
    if (!sides[d].fin && !(rst_ends && sides[d].rst)) {
      std::optional<uint64_t> shown = lost_fin(d);
      missing += shown ? fmt::format(
                             "{}the {}'s FIN is not in the capture, though frame {} "
                             "acknowledges it: the capture lost it",
                             missing.empty() ? "" : "; ", side(static_cast<Direction>(d)), *shown)
                       : fmt::format("{}the {} never sent FIN", missing.empty() ? "" : "; ",
                                     side(static_cast<Direction>(d)));
    }
  if (!missing.empty() || !client.second_fin.empty() || !server.second_fin.empty()) {
    fins.status = CheckStatus::fail;
    fins.actual = !missing.empty()             ? missing
                  : !client.second_fin.empty() ? client.second_fin
                                               : server.second_fin;
    std::optional<size_t> reset = client.rst ? client.rst : server.rst;
    fins.hint = reset ? fmt::format("the connection was reset (frame {}) instead of closed",
                                    c.segments[*reset].frame)
                      : "a close is one FIN from each side: stop the capture only after both "
                        "sides have closed";
  }

  // Which close it was: who sent the first FIN, and whether the second FIN's sender had seen it.
  if (client.fin || server.fin) {
    bool server_first = server.fin && (!client.fin || *server.fin < *client.fin);
    const SideClose& first = server_first ? server : client;
    const SideClose& second = server_first ? client : server;
    std::string order = fmt::format("the {} closed first (frame {})",
                                    server_first ? "server" : "client", frame_of(*first.fin));
    if (second.fin) {
      const CapturedSegment& f = c.segments[*second.fin];
      bool crossed = !(f.has_ack() && at_least(f.ack, first.fin_seq + 1));
      order = crossed
                  ? fmt::format("both sides closed at once, the FINs crossed (frames {} and {})",
                                frame_of(*first.fin), f.frame)
                  : order + fmt::format(", the {} then (frame {})",
                                        server_first ? "client" : "server", f.frame);
    }
    if (c.segments[*first.fin].len > 0) order += ", the first FIN on the last data segment";
    v.note = order;
    if (fins.status == CheckStatus::pass) fins.actual = order;
  } else {
    v.note = "no FIN";
  }

  BlockCheck& acks = v.checks.emplace_back();
  acks.field = "fin-acks";
  acks.expected = "each FIN acknowledged by the peer (Ack = the FIN's Seq + 1)";
  std::string unacked;
  std::vector<std::string> seen;
  for (int d = 0; d < 2; ++d) {
    const SideClose& me = sides[d];
    if (!me.fin) continue;
    std::string who = side(static_cast<Direction>(d));
    if (me.fin_ack)
      seen.push_back(fmt::format("the {}'s FIN by frame {}", who, frame_of(*me.fin_ack)));
    else if (!(rst_ends && sides[1 - d].rst) && unacked.empty())
      unacked = fmt::format(
          "the {}'s FIN (frame {}, Seq {}) is never acknowledged: no Ack {} "
          "from the {}",
          who, frame_of(*me.fin), me.fin_seq, me.fin_seq + 1,
          side(peer(static_cast<Direction>(d))));
  }
  if (!unacked.empty()) {
    acks.status = CheckStatus::fail;
    acks.actual = unacked;
    acks.hint = "the last ACK is missing: stop tcpdump a moment after the client has finished";
  } else if (seen.empty()) {
    acks.status = CheckStatus::fail;
    acks.actual = "no FIN to acknowledge";
  } else {
    acks.actual = seen.size() == 2 ? seen[0] + ", " + seen[1] : seen[0];
  }

  BlockCheck& data = v.checks.emplace_back();
  data.field = "no-data-after-fin";
  data.expected = "no data from a side after its FIN";
  data.actual = "none";
  for (const SideClose& me : sides)
    if (!me.data_after.empty() && data.status == CheckStatus::pass) {
      data.status = CheckStatus::fail;
      data.actual = me.data_after;
      data.hint = "a FIN says the side has nothing more to send: data after it breaks TCP";
    }

  BlockCheck& rst = v.checks.emplace_back();
  rst.field = "rst";
  rst.expected = t.allow_rst_after_fin ? "no RST, or an RST after a FIN" : "no RST";
  rst.actual = rst_ends ? "an RST after a FIN (allowed)" : "none";
  if (!rst_broken.empty()) {
    rst.status = CheckStatus::fail;
    rst.actual = rst_broken;
    rst.hint = "an RST aborts the connection: a program was killed, or it closed with unread data";
  }
  return v;
}

}  // namespace tcpgrade
