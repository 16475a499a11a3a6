#include "analysis/walkthrough.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string_view>

#include "analysis/capture_pipeline.h"
#include "analysis/dump_format.h"
#include "analysis/walkthrough_relations.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

constexpr size_t max_stream_bytes = 1 << 20;  // HTTP framing is read from the first MiB
// How far back a relation looks for the frame it follows from: a busy capture stays linear.
constexpr size_t relation_lookback = 4096;

std::string arrow(Direction d) {
  return d == Direction::client_to_server ? "client → server" : "server → client";
}

std::string endpoint_text(const Endpoint& e) {
  return e.address.family == 6 ? fmt::format("[{}]:{}", to_string(e.address), e.port)
                               : fmt::format("{}:{}", to_string(e.address), e.port);
}

std::string frame_list(const std::vector<uint64_t>& frames) {
  std::string out;
  for (size_t i = 0; i < frames.size(); ++i) {
    if (i == 8 && frames.size() > 10) return out + fmt::format(" … {}", frames.back());
    out += fmt::format("{}{}", i ? ", " : "", frames[i]);
  }
  return out;
}

std::string plural(uint64_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// ---- HTTP framing of one direction's bytes ---------------------------------------------

struct HttpMessage {
  size_t start = 0, header_end = 0, end = 0;  // offsets in the direction's byte stream
  bool complete = false;                      // every byte up to `end` is in the capture
  std::string start_line;
  size_t header_lines = 0;
  std::optional<size_t> content_length;
  std::vector<uint64_t> frames;  // the frames that carry its bytes
};

struct DirectionBytes {
  std::optional<uint32_t> base;  // relative Seq of the first payload byte seen
  std::string bytes;
  std::vector<bool> known;
  bool cut = false;  // some payload was not captured (snap length, frame cut short)
  std::vector<HttpMessage> messages;
};

bool looks_like_http_start(std::string_view text, Direction d) {
  if (d == Direction::server_to_client) return text.substr(0, 5) == "HTTP/";
  for (std::string_view method : {"GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS "})
    if (text.substr(0, method.size()) == method) return true;
  return false;
}

std::optional<size_t> content_length(std::string_view headers) {
  std::string lower(headers);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  size_t at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return std::nullopt;
  at += 17;
  while (at < lower.size() && lower[at] == ' ') ++at;
  size_t value = 0, digits = 0;
  for (; at < lower.size() && std::isdigit(static_cast<unsigned char>(lower[at])) && digits < 9;
       ++at, ++digits)
    value = value * 10 + static_cast<size_t>(lower[at] - '0');
  if (!digits) return std::nullopt;
  return value;
}

bool all_known(const DirectionBytes& d, size_t from, size_t to) {
  if (to > d.known.size()) return false;
  return std::all_of(d.known.begin() + from, d.known.begin() + to, [](bool k) { return k; });
}

void find_messages(DirectionBytes& d, Direction direction) {
  size_t at = 0;
  while (at < d.bytes.size() && d.messages.size() < 64) {
    std::string_view rest(d.bytes.data() + at, d.bytes.size() - at);
    if (!d.known[at] || !looks_like_http_start(rest, direction)) return;
    size_t end_of_headers = rest.find("\r\n\r\n");
    if (end_of_headers == std::string_view::npos) return;
    HttpMessage m;
    m.start = at;
    m.header_end = at + end_of_headers + 4;
    std::string_view headers = rest.substr(0, end_of_headers);
    m.start_line = std::string(headers.substr(0, headers.find("\r\n")));
    m.header_lines = static_cast<size_t>(std::count(headers.begin(), headers.end(), '\n'));
    m.content_length = content_length(headers);
    if (m.content_length)
      m.end = m.header_end + *m.content_length;
    else
      m.end = direction == Direction::client_to_server ? m.header_end : d.bytes.size();
    m.end = std::min(m.end, d.bytes.size());
    m.complete = all_known(d, m.start, m.end) &&
                 (!m.content_length || m.header_end + *m.content_length <= d.bytes.size());
    d.messages.push_back(std::move(m));
    at = d.messages.back().end;
    if (at == d.messages.back().start) return;
  }
}

DirectionBytes direction_bytes(const CapturedConversation& c, Direction direction) {
  DirectionBytes d;
  for (const CapturedSegment& s : c.segments) {
    if (s.direction != direction || s.len == 0) continue;
    if (s.payload.size() < s.len) d.cut = true;
    if (!d.base) d.base = s.seq;
    int64_t offset = static_cast<int32_t>(s.seq - *d.base);
    if (offset < 0) continue;
    size_t end = std::min<size_t>(static_cast<size_t>(offset) + s.len, max_stream_bytes);
    if (end > d.bytes.size()) {
      d.bytes.resize(end, '\0');
      d.known.resize(end, false);
    }
    for (size_t i = 0; i < s.payload.size() && offset + i < end; ++i) {
      d.bytes[offset + i] = s.payload[i];
      d.known[offset + i] = true;
    }
  }
  if (!d.cut) find_messages(d, direction);
  for (HttpMessage& m : d.messages)
    for (const CapturedSegment& s : c.segments) {
      if (s.direction != direction || s.len == 0 || !d.base) continue;
      int64_t from = static_cast<int32_t>(s.seq - *d.base), to = from + s.len;
      if (from < static_cast<int64_t>(m.end) && to > static_cast<int64_t>(m.start))
        if (m.frames.empty() || m.frames.back() != s.frame) m.frames.push_back(s.frame);
    }
  return d;
}

// Capture bytes quoted inline: printable, and never a backtick that would end the quote.
std::string code(std::string_view text) {
  std::string quoted = "`";
  for (char ch : printable(std::string(text), 60))
    quoted += ch == '`' ? std::string("\\x60") : std::string(1, ch);
  return quoted + "`";
}

const char* message_kind(Direction d) {
  return d == Direction::client_to_server ? "request" : "response";
}

// The status code of a response's start line ("HTTP/1.0 404 File not found" → "404"); empty
// when the line is no status line.
std::string status_code(std::string_view start_line) {
  if (start_line.rfind("HTTP/", 0) != 0) return "";
  size_t space = start_line.find(' ');
  if (space == std::string_view::npos || space + 4 > start_line.size()) return "";
  return std::string(start_line.substr(space + 1, 3));
}

// What a response body is to a student: the page asked for, or the error page of a 4xx/5xx.
std::string body_words(const HttpMessage& m, bool title) {
  std::string code = status_code(m.start_line);
  if (code.empty() || code[0] == '2') return title ? "the page" : " (the page itself)";
  return title ? fmt::format("the {} error page", code)
               : fmt::format(" (the error page sent with status {}, not the page asked for)", code);
}

// What the payload of `s` holds, in bullets, and a short name for the title.
struct PayloadReading {
  std::vector<std::string> bullets;
  std::string title;
};

PayloadReading read_payload(const CapturedSegment& s, const DirectionBytes& d,
                            uint32_t snap_length) {
  PayloadReading r;
  if (s.len == 0) return r;
  if (s.payload.size() < s.len) {
    r.bullets.push_back(fmt::format(
        "Payload: {} bytes on the wire, but only {} of them are in the capture: the frame was "
        "cut at {} of {} bytes{}, so what it carries cannot be read here",
        s.len, s.payload.size(), s.captured_length, s.wire_length,
        snap_length && s.captured_length < s.wire_length
            ? fmt::format(" by the snap length ({})", snap_length)
            : ""));
    if (!s.payload.empty())
      r.bullets.push_back(fmt::format("The captured start of it: {}", code(s.payload)));
    r.title = "data, cut by the snap length";
    return r;
  }
  const size_t from = static_cast<size_t>(static_cast<int32_t>(s.seq - d.base.value_or(s.seq)));
  const size_t to = from + s.len;
  for (const HttpMessage& m : d.messages) {
    if (m.end <= from || m.start >= to) continue;
    const char* kind = message_kind(s.direction);
    const bool starts_here = m.start >= from;
    const size_t header_bytes = std::min(to, m.header_end) > std::max(from, m.start)
                                    ? std::min(to, m.header_end) - std::max(from, m.start)
                                    : 0;
    const size_t body_bytes = std::min(to, m.end) > std::max(from, m.header_end)
                                  ? std::min(to, m.end) - std::max(from, m.header_end)
                                  : 0;
    if (starts_here) {
      r.bullets.push_back(
          fmt::format("Payload: the HTTP {} line {} and {} ({} bytes){}",
                      s.direction == Direction::client_to_server ? "request" : "status",
                      code(m.start_line), plural(m.header_lines, "header line"), header_bytes,
                      &m == &d.messages.front()
                          ? ""
                          : fmt::format("; {} {} on this connection (HTTP keep-alive)", kind,
                                        static_cast<size_t>(&m - d.messages.data()) + 1)));
      r.title = s.direction == Direction::client_to_server
                    ? fmt::format("HTTP {} request", m.start_line.substr(0, m.start_line.find(' ')))
                    : "HTTP response status line and headers";
    }
    if (body_bytes) {
      std::string_view body(s.payload.data() + (std::max(from, m.header_end) - from), body_bytes);
      r.bullets.push_back(fmt::format(
          "{}{} of the {} body{}: {}{}",
          starts_here ? "Then " : "Payload: ", plural(body_bytes, "byte"), kind,
          s.direction == Direction::server_to_client ? body_words(m, false) : "", code(body),
          starts_here ? ""
                      : fmt::format(": no status line or headers here, those came in frame {}",
                                    m.frames.front())));
      if (!starts_here)
        r.title = s.direction == Direction::server_to_client
                      ? "HTTP response body: " + body_words(m, true)
                      : "HTTP request body";
    } else if (starts_here && m.content_length && *m.content_length && m.end > to) {
      r.bullets.push_back(fmt::format(
          "The headers announce Content-Length: {}: the body follows in a later segment",
          *m.content_length));
    }
    if (m.end > from && m.end <= to) {  // the message's last byte is in this frame
      if (!m.complete)
        r.bullets.push_back(fmt::format(
            "Some bytes of this HTTP {} are not in the capture: Wireshark cannot reassemble it",
            kind));
      else if (m.frames.size() > 1)
        r.bullets.push_back(fmt::format(
            "Wireshark shows the reassembled HTTP {} ({} from frames {}) on this frame, the "
            "one that completes it: that is why {} appears under it, although this frame "
            "carries only {} of them",
            kind, plural(m.end - m.start, "byte"), frame_list(m.frames), code(m.start_line),
            plural(s.len, "byte")));
      else
        r.bullets.push_back(fmt::format(
            "The whole HTTP {} is in this frame: Wireshark shows it as HTTP here", kind));
    } else if (starts_here && m.end > to) {
      r.bullets.push_back(fmt::format(
          "Wireshark lists this frame as TCP (\"segment of a reassembled PDU\"): it shows the "
          "HTTP {} on the frame that completes it{}",
          kind, m.complete ? fmt::format(", frame {}", m.frames.back()) : ", not in the capture"));
    }
  }
  if (r.bullets.empty()) {
    r.bullets.push_back(
        fmt::format("Payload: {} of application data: {}", plural(s.len, "byte"), code(s.payload)));
    r.title = "data";
  }
  return r;
}

// ---- flags, options, analysis flags ----------------------------------------------------

std::string flags_bullet(const CapturedSegment& s, bool answers_syn) {
  std::vector<std::string> parts;
  const std::string me = sender_name(s.direction), peer = receiver_name(s.direction);
  if (s.flags & tcp_flag::syn)
    parts.push_back(
        fmt::format("SYN: the {} picks its initial sequence number and asks to "
                    "synchronise",
                    me));
  if ((s.flags & tcp_flag::ack) && (s.flags & tcp_flag::syn))
    parts.push_back(fmt::format("ACK: it acknowledges the {}'s SYN", peer));
  else if (s.flags & tcp_flag::ack)
    parts.push_back("ACK: the Ack field is valid and says what has been received");
  if (s.flags & tcp_flag::psh)
    parts.push_back("PSH: hand the data to the application at once, do not wait for more");
  if (s.flags & tcp_flag::fin)
    parts.push_back(fmt::format("FIN: the {} has no more data to send and closes its side", me));
  if (s.flags & tcp_flag::rst)
    parts.push_back(answers_syn ? "RST: nothing listens on the port, the connection is refused"
                                : "RST: the connection is aborted at once, without a FIN exchange");
  if (s.flags & tcp_flag::urg) parts.push_back("URG: the urgent pointer is valid");
  if (s.flags & (tcp_flag::ece | tcp_flag::cwr | tcp_flag::ae))
    parts.push_back("ECE/CWR/AE: explicit congestion notification");
  std::string out = fmt::format("Flags `[{}]`", flag_names(s.flags));
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : " – ") + parts[i];
  return out;
}

std::string options_bullet(const CapturedSegment& s) {
  const TcpOptions& o = s.options;
  std::vector<std::string> parts;
  if (o.mss)
    parts.push_back(fmt::format("`MSS={}`: the largest segment the {} accepts", *o.mss,
                                sender_name(s.direction)));
  if (o.sack_permitted) parts.push_back("`SACK_PERM`: selective acknowledgements may be used");
  if (o.tsval)
    parts.push_back(
        fmt::format("`TSval={} TSecr={}`: timestamps, for round-trip times and "
                    "protection against wrapped sequence numbers",
                    *o.tsval, *o.tsecr));
  if (o.window_scale)
    parts.push_back(fmt::format(
        "`WS={}` (shift {}): the {}'s windows are multiplied by {} once both SYNs carry it",
        1u << std::min<uint8_t>(*o.window_scale, 14), *o.window_scale, sender_name(s.direction),
        1u << std::min<uint8_t>(*o.window_scale, 14)));
  std::string out = "Options: ";
  if (parts.empty()) out += "none";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
  if (!s.options_complete) out += " (the options are cut by the snap length: some are missing)";
  return out;
}

struct FlagText {
  uint32_t bit;
  const char* text;
};
constexpr FlagText analysis_texts[] = {
    {analysis_flag::retransmission,
     "Retransmission: these bytes were sent before; the sender did not see them acknowledged in "
     "time"},
    {analysis_flag::spurious_retransmission,
     "Spurious retransmission: the receiver had already acknowledged these bytes"},
    {analysis_flag::fast_retransmission,
     "Fast retransmission: sent again after duplicate ACKs, before the timer expired"},
    {analysis_flag::out_of_order, "Out of order: it arrived after bytes that follow it"},
    {analysis_flag::lost_segment,
     "Previous segment not captured: its Seq is past where this side's last segment ended; "
     "the bytes in between were sent but are not in the capture"},
    {analysis_flag::ack_lost_segment,
     "ACKed unseen segment: it acknowledges bytes the capture never saw"},
    {analysis_flag::duplicate_ack,
     "Duplicate ACK: the same Ack and window again, with no data; the receiver is still waiting "
     "for the bytes at Ack"},
    {analysis_flag::zero_window,
     "Zero window: the receiver's buffer is full; the sender must wait"},
    {analysis_flag::zero_window_probe,
     "Zero window probe: the sender tests whether the window opened"},
    {analysis_flag::zero_window_probe_ack, "Zero window probe ACK: the answer to a probe"},
    {analysis_flag::window_full, "Window full: the sender filled the receiver's whole window"},
    {analysis_flag::window_update,
     "Window update: no data and the same Ack, only a larger window: the receiver made room"},
    {analysis_flag::keep_alive,
     "Keep-alive: one byte before the next Seq (or none), to check the peer is still there"},
    {analysis_flag::keep_alive_ack, "Keep-alive ACK: the answer to a keep-alive"},
    {analysis_flag::reused_ports,
     "Port numbers reused: a new SYN on the ports of an earlier connection"},
};

// ---- the connection's phases --------------------------------------------------------------

struct Phases {
  std::vector<uint64_t> of[4];  // by Phase
  std::optional<size_t> first_fin, first_rst;
};

Phases phases_of(const CapturedConversation& c) {
  Phases p;
  for (size_t i = 0; i < c.segments.size(); ++i) {
    const CapturedSegment& s = c.segments[i];
    p.of[static_cast<int>(s.phase)].push_back(s.frame);
    if ((s.flags & tcp_flag::fin) && !p.first_fin) p.first_fin = i;
    if ((s.flags & tcp_flag::rst) && !p.first_rst) p.first_rst = i;
  }
  return p;
}

std::string phase_bullet(const CapturedSegment& s, const Phases& p) {
  const auto& frames = p.of[static_cast<int>(s.phase)];
  std::string range = frames.size() == 1
                          ? fmt::format("frame {}", frames.front())
                          : fmt::format("frames {}–{}", frames.front(), frames.back());
  std::string where;
  if (frames.size() > 1 && s.frame == frames.front())
    where = ": it begins here";
  else if (frames.size() > 1 && s.frame == frames.back())
    where = ": it ends here";
  switch (s.phase) {
    case Phase::handshake:
      return fmt::format("Phase: the three-way handshake ({}){}", range, where);
    case Phase::data:
      return fmt::format("Phase: data transfer ({}){}{}", range, where,
                         s.len ? "" : "; a pure ACK here, not part of a handshake");
    case Phase::teardown:
      return fmt::format("Phase: teardown ({}){}", range, where);
    case Phase::reset:
      return "Phase: reset: the connection ends here, without a FIN exchange";
  }
  return "";
}

// The frame a pure ACK acknowledges, for its title: the peer's latest segment that ends at Ack.
const CapturedSegment* acked_segment(const CapturedConversation& c, size_t index) {
  const CapturedSegment& s = c.segments[index];
  for (size_t i = index; i-- > 0 && index - i <= relation_lookback;) {
    const CapturedSegment& p = c.segments[i];
    if (p.direction != s.direction && p.next_seq != p.seq && p.next_seq == s.ack) return &p;
  }
  return nullptr;
}

std::string title_of(const CapturedConversation& c, size_t index, const PayloadReading& payload,
                     bool answers_syn) {
  const CapturedSegment& s = c.segments[index];
  const std::string me = sender_name(s.direction);
  std::string what;
  if (s.flags & tcp_flag::rst) {
    what = answers_syn ? fmt::format("{} – the {} refuses the connection", flag_names(s.flags), me)
                       : fmt::format("{} – the {} aborts the connection", flag_names(s.flags), me);
  } else if ((s.flags & tcp_flag::syn) && !s.has_ack()) {
    what = "SYN – the client opens the handshake";
  } else if (s.flags & tcp_flag::syn) {
    what = "SYN, ACK – the server answers the handshake";
  } else if (s.flags & tcp_flag::fin) {
    bool first = true;
    for (size_t i = 0; i < index; ++i)
      if (c.segments[i].flags & tcp_flag::fin) first = false;
    what = fmt::format("FIN – the {} closes {}", me, first ? "first" : "its side too");
    if (!payload.title.empty()) what = payload.title + ", with FIN – the " + me + " closes";
  } else if (!payload.title.empty()) {
    what = payload.title;
  } else if (s.analysis_flags & analysis_flag::duplicate_ack) {
    what = "duplicate ACK";
  } else if (s.analysis_flags & analysis_flag::window_update) {
    what = "window update";
  } else if (s.analysis_flags & analysis_flag::keep_alive) {
    what = "keep-alive";
  } else if (s.phase == Phase::handshake) {
    what = "ACK – the handshake completes";
  } else if (const CapturedSegment* acked = acked_segment(c, index)) {
    what = (acked->flags & tcp_flag::fin) ? fmt::format("ACK of the {}'s FIN in frame {}",
                                                        sender_name(acked->direction), acked->frame)
                                          : fmt::format("ACK of frame {}", acked->frame);
  } else {
    what = "ACK";
  }
  if (!what.empty()) what[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(what[0])));
  return fmt::format("{} ({})", what, arrow(s.direction));
}

// Whether segment `index` answers a SYN of the peer that nothing else answered (a refusal).
bool answers_lone_syn(const CapturedConversation& c, size_t index) {
  if (!(c.segments[index].flags & tcp_flag::rst)) return false;
  bool syn = false;
  for (size_t i = 0; i < index; ++i) {
    const CapturedSegment& p = c.segments[i];
    if (p.flags & tcp_flag::syn) syn = !(p.flags & tcp_flag::ack);
    if (p.len) syn = false;
  }
  return syn && index > 0 && (c.segments[index].flags & tcp_flag::rst);
}

WalkthroughPacket explain_segment(const WalkthroughInput& input, const CapturedConversation& c,
                                  size_t index, const Phases& phases,
                                  const DirectionBytes (&bytes)[2]) {
  const CapturedSegment& s = c.segments[index];
  const Endpoint& from =
      s.direction == Direction::client_to_server ? c.summary.client : c.summary.server;
  const Endpoint& to =
      s.direction == Direction::client_to_server ? c.summary.server : c.summary.client;
  WalkthroughPacket packet;
  packet.frame = s.frame;
  auto line = input.summary_lines.find(s.frame);
  if (line != input.summary_lines.end()) packet.summary_line = line->second;
  const bool refusal = answers_lone_syn(c, index);
  PayloadReading payload =
      read_payload(s, bytes[static_cast<int>(s.direction)], input.contents.snap_length);
  packet.title = title_of(c, index, payload, refusal);
  auto& b = packet.bullets;
  b.push_back(fmt::format(
      "{}: port {} → port {} ({} → {}){}",
      s.direction == Direction::client_to_server ? "Client → server" : "Server → client", from.port,
      to.port, to_string(from.address), to_string(to.address),
      from.address == to.address ? ", the same address: the loopback" : ""));
  b.push_back(flags_bullet(s, refusal));
  if (refusal)
    b.push_back(fmt::format(
        "Seq {}: a refusal opens no sequence space of its own (raw {}); what matters is its Ack, "
        "which names the SYN it refuses",
        s.seq, s.seq_raw));
  else
    b.push_back(seq_relation(c, index));
  if (s.has_ack()) b.push_back(ack_relation(c, index));
  if (s.has_ack() && s.peer_next_before && !(s.flags & tcp_flag::rst) &&
      static_cast<int32_t>(*s.peer_next_before - s.ack) > 0)
    b.push_back(fmt::format(
        "The {} had already sent up to {}: this Ack stops at {}, so the segments were still "
        "in flight when it left (they crossed on the way)",
        receiver_name(s.direction), *s.peer_next_before, s.ack));
  b.push_back(next_seq_relation(s));
  if (s.flags & tcp_flag::syn) b.push_back(options_bullet(s));
  if (s.flags & tcp_flag::syn)
    b.push_back(fmt::format("Win={}: the {}'s receive window; the window of a SYN is never scaled",
                            s.window, sender_name(s.direction)));
  else if (s.window_scaled != s.window)
    b.push_back(fmt::format("Win={}: the raw window {} × {}, the scale the {} announced in its SYN",
                            s.window_scaled, s.window, s.window ? s.window_scaled / s.window : 0,
                            sender_name(s.direction)));
  b.push_back(phase_bullet(s, phases));
  for (std::string& text : payload.bullets) b.push_back(std::move(text));
  for (const FlagText& f : analysis_texts)
    if (s.analysis_flags & f.bit) b.push_back(std::string("Wireshark: ") + f.text);
  if (s.status != DecodeStatus::ok && s.problem && !(s.len && s.payload.size() < s.len))
    b.push_back(fmt::format("The frame is incomplete: {}", s.problem));
  return packet;
}

// ---- header and summary -----------------------------------------------------------------

std::string connection_line(const CapturedConversation& c) {
  return fmt::format("stream {}: {} → {}, {}, state {}{}", c.summary.stream,
                     endpoint_text(c.summary.client), endpoint_text(c.summary.server),
                     plural(c.segments.size(), "frame"), c.summary.state,
                     (c.summary.completeness & completeness::syn) ? "" : ", no SYN in the capture");
}

std::vector<std::string> capture_notes(const CaptureContents& contents,
                                       const CapturedConversation& c) {
  std::vector<std::string> notes;
  if (contents.warning)
    notes.push_back(
        fmt::format("The file was cut short: {}. The last frames are missing.", *contents.warning));
  size_t cut = 0;
  for (const CapturedSegment& s : c.segments)
    if (s.payload.size() < s.len || !s.options_complete) ++cut;
  if (cut)
    notes.push_back(fmt::format(
        "The capture was made with a snap length of {} bytes: {} of this connection {} cut, "
        "so what was past the cut (payload, options) cannot be read; Seq, Ack and Len still "
        "come from the headers.",
        contents.snap_length, plural(cut, "frame"), cut == 1 ? "was" : "were"));
  if (!c.segments.empty() && !(c.segments.front().flags & tcp_flag::syn))
    notes.push_back(
        "The capture started late: the handshake is not in it. Seq and Ack are numbered from the "
        "first frame seen, not from the initial sequence numbers, and who is the client is a "
        "guess (the higher port).");
  if (contents.link_type == 1)
    notes.push_back("Link type Ethernet: what `tcpdump -i lo` (or a network card) writes.");
  else if (contents.link_type == 0 || contents.link_type == 108)
    notes.push_back("Link type BSD loopback (NULL/LOOP): a capture of lo0 on macOS or BSD.");
  else if (contents.link_type == 101 || contents.link_type == 12 || contents.link_type == 228 ||
           contents.link_type == 229)
    notes.push_back("Link type raw IP: no link-layer header before the IP header.");
  if (contents.link_type == 113 || contents.link_type == 276)
    notes.push_back(
        "Captured with `-i any` (Linux cooked header): "
        "tcpdump can drop frames there, so a missing frame may be the capture's, not TCP's.");
  const CapturedSegment* last = c.segments.empty() ? nullptr : &c.segments.back();
  bool closed = false, fins[2] = {false, false};
  for (const CapturedSegment& s : c.segments) {
    if (s.flags & tcp_flag::rst) closed = true;
    if (s.flags & tcp_flag::fin) fins[static_cast<int>(s.direction)] = true;
  }
  if (last && !closed && !(fins[0] && fins[1]) && (c.segments.front().flags & tcp_flag::syn))
    notes.push_back(
        "The capture ends while the connection is still open: its teardown is not in the "
        "capture.");
  return notes;
}

std::vector<std::string> closing_summary(const CaptureContents& contents,
                                         const CapturedConversation& c, const Phases& p) {
  std::vector<std::string> out;
  const auto& hs = p.of[static_cast<int>(Phase::handshake)];
  bool syn = false;
  for (const CapturedSegment& s : c.segments) syn = syn || (s.flags & tcp_flag::syn);
  bool syn_ack = false;
  for (const CapturedSegment& s : c.segments)
    syn_ack = syn_ack || ((s.flags & tcp_flag::syn) && s.has_ack());
  if (syn && !hs.empty())
    out.push_back(
        fmt::format("Handshake: frame{} {}{}", hs.size() == 1 ? "" : "s", frame_list(hs),
                    syn_ack ? "" : " (a SYN, never answered by a SYN-ACK: no connection)"));
  else
    out.push_back("Handshake: not in the capture");
  for (Direction d : {Direction::client_to_server, Direction::server_to_client}) {
    std::vector<uint64_t> frames;
    uint64_t bytes = 0;
    for (const CapturedSegment& s : c.segments)
      if (s.direction == d && s.len) {
        frames.push_back(s.frame);
        bytes += s.len;
      }
    out.push_back(frames.empty()
                      ? fmt::format("Data {}: none", arrow(d))
                      : fmt::format("Data {}: {}, {} (frame{} {})", arrow(d),
                                    plural(frames.size(), "frame"), plural(bytes, "byte"),
                                    frames.size() == 1 ? "" : "s", frame_list(frames)));
  }
  std::vector<uint64_t> acks;
  for (const CapturedSegment& s : c.segments)
    if (s.next_seq == s.seq && !(s.flags & tcp_flag::rst) && s.phase != Phase::handshake)
      acks.push_back(s.frame);
  if (!acks.empty())
    out.push_back(fmt::format("Pure ACKs after the handshake: frame{} {}",
                              acks.size() == 1 ? "" : "s", frame_list(acks)));
  if (p.first_rst && (!p.first_fin || *p.first_rst < *p.first_fin)) {
    const CapturedSegment& r = c.segments[*p.first_rst];
    out.push_back(
        fmt::format("Ended by a reset from the {} in frame {}", sender_name(r.direction), r.frame));
  } else if (p.first_fin) {
    const CapturedSegment& f = c.segments[*p.first_fin];
    std::string text =
        fmt::format("Closed first by the {} (FIN in frame {})", sender_name(f.direction), f.frame);
    for (size_t i = *p.first_fin + 1; i < c.segments.size(); ++i)
      if ((c.segments[i].flags & tcp_flag::fin) && c.segments[i].direction != f.direction) {
        text += fmt::format("; the {}'s FIN in frame {}", sender_name(c.segments[i].direction),
                            c.segments[i].frame);
        break;
      }
    if (p.first_rst) text += fmt::format("; a reset in frame {}", c.segments[*p.first_rst].frame);
    out.push_back(text);
  } else {
    out.push_back("Not closed in the capture: no FIN or RST");
  }
  out.push_back(fmt::format("{} in this connection, {} in the capture",
                            plural(c.segments.size(), "frame"), plural(contents.frames, "frame")));
  return out;
}

}  // namespace

WalkthroughInput read_walkthrough_input(const std::string& path, const CaptureLimits& limits) {
  WalkthroughInput input;
  CapturePipeline pipeline(path, limits);
  CaptureContents& contents = input.contents;
  contents.path = path;
  contents.snap_length = pipeline.reader().snap_length();
  contents.link_type = pipeline.reader().link_type();
  std::vector<ConversationProgress> progress;
  DecodedFrame frame;
  std::optional<FrameAnalysis> analysis;
  fmt::memory_buffer line;
  while (pipeline.next(frame, analysis)) {
    if (!analysis) continue;
    if (analysis->stream >= contents.conversations.size()) {
      contents.conversations.resize(analysis->stream + 1);
      progress.resize(analysis->stream + 1);
    }
    append_segment(path, contents.conversations[analysis->stream], progress[analysis->stream],
                   frame, *analysis, limits);
    line.clear();
    append_text_line(line, {frame, &*analysis, pipeline.first_timestamp()});
    std::string text(line.data(), line.size());
    text.erase(0, text.find_first_not_of(' '));
    while (!text.empty() && text.back() == '\n') text.pop_back();
    input.summary_lines.emplace(frame.number, std::move(text));
  }
  contents.frames = pipeline.frames();
  contents.tcp_frames = pipeline.tcp_frames();
  contents.warning = pipeline.reader().warning();
  for (ConversationSummary& summary : pipeline.tracker().summaries())
    if (summary.stream < contents.conversations.size())
      contents.conversations[summary.stream].summary = std::move(summary);
  return input;
}

std::optional<uint32_t> default_stream(const CaptureContents& contents) {
  for (const CapturedConversation& c : contents.conversations)
    if (!c.segments.empty() && (c.segments.front().flags & tcp_flag::syn)) return c.summary.stream;
  for (const CapturedConversation& c : contents.conversations)
    if (!c.segments.empty()) return c.summary.stream;
  return std::nullopt;
}

Walkthrough build_walkthrough(const WalkthroughInput& input, std::optional<uint32_t> stream) {
  const CaptureContents& contents = input.contents;
  const std::string name = contents.path == "-" ? "<stdin>" : contents.path;
  std::optional<uint32_t> first = default_stream(contents);
  if (!first)
    throw std::invalid_argument(fmt::format("{}: no TCP segments in its {}: nothing to explain",
                                            name, plural(contents.frames, "frame")));
  if (stream && (*stream >= contents.conversations.size() ||
                 contents.conversations[*stream].segments.empty()))
    throw std::invalid_argument(fmt::format("{}: no TCP stream {} (its streams are 0 to {})", name,
                                            *stream, contents.conversations.size() - 1));
  Walkthrough w;
  w.capture = contents.path;
  w.frames = contents.frames;
  w.tcp_frames = contents.tcp_frames;
  for (const CapturedConversation& c : contents.conversations)
    if (!c.segments.empty()) w.connections.push_back(connection_line(c));
  w.stream = stream.value_or(*first);
  const CapturedConversation& c = contents.conversations[w.stream];
  if (stream)
    w.chosen = fmt::format("stream {}, chosen with --stream", w.stream);
  else if (c.segments.front().flags & tcp_flag::syn)
    w.chosen = fmt::format(
        "stream {}, the first that opens with a SYN (Wireshark's tcp.stream {}); --stream N "
        "picks another",
        w.stream, w.stream);
  else
    w.chosen = fmt::format(
        "stream {}, the first in the capture (none has its handshake); --stream N picks another",
        w.stream);
  w.notes = capture_notes(contents, c);
  const Phases phases = phases_of(c);
  const DirectionBytes bytes[2] = {direction_bytes(c, Direction::client_to_server),
                                   direction_bytes(c, Direction::server_to_client)};
  for (size_t i = 0; i < c.segments.size(); ++i)
    w.packets.push_back(explain_segment(input, c, i, phases, bytes));
  w.summary = closing_summary(contents, c, phases);
  return w;
}

}  // namespace tcpgrade
