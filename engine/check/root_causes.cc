#include "check/root_causes.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "analysis/segment_text.h"
#include "check/connection_close.h"
#include "check/deviations.h"
#include "check/lost_frames.h"

namespace tcpgrade {
namespace {

const CapturedSegment* first_with(const CapturedConversation& c, uint16_t flags) {
  for (const CapturedSegment& s : c.segments)
    if ((s.flags & flags) == flags) return &s;
  return nullptr;
}

const CapturedSegment* first_syn(const CapturedConversation& c) {
  for (const CapturedSegment& s : c.segments)
    if ((s.flags & tcp_flag::syn) && !(s.flags & tcp_flag::ack)) return &s;
  return nullptr;
}

const CapturedSegment* first_cut(const CapturedConversation& c) {
  for (const CapturedSegment& s : c.segments)
    if (s.status == DecodeStatus::truncated) return &s;
  return nullptr;
}

// Frames the capture lost, what they held, and how to capture without losing them.
std::optional<RootCause> frames_not_captured_cause(const CapturedConversation& c,
                                                   const CaptureContents& contents) {
  std::vector<LostSegment> lost = find_lost_segments(c);
  const bool any_interface = any_interface_on_loopback(c, contents);
  // No Seq gap, but tcpdump -i any on the loopback: a frame that takes no sequence numbers (a
  // pure ACK) may be lost without a trace. The grader keeps this cause only when a missing
  // frame points at it.
  if (lost.empty() && any_interface)
    return RootCause{
        root_cause::frames_not_captured, "The capture lost frames",
        "This capture was made with tcpdump -i any (Linux cooked capture) on the loopback, which "
        "loses frames on Linux (tcpdump counts them as \"dropped by kernel\" when it stops). A "
        "pure ACK takes no sequence numbers, so when one is lost no Seq or Ack of the frames "
        "around it shows it: the frames after it acknowledge the same bytes, so the TCP is not "
        "at fault. Capture on lo as the lab says (tcpdump -i lo)."};
  if (lost.empty()) return std::nullopt;
  std::vector<std::string> items;
  for (const LostSegment& l : lost) {
    std::string item = lost_segment_text(l);
    if (l.shown_flag & analysis_flag::ack_lost_segment)
      item += fmt::format(" (Wireshark marks frame {} [TCP ACKed unseen segment])", l.shown_by);
    else if (l.shown_flag & analysis_flag::lost_segment)
      item += fmt::format(" (Wireshark marks frame {} [TCP Previous segment not captured])",
                          l.shown_by);
    items.push_back(std::move(item));
  }
  bool one = lost.size() == 1;
  std::string advice =
      any_interface
          ? "This capture was made with tcpdump -i any (Linux cooked capture) on the loopback, "
            "which loses frames on Linux: capture on lo as the lab says (tcpdump -i lo)."
          : "The kernel dropped frames before tcpdump read them: capture with --immediate-mode "
            "or a bigger buffer (-B 4096), and stop tcpdump only after the client is done.";
  if (contents.dropped && *contents.dropped > 0)
    advice += fmt::format(" The file's own interface statistics count {} packet{} dropped.",
                          *contents.dropped, *contents.dropped == 1 ? "" : "s");
  return RootCause{
      root_cause::frames_not_captured, "The capture lost frames",
      fmt::format("The capture lacks {}: {}. The Seq and Ack numbers of the frames around {} "
                  "show {} sent, so the TCP is not at fault: each is reported once, as missing, "
                  "not as mismatches of the frames after it. {}",
                  one ? "a frame" : "frames", fmt::join(items, "; "), one ? "it" : "them",
                  one ? "it was" : "they were", advice)};
}

// A shell command as `tcpgrade live` would run it: {port}, {address} and {host} filled in.
std::string filled_command(const std::string& command, uint16_t port, const std::string& address) {
  const std::string host = address.find(':') != std::string::npos ? "[" + address + "]" : address;
  const std::pair<std::string, std::string> fills[] = {
      {"{port}", std::to_string(port)}, {"{address}", address}, {"{host}", host}};
  std::string out;
  for (size_t i = 0; i < command.size();) {
    bool filled = false;
    for (const auto& [name, value] : fills)
      if (command.compare(i, name.size(), name) == 0) {
        out += value;
        i += name.size();
        filled = true;
        break;
      }
    if (!filled) out += command[i++];
  }
  return out;
}

// "Start the server first (`python3 -m http.server 8002`, listening on port 8002), then run
// the client (`curl http://127.0.0.1:8002/`).": the scenario's lab, not the bundled one.
std::string start_server_advice(const LabFacts& lab) {
  return fmt::format("Start the server first ({}listening on port {}), then run the client (`{}`).",
                     lab.server.empty() ? "" : "`" + lab.server + "`, ", lab.port, lab.client);
}

// The expected frames of frame_list_variants(scenario).front() (every `either:` at its first
// variant), in order, visited where they are: asked for every graded conversation, copying
// every variant's frames was most of a busy capture's check.
template <typename Visit>
void for_each_first_variant_frame(const Scenario& scenario, Visit visit) {
  size_t next = 0;  // scenario.frames visited so far
  for (const FrameChoice& choice : scenario.choices) {
    for (const size_t end = std::min(choice.position, scenario.frames.size()); next < end; ++next)
      visit(scenario.frames[next]);
    if (!choice.variants.empty())
      for (const ExpectedFrame& e : choice.variants.front().frames) visit(e);
  }
  for (; next < scenario.frames.size(); ++next) visit(scenario.frames[next]);
}

// Whether the scenario expects the client to send data more than once on its connection
// (keep-alive: two requests): a server closing after one response then explains the others.
bool expects_several_requests(const Scenario& scenario) {
  int requests = 0;
  for_each_first_variant_frame(scenario, [&requests](const ExpectedFrame& e) {
    bool data = e.payload.kind != TextMatchKind::none ||
                (e.len.kind == MatchKind::range && e.len.low >= 1) ||
                (e.len.kind == MatchKind::exact && e.len.value >= 1);
    requests += data && !e.optional && e.direction == Direction::client_to_server;
  });
  return requests > 1;
}

}  // namespace

std::vector<RootCause> diagnose_conversation(const CapturedConversation& c,
                                             const CaptureContents& contents,
                                             const Scenario& scenario) {
  std::vector<RootCause> causes;
  if (c.segments.empty()) return causes;
  const CapturedSegment& first = c.segments.front();
  const CapturedSegment* syn = first_syn(c);
  const CapturedSegment* syn_ack = first_with(c, tcp_flag::syn | tcp_flag::ack);
  // An RST after the close completed answers a late segment: no reset of the connection.
  const CapturedSegment* rst = first_with(c, tcp_flag::rst);
  if (rst && after_close(c, static_cast<size_t>(rst - c.segments.data()))) rst = nullptr;

  if (syn && !syn_ack && rst && rst->direction == Direction::server_to_client) {
    causes.push_back(
        {root_cause::connection_refused, "Connection refused",
         fmt::format("The server answered the SYN (frame {}) with RST (frame {}): nothing was "
                     "listening on {} when the capture was made, so there is no handshake, no "
                     "data and no teardown to grade. {}",
                     syn->frame, rst->frame, endpoint_text(c.summary.server),
                     start_server_advice(lab_facts(scenario, c.summary.server.port)))});
  } else if (!syn && !syn_ack) {
    causes.push_back(
        {root_cause::handshake_not_captured, "The capture started after the handshake",
         fmt::format("The first frame of this connection, {}, is {} in the middle of the "
                     "conversation: the SYN and SYN-ACK were sent before tcpdump started. Start "
                     "the capture first, then run the client. Relative numbers then start from "
                     "the first frame seen, not from the ISN.",
                     segment_summary(first), segment_kind(first))});
  } else if (rst && syn_ack) {
    causes.push_back(
        {root_cause::connection_reset, "The connection was reset",
         fmt::format("Frame {} is an RST from the {}: the connection was aborted instead of "
                     "closed with FIN in both directions, so the frames after it are missing.",
                     rst->frame,
                     rst->direction == Direction::client_to_server ? "client" : "server")});
  }
  // A file that ends inside a record lost what followed; a connection that had closed did not.
  // Closed: both FINs acknowledged in the capture (Zeek's SF needs only both FINs, so a
  // capture without the last ACK would pass for closed), an RST, or a FIN the capture lost
  // (the peer acknowledged it) that closed the connection all the same.
  std::vector<LostSegment> lost = find_lost_segments(c);
  bool closed = closed_before(c).has_value() || rst ||
                std::any_of(lost.begin(), lost.end(), [](const LostSegment& l) { return l.fin; });
  if (contents.warning && !closed) {
    causes.push_back(
        {root_cause::file_cut_short, "The capture file is cut short",
         fmt::format("The file ends in the middle of the record after frame {}, so the frames "
                     "that followed are missing. It was copied or uploaded incompletely, or "
                     "tcpdump was killed before it wrote them: stop tcpdump with Ctrl-C and hand "
                     "in the whole file.",
                     contents.frames)});
  }
  // A complete file whose last frame is this open connection's: tcpdump stopped mid-exchange
  // (-c COUNT, or Ctrl-C before the client finished).
  bool last_in_capture = c.summary.last_frame == contents.frames && contents.frames > 0;
  if (!contents.warning && !closed && last_in_capture && (syn || syn_ack)) {
    bool fin_seen = c.summary.history.find_first_of("Ff") != std::string::npos;
    std::string state = fin_seen ? "only one side sent its FIN" : "no FIN yet";
    // tcpdump -i any on the loopback loses frames, the last ones too: then nothing shows
    // whether tcpdump stopped early or dropped them, and both are the capture, not the TCP.
    causes.push_back(
        any_interface_on_loopback(c, contents)
            ? RootCause{root_cause::not_closed, "The capture ends before the connection closed",
                        fmt::format(
                            "The capture ends with frame {}, in the middle of this connection "
                            "({}). It was made with tcpdump -i any (Linux cooked capture) on the "
                            "loopback, which loses frames on Linux, the last ones included, so "
                            "the frames after it were dropped or tcpdump was stopped early: "
                            "capture on lo as the lab says (tcpdump -i lo), and stop tcpdump "
                            "only after the client has finished.",
                            contents.frames, state)}
            : RootCause{
                  root_cause::not_closed, "The capture stopped before the connection closed",
                  fmt::format("The capture ends with frame {}, in the middle of this connection "
                              "({}): tcpdump was stopped before the exchange was over, by -c COUNT "
                              "or by Ctrl-C before the client had finished, so the frames after it "
                              "are missing. Start tcpdump, run the client, wait for it to finish, "
                              "then stop tcpdump (without -c).",
                              contents.frames, state)});
  }
  if (const CapturedSegment* cut = first_cut(c)) {
    causes.push_back(
        {root_cause::snap_length, "Snap length too small",
         fmt::format("The capture was made with a snap length of {} bytes (tcpdump -s {}): frame "
                     "{} was cut at {} of its {} bytes, so what lies beyond (TCP options, "
                     "payload) cannot be checked. Capture without -s (the default keeps whole "
                     "frames).",
                     contents.snap_length, contents.snap_length, cut->frame, cut->captured_length,
                     cut->wire_length)});
  }
  if (auto lost = frames_not_captured_cause(c, contents)) causes.push_back(std::move(*lost));
  for (RootCause& deviation : diagnose_deviations(c, lab_facts(scenario, c.summary.server.port)))
    causes.push_back(std::move(deviation));
  return causes;
}

LabFacts lab_facts(const Scenario& scenario, uint16_t captured_port) {
  LabFacts lab;
  lab.keep_alive = expects_several_requests(scenario);
  lab.port = scenario.live.port ? scenario.live.port
                                : scenario.conversation.server_port.value_or(captured_port);
  const std::string& address = scenario.live.address;
  lab.own_server = scenario.live.server != "builtin" && scenario.live.server != "none";
  if (scenario.live.server == "builtin")
    lab.server = fmt::format("python3 -m http.server {}", lab.port);
  else if (lab.own_server)
    lab.server = filled_command(scenario.live.server, lab.port, address);
  lab.client = scenario.live.client == "builtin"
                   ? filled_command("curl http://{host}:{port}/", lab.port, address)
                   : filled_command(scenario.live.client, lab.port, address);
  return lab;
}

std::optional<RootCause> connection_accepted_cause(const Scenario& scenario,
                                                   const CapturedConversation& c) {
  // The scenario's first frame from the server, before any choice: an RST means a refusal lab.
  const ExpectedFrame* answer = nullptr;
  for (const ExpectedFrame& e : scenario.frames)
    if (e.direction == Direction::server_to_client) {
      answer = &e;
      break;
    }
  bool expects_refusal = answer && answer->flags.kind != FlagsMatchKind::any &&
                         (answer->flags.flags & tcp_flag::rst) &&
                         !(answer->flags.flags & tcp_flag::syn);
  const CapturedSegment* syn_ack = first_with(c, tcp_flag::syn | tcp_flag::ack);
  if (!expects_refusal || !syn_ack) return std::nullopt;
  return RootCause{
      root_cause::connection_accepted, "A server accepted the connection",
      fmt::format("Frame {} is a SYN-ACK: something was listening on {} and accepted the "
                  "connection, where the lab expects the SYN to be refused with RST because "
                  "nothing listens. Stop the server first (`ss -ltnp 'sport = :{}'` shows which "
                  "program listens), check that the client now fails with \"Connection "
                  "refused\", then capture again.",
                  syn_ack->frame, endpoint_text(c.summary.server), c.summary.server.port)};
}

RootCause wrong_port_cause(const Scenario& scenario, const std::vector<std::string>& lines,
                           const CapturedConversation& shown) {
  const ConversationSelector& wanted = scenario.conversation;
  int family = shown.summary.client.address.family;
  bool port_fits = !wanted.server_port || shown.summary.server.port == *wanted.server_port ||
                   shown.summary.client.port == *wanted.server_port;
  if (wanted.family != 0 && family != wanted.family && port_fits) {
    std::string port = wanted.server_port ? fmt::format(":{}", *wanted.server_port) : ":PORT";
    std::string fix =
        wanted.family == 6
            ? fmt::format(
                  "Connect to the IPv6 loopback address: curl http://[::1]{}/ (the server "
                  "must listen there too: python3 -m http.server {} --bind ::1).",
                  port, port.substr(1))
            : fmt::format(
                  "Connect to the IPv4 loopback address: curl http://127.0.0.1{}/ (a "
                  "client given localhost may pick ::1 first).",
                  port);
    return {
        root_cause::wrong_family,
        fmt::format("The capture is over IPv{}, the scenario grades IPv{}", family, wanted.family),
        fmt::format("The scenario grades a connection over IPv{}, but the capture's "
                    "connections are over IPv{}: {}. {} The first one is shown below, graded "
                    "at zero points.",
                    wanted.family, family, fmt::join(lines, "; "), fix)};
  }
  std::string target = wanted.server_port ? fmt::format("server port {}", *wanted.server_port)
                                          : fmt::format("a server over IPv{}", wanted.family);
  std::string fix = wanted.server_port ? fmt::format(
                                             " Start the server on port {0} and capture that port "
                                             "(tcpdump -i lo tcp port {0}).",
                                             *wanted.server_port)
                                       : "";
  return {root_cause::wrong_port, "No connection matches the scenario",
          fmt::format("The scenario grades the connection to {}, but the capture holds only: {}.{} "
                      "The first one is shown below, graded at zero points.",
                      target, fmt::join(lines, "; "), fix)};
}

RootCause other_traffic_cause(uint32_t stream, uint16_t port) {
  return {root_cause::other_traffic, "The file holds other traffic",
          fmt::format("Besides the graded connection (stream {}, server port {}) the capture holds "
                      "connections to other ports, listed below and not graded. Filter the "
                      "capture on the lab's port: tcpdump -i lo tcp port {}.",
                      stream, port, port)};
}

RootCause several_connections_cause(bool best_fitting_graded, const Scenario& scenario,
                                    uint16_t server_port, bool server_closed_each) {
  LabFacts lab = lab_facts(scenario, server_port);
  std::string advice =
      server_closed_each && expects_several_requests(scenario)
          ? fmt::format(
                "The server closed each connection after its response (it answered HTTP/1.0, or "
                "its FIN came first), so "
                "a client that makes several requests had to reconnect: run a server that keeps "
                "the connection open (HTTP/1.1 keep-alive){}. If the client ran more than once, "
                "capture again, running it once.",
                lab.own_server ? ", as the scenario's `" + lab.server + "`" : "")
          : fmt::format(
                "The scenario grades one connection: capture again, running the client "
                "(`{}`) once.",
                lab.client);
  return {root_cause::several_connections, "The file holds several connections",
          fmt::format("Only {} connection to the scenario's server is graded; the others "
                      "are listed below. {}",
                      best_fitting_graded ? "the best-fitting" : "the first", advice)};
}

void apply_root_cause_texts(const Scenario& scenario, std::vector<RootCause>& causes) {
  for (RootCause& cause : causes) {
    auto text = scenario.root_cause_texts.find(cause.id);
    if (text == scenario.root_cause_texts.end()) continue;
    if (!text->second.title.empty()) cause.title = text->second.title;
    if (!text->second.advice.empty()) cause.explanation = text->second.advice;
  }
}

}  // namespace tcpgrade
