#include "check/conversation_properties.h"

#include <fmt/format.h>

#include <optional>

#include "check/connection_close.h"
#include "check/matcher_eval.h"

namespace tcpgrade {
namespace {

constexpr uint32_t retransmitted = analysis_flag::retransmission |
                                   analysis_flag::spurious_retransmission |
                                   analysis_flag::fast_retransmission;

bool after(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) > 0; }

// The data bytes one side sent: relative Seq 1 to the highest end of its data.
int64_t bytes_sent(const CapturedConversation& c, Direction d) {
  uint32_t end = 1;
  for (const CapturedSegment& s : c.segments)
    if (s.direction == d && s.len > 0 && after(s.seq + s.len, end)) end = s.seq + s.len;
  return static_cast<int64_t>(end - 1);
}

// The peer's data bytes the side's highest Ack covers (its FIN's sequence number not counted).
int64_t bytes_acked(const CapturedConversation& c, Direction d) {
  std::optional<uint32_t> best;
  for (const CapturedSegment& s : c.segments)
    if (s.direction == d && s.has_ack() && !(s.flags & tcp_flag::syn) &&
        (!best || after(s.ack, *best)))
      best = s.ack;
  if (!best || *best == 0) return 0;
  Direction peer =
      d == Direction::client_to_server ? Direction::server_to_client : Direction::client_to_server;
  return std::min<int64_t>(static_cast<int64_t>(*best - 1), bytes_sent(c, peer));
}

const CapturedSegment* syn_of(const CapturedConversation& c, bool from_server) {
  for (const CapturedSegment& s : c.segments)
    if ((s.flags & tcp_flag::syn) && bool(s.flags & tcp_flag::ack) == from_server) return &s;
  return nullptr;
}

}  // namespace

size_t client_data_bursts(const CapturedConversation& c) {
  size_t bursts = 0;
  bool in_burst = false;
  uint32_t client_end = 1;
  for (const CapturedSegment& s : c.segments) {
    if (s.len == 0) continue;
    if (s.direction == Direction::server_to_client) {
      in_burst = false;
      continue;
    }
    if (!after(s.seq + s.len, client_end)) continue;  // bytes sent before: a retransmission
    client_end = s.seq + s.len;
    if (!in_burst) ++bursts;
    in_burst = true;
  }
  return bursts;
}

std::vector<CheckResult> judge_properties(const ConversationProperties& p,
                                          const CapturedConversation& c,
                                          const std::string& visibility) {
  std::vector<CheckResult> checks;
  auto add = [&](const std::string& key, CheckStatus status, std::string expected,
                 std::string actual, std::string hint) {
    CheckResult& check = checks.emplace_back();
    check.id = "conversation." + key;
    check.name = "the connection: " + key;
    check.status = status;
    check.field = key;
    check.expected = std::move(expected);
    check.actual = std::move(actual);
    check.hint = status == CheckStatus::pass ? "" : std::move(hint);
    check.teaches = p.teaches;
    check.visibility = p.visibility.empty() ? visibility : p.visibility;
    check.max_points = p.points;
    check.points = status == CheckStatus::pass ? p.points : 0;
  };
  auto number = [&](const std::string& key, const Matcher& m, int64_t value, std::string actual,
                    std::string hint) {
    if (!m.constrains()) return;
    MatchOutcome o = evaluate(m, FieldValue{value, false, std::nullopt});
    add(key, o.status, o.expected, std::move(actual), std::move(hint));
  };
  int64_t to_server = bytes_sent(c, Direction::client_to_server);
  int64_t to_client = bytes_sent(c, Direction::server_to_client);
  number("bytes_to_server", p.bytes_to_server, to_server, fmt::format("{} bytes", to_server),
         "the client sent another amount of data: another request, or the capture cut it");
  number("bytes_to_client", p.bytes_to_client, to_client, fmt::format("{} bytes", to_client),
         "the server sent another amount of data: another file, or the capture cut it");
  int64_t by_client = bytes_acked(c, Direction::client_to_server);
  int64_t by_server = bytes_acked(c, Direction::server_to_client);
  number("acked_by_client", p.acked_by_client, by_client,
         fmt::format("the client's highest Ack covers {} bytes", by_client),
         "the client's last ACK is not in the capture: stop tcpdump after curl has finished");
  number("acked_by_server", p.acked_by_server, by_server,
         fmt::format("the server's highest Ack covers {} bytes", by_server),
         "the server's last ACK is not in the capture");

  const CapturedSegment* syn = syn_of(c, false);
  const CapturedSegment* syn_ack = syn_of(c, true);
  if (p.window_scaling) {
    bool client_ws = syn && syn->options.window_scale.has_value();
    bool server_ws = syn_ack && syn_ack->options.window_scale.has_value();
    std::string actual = !syn || !syn_ack
                             ? "the capture holds no handshake"
                             : fmt::format("WS in the SYN: {}; in the SYN-ACK: {}",
                                           client_ws ? "yes" : "no", server_ws ? "yes" : "no");
    bool both = client_ws && server_ws;
    CheckStatus status = both == *p.window_scaling ? CheckStatus::pass : CheckStatus::fail;
    // Options the snap length cut cannot say WS was not sent.
    for (const CapturedSegment* s : {syn, syn_ack})
      if (status != CheckStatus::pass && s && !s->options_complete) {
        status = CheckStatus::unverifiable;
        actual = fmt::format("the snap length cut the options of frame {}", s->frame);
      }
    add("window_scaling", status,
        *p.window_scaling ? "window scaling in both SYNs" : "window scaling not negotiated", actual,
        status == CheckStatus::unverifiable
            ? "the snap length cut the SYNs' options: capture without -s"
            : "window scaling is net.ipv4.tcp_window_scaling: on by default on Linux; both SYNs "
              "must carry WS");
  }
  if (p.mss.constrains()) {
    CheckStatus status = CheckStatus::pass;
    std::string actual;
    std::string expected;
    for (const CapturedSegment* s : {syn, syn_ack}) {
      std::optional<int64_t> mss;
      if (s && s->options.mss) mss = *s->options.mss;
      bool cut = s && !s->options_complete && !mss;
      MatchOutcome o = evaluate(p.mss, FieldValue{mss, cut, std::nullopt});
      expected = o.expected;
      if (o.status != CheckStatus::pass && status != CheckStatus::fail) status = o.status;
      actual += fmt::format("{}{}: {}", actual.empty() ? "" : "; ", s == syn ? "SYN" : "SYN-ACK",
                            s ? o.actual : "not captured");
    }
    add("mss", status, "MSS " + expected + " in both SYNs", actual,
        "the MSS follows the interface's MTU: loopback 65495, Ethernet 1460");
  }
  if (p.no_rst) {
    // An RST after the close completed answers a late segment: no abort.
    const CapturedSegment* reset = nullptr;
    std::optional<size_t> closed = closed_before(c);
    for (size_t i = 0; i < c.segments.size() && (!closed || i < *closed); ++i)
      if (c.segments[i].flags & tcp_flag::rst) {
        reset = &c.segments[i];
        break;
      }
    bool ok = (reset == nullptr) == *p.no_rst;
    add("no_rst", ok ? CheckStatus::pass : CheckStatus::fail, *p.no_rst ? "no RST" : "an RST",
        reset ? fmt::format("RST in frame {} from the {}", reset->frame,
                            reset->direction == Direction::server_to_client ? "server" : "client")
              : "no RST",
        "an RST aborts the connection: a program was killed, or nothing listened on the port");
  }
  size_t retransmissions = 0;
  for (const CapturedSegment& s : c.segments)
    retransmissions += (s.analysis_flags & retransmitted) != 0;
  number("retransmissions", p.retransmissions, static_cast<int64_t>(retransmissions),
         fmt::format("{} retransmitted segments", retransmissions),
         "segments were sent again: on the loopback this means a busy machine or a capture "
         "that lost frames");
  size_t bursts = client_data_bursts(c);
  number("requests", p.requests, static_cast<int64_t>(bursts),
         fmt::format("{} client data bursts", bursts),
         "each request is a burst of client data answered by the server: check how many the "
         "client sent on this connection");
  return checks;
}

CheckResult judge_connections(const ConversationProperties& p, size_t connections,
                              const std::string& visibility) {
  CheckResult check;
  check.id = "conversation.connections";
  check.name = "the capture: connections";
  check.field = "connections";
  MatchOutcome o =
      evaluate(p.connections, FieldValue{static_cast<int64_t>(connections), false, std::nullopt});
  check.status = o.status;
  check.expected = "connections to the server: " + o.expected;
  check.actual = fmt::format("{} connection{}", connections, connections == 1 ? "" : "s");
  if (o.status != CheckStatus::pass)
    check.hint = connections == 0
                     ? "no connection to the scenario's server: check the port the client used"
                     : "run the client once: each run opens a connection of its own (keep-alive "
                       "sends every request on one connection: curl URL URL)";
  check.teaches = p.teaches;
  check.visibility = p.visibility.empty() ? visibility : p.visibility;
  check.max_points = p.points;
  check.points = o.status == CheckStatus::pass ? p.points : 0;
  return check;
}

}  // namespace tcpgrade
