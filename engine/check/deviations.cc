#include "check/deviations.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string_view>

#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

// Only the start of each stream is read: the lab's request and response fit in 1 KB.
constexpr size_t max_http_bytes = 8192;
constexpr size_t max_messages = 16;

const CapturedSegment* first_syn(const CapturedConversation& c, bool ack) {
  for (const CapturedSegment& s : c.segments)
    if ((s.flags & tcp_flag::syn) && bool(s.flags & tcp_flag::ack) == ack) return &s;
  return nullptr;
}

// The SYN's options can be judged: not cut by the snap length, not malformed.
bool readable(const CapturedSegment* s) {
  return s && s->options_complete && s->status == DecodeStatus::ok && !s->options.malformed;
}

std::string frames_text(const CapturedSegment* syn, const CapturedSegment* syn_ack) {
  if (syn && syn_ack) return fmt::format("frames {} and {}", syn->frame, syn_ack->frame);
  return fmt::format("frame {}", (syn ? syn : syn_ack)->frame);
}

// An option that Linux sends by default is absent from every SYN seen.
struct OptionSetting {
  const char* id;
  const char* title;
  const char* sysctl;
  const char* what;  // what Linux sends by default
  bool (*present)(const TcpOptions&);
};

const OptionSetting option_settings[] = {
    {root_cause::timestamps_off, "TCP timestamps are turned off on this machine",
     "net.ipv4.tcp_timestamps", "timestamps option (TSval/TSecr)",
     [](const TcpOptions& o) { return o.tsval.has_value(); }},
    {root_cause::sack_off, "SACK is turned off on this machine", "net.ipv4.tcp_sack",
     "SACK_PERM option", [](const TcpOptions& o) { return o.sack_permitted; }},
    {root_cause::window_scaling_off, "Window scaling is turned off on this machine",
     "net.ipv4.tcp_window_scaling", "window scale option (WS)",
     [](const TcpOptions& o) { return o.window_scale.has_value(); }},
};

void option_deviations(const CapturedConversation& c, const LabFacts& lab,
                       std::vector<RootCause>& causes) {
  const CapturedSegment* syn = first_syn(c, false);
  const CapturedSegment* syn_ack = first_syn(c, true);
  if (!readable(syn)) return;
  if (syn_ack && !readable(syn_ack)) syn_ack = nullptr;
  for (const OptionSetting& o : option_settings) {
    if (o.present(syn->options) || (syn_ack && o.present(syn_ack->options))) continue;
    causes.push_back(
        {o.id, o.title,
         fmt::format("The SYN{} ({}) carry no {}: this machine has {}=0. Linux sends it by "
                     "default and the lab's capture expects it, so the checks of this option "
                     "fail although the student did nothing wrong. Run `sysctl {}` to see the "
                     "setting; `sysctl -w {}=1` (as root) turns it on; then capture again.",
                     syn_ack ? "s" : "", frames_text(syn, syn_ack), o.what, o.sysctl, o.sysctl,
                     o.sysctl)});
  }
  // Loopback's MTU is 65536: MSS 65495 over IPv4 (65536 - 20 - 20 - 1 for Linux's rounding),
  // 65476 over IPv6. Another MSS is another interface's MTU (Ethernet's 1500 gives 1460).
  if (!syn->options.mss) return;
  bool v6 = c.summary.client.address.family == 6;
  uint16_t loopback = v6 ? 65476 : 65495;
  uint16_t mss = *syn->options.mss;
  if (mss == loopback) return;
  causes.push_back(
      {root_cause::mss_not_loopback, "The capture was not made on the loopback",
       fmt::format("The SYN (frame {}) proposes MSS={}, not loopback's {} (lo's MTU 65536 less "
                   "the {} and TCP headers): the connection went over an interface with an MTU "
                   "of about {}. The lab runs server and client on one machine and captures on "
                   "lo: connect to {} and capture with tcpdump -i lo.",
                   syn->frame, mss, loopback, v6 ? "IPv6" : "IPv4", mss + (v6 ? 60 : 40),
                   fmt::format("http://{}:{}/", v6 ? "[::1]" : "127.0.0.1", lab.port))});
}

// One HTTP message's start: its first line, its headers, where the next message begins.
struct HttpMessage {
  std::string_view first_line;
  std::string_view headers;
  size_t next = std::string_view::npos;  // npos: unknown (no length, or beyond the bytes read)
};

std::optional<HttpMessage> read_message(std::string_view data, size_t at, bool request) {
  size_t end = data.find("\r\n\r\n", at);
  if (end == std::string_view::npos) end = data.size();
  size_t eol = data.find("\r\n", at);
  if (eol == std::string_view::npos || eol > end) eol = end;
  HttpMessage m;
  m.first_line = data.substr(at, eol - at);
  m.headers = data.substr(eol, end - eol);
  if (end >= data.size()) return m;
  size_t body = 0;
  std::string_view h = m.headers;
  for (size_t p = 0; p < h.size();) {
    size_t q = h.find("\r\n", p + 2);
    std::string_view line = h.substr(p + 2, (q == std::string_view::npos ? h.size() : q) - p - 2);
    if (line.size() > 15) {
      std::string name(line.substr(0, 15));
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      if (name == "content-length:") {
        body = 0;
        for (char ch : line.substr(15))
          if (ch >= '0' && ch <= '9' && body < max_http_bytes * 16) body = body * 10 + (ch - '0');
      }
    }
    if (q == std::string_view::npos) break;
    p = q;
  }
  if (request || body || m.first_line.starts_with("HTTP/")) m.next = end + 4 + body;
  return m;
}

bool looks_like_request(std::string_view line);

// The messages one side sent, each starting where the previous one ended: a request line or a
// status line (anything else, such as a body without a length, ends the list).
std::vector<HttpMessage> read_messages(std::string_view data, bool request) {
  std::vector<HttpMessage> messages;
  size_t at = 0;
  while (at < data.size() && messages.size() < max_messages) {
    std::optional<HttpMessage> m = read_message(data, at, request);
    if (!m || !(request ? looks_like_request(m->first_line) : m->first_line.starts_with("HTTP/")))
      break;
    messages.push_back(*m);
    if (m->next == std::string_view::npos || m->next <= at) break;
    at = m->next;
  }
  return messages;
}

bool looks_like_request(std::string_view line) {
  size_t space = line.find(' ');
  if (space == std::string_view::npos || space == 0 || space > 10) return false;
  for (size_t i = 0; i < space; ++i)
    if (line[i] < 'A' || line[i] > 'Z') return false;
  return line.find(" HTTP/1.") != std::string_view::npos;
}

std::string_view header(std::string_view headers, std::string_view name) {
  for (size_t p = 0; p < headers.size();) {
    size_t q = headers.find("\r\n", p + 2);
    std::string_view line =
        headers.substr(p + 2, (q == std::string_view::npos ? headers.size() : q) - p - 2);
    if (line.size() > name.size() && line[name.size()] == ':' &&
        std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      std::string_view value = line.substr(name.size() + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      return value;
    }
    if (q == std::string_view::npos) break;
    p = q;
  }
  return {};
}

std::string quoted(std::string_view text) { return printable(std::string(text), 60); }

// "`python3 -m http.server 8002` in the folder of its page": the scenario's server.
std::string server_to_run(const LabFacts& lab) {
  if (lab.server.empty()) return "the lab's server";
  return lab.own_server ? fmt::format("`{}`", lab.server)
                        : fmt::format("`{}` in the folder of the lab's page", lab.server);
}

void http_deviations(const CapturedConversation& c, const LabFacts& lab,
                     std::vector<RootCause>& causes) {
  // Payloads cut by the snap length hide the headers: the snap length is the cause then.
  for (const CapturedSegment& s : c.segments)
    if (s.payload.size() < s.len) return;
  std::string request_bytes = reassembled_payload(c, Direction::client_to_server, max_http_bytes);
  if (!looks_like_request(request_bytes.substr(0, request_bytes.find("\r\n")))) return;
  std::string response_bytes = reassembled_payload(c, Direction::server_to_client, max_http_bytes);
  std::vector<HttpMessage> requests = read_messages(request_bytes, true);
  if (requests.empty()) return;
  std::vector<HttpMessage> responses;
  if (response_bytes.starts_with("HTTP/")) responses = read_messages(response_bytes, false);

  if (!responses.empty() && lab.keep_alive) {
    // A keep-alive lab: HTTP/1.1 and a second request are what it wants; HTTP/1.0 is not.
    std::string_view status = responses.front().first_line;
    if (status.starts_with("HTTP/1.0 "))
      causes.push_back(
          {root_cause::http_version, "The server answered HTTP/1.0",
           fmt::format("The response begins \"{}\": the server answered HTTP/1.0 and closes the "
                       "connection after one response, but the scenario expects HTTP/1.1 "
                       "keep-alive, several requests on one connection. Run {} and capture "
                       "again.",
                       quoted(status), server_to_run(lab))});
  } else if (!responses.empty()) {
    std::string_view status = responses.front().first_line;
    if (status.starts_with("HTTP/") && !status.starts_with("HTTP/1.0 ")) {
      std::string_view version = status.substr(0, status.find(' '));
      causes.push_back(
          {root_cause::http_version, fmt::format("The server answered {}", quoted(version)),
           fmt::format("The response begins \"{}\": the server answered {}, but the scenario "
                       "expects HTTP/1.0, as python3 -m http.server answers, closing the "
                       "connection after one response. Another server (or an http.server with "
                       "protocol_version HTTP/1.1) was used: run {} and capture again.",
                       quoted(status), quoted(version), server_to_run(lab))});
    }
  }
  if (requests.size() > 1 && !lab.keep_alive) {
    causes.push_back(
        {root_cause::keep_alive, "A second request on the same connection (keep-alive)",
         fmt::format("The client sent {}{} requests on this one connection (\"{}\", then \"{}\"): "
                     "the server kept the connection open (HTTP/1.1 keep-alive) and the client "
                     "reused it, so the frames after the first response are not in the "
                     "scenario, which expects one request: run the client with one URL (`{}`).",
                     requests.size() == max_messages ? "at least " : "", requests.size(),
                     quoted(requests[0].first_line), quoted(requests[1].first_line), lab.client)});
  }
  if (!responses.empty()) {
    std::string_view status = responses.front().first_line;
    size_t space = status.find(' ');
    std::string_view code =
        space == std::string_view::npos ? std::string_view{} : status.substr(space + 1, 3);
    if (!code.empty() && code != "200")
      causes.push_back(
          {root_cause::other_status, fmt::format("The server answered {}", quoted(code)),
           fmt::format("The response's status line is \"{}\", not the lab's \"200 OK\": the "
                       "server did not serve the lab's page. Start {}, then run `{}`.",
                       quoted(status), server_to_run(lab), lab.client)});
  }
  std::string_view line = requests.front().first_line;
  size_t space = line.find(' ');
  std::string_view target = line.substr(space + 1, line.rfind(' ') - space - 1);
  if (target != "/")
    causes.push_back(
        {root_cause::other_path, fmt::format("The client asked for {}", quoted(target)),
         fmt::format("The request is \"{}\": the lab's client asks for / (the page index.html). "
                     "Run `{}` and capture again.",
                     quoted(line), lab.client)});
  std::string_view agent = header(requests.front().headers, "User-Agent");
  if (!agent.starts_with("curl/"))
    causes.push_back(
        {root_cause::other_client,
         agent.empty() ? std::string("The client is not curl")
                       : fmt::format("The client is {}, not curl", quoted(agent)),
         fmt::format("The request's User-Agent is {}: the lab's client is curl, and the "
                     "scenario's checks of the request (its bytes, its length) and of the teardown "
                     "assume curl's. Another client (wget, python urllib, a browser) sends other "
                     "bytes and may close or acknowledge differently. Run `{}` and capture again.",
                     agent.empty() ? std::string("missing") : fmt::format("\"{}\"", quoted(agent)),
                     lab.client)});
}

bool is_option_cause(const std::string& id, const std::string& field) {
  if (id == root_cause::timestamps_off) return field == "options.ts" || field == "options.order";
  if (id == root_cause::sack_off) return field == "options.sack_perm" || field == "options.order";
  if (id == root_cause::window_scaling_off)
    return field == "options.ws" || field == "options.order" || field == "window_scaled";
  if (id == root_cause::mss_not_loopback) return field == "options.mss";
  return false;
}

}  // namespace

std::vector<RootCause> diagnose_deviations(const CapturedConversation& c, const LabFacts& lab) {
  std::vector<RootCause> causes;
  option_deviations(c, lab, causes);
  http_deviations(c, lab, causes);
  return causes;
}

void drop_unneeded_deviations(std::vector<RootCause>& causes,
                              const std::vector<CheckResult>& checks) {
  static const std::string_view ids[] = {
      root_cause::timestamps_off,   root_cause::sack_off,     root_cause::window_scaling_off,
      root_cause::mss_not_loopback, root_cause::http_version, root_cause::keep_alive,
      root_cause::other_client,     root_cause::other_status, root_cause::other_path};
  std::erase_if(causes, [&](const RootCause& cause) {
    if (std::find(std::begin(ids), std::end(ids), cause.id) == std::end(ids)) return false;
    for (const CheckResult& check : checks)
      if (check.status != CheckStatus::pass && check.root_cause == cause.id) return false;
    return true;
  });
}

std::string cause_for_field(const std::vector<RootCause>& causes, const std::string& field) {
  for (const RootCause& cause : causes)
    if (is_option_cause(cause.id, field)) return cause.id;
  const bool payload = field == "payload" || field == "data" || field == "len";
  for (const RootCause& cause : causes) {
    if (field == "frame" && cause.id == root_cause::keep_alive) return cause.id;
    if (payload && (cause.id == root_cause::http_version || cause.id == root_cause::other_status ||
                    cause.id == root_cause::other_path || cause.id == root_cause::other_client))
      return cause.id;
  }
  return "";
}

}  // namespace tcpgrade
