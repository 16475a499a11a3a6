#include "scenario/scenario_recorder.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/frame_analysis.h"
#include "capture/decoded_frame.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

// A scenario name from a file name: lower case, [a-z0-9_-] only, at most 64 characters.
std::string name_from_path(const std::string& path) {
  std::string stem = std::filesystem::path(path).stem().string();
  std::string name;
  for (char c : stem) {
    char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    bool ok = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '_' ||
              lower == '-';
    name += ok ? lower : '-';
    if (name.size() == 64) break;
  }
  return name.empty() || name == "-" ? "recorded" : name;
}

// Text from the input (a file name) as one printable line, for a comment or a title: a newline
// in a comment would end it and start keys of the file name's choosing. terminal_safe escapes
// controls, C1, bidirectional overrides and bytes that are not UTF-8; YAML 1.1 readers
// (PyYAML) also break lines at U+2028 and U+2029, so those are escaped too.
std::string one_line(std::string_view text) {
  std::string out = terminal_safe(text);
  for (auto [raw, escaped] :
       {std::pair{"\xe2\x80\xa8", "\\u2028"}, std::pair{"\xe2\x80\xa9", "\\u2029"}})
    for (size_t at = out.find(raw); at != std::string::npos; at = out.find(raw, at))
      out.replace(at, 3, escaped);
  return out;
}

// A value YAML reads back as the same string when written plain: a scenario id that is not
// one of YAML's words for null or a boolean.
bool plain_token(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  for (char c : text)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  for (std::string_view word : {"null", "true", "false", "yes", "no", "on", "off", "y", "n"})
    if (text == word) return false;
  return text[0] != '-';
}

// Every string that comes from the input or the command line goes out through the emitter,
// double-quoted unless it is a plain token: the emitter escapes quotes, backslashes and
// control characters, so no value can close its scalar and open a key.
void emit_text(YAML::Emitter& out, const std::string& text) {
  if (plain_token(text))
    out << text;
  else
    out << YAML::DoubleQuoted << text;
}

std::string frame_kind(const CapturedSegment& s) {
  if ((s.flags & tcp_flag::syn) && (s.flags & tcp_flag::ack)) return "syn-ack";
  if (s.flags & tcp_flag::syn) return "syn";
  if (s.flags & tcp_flag::rst) return "rst";
  if (s.flags & tcp_flag::fin) return "fin";
  if (s.len > 0)
    return s.direction == Direction::client_to_server ? "request-data" : "response-data";
  return "ack";
}

// A first sentence for the instructor to rewrite.
// Portable scenarios loosen Len to "some data", so their sentence names no byte count.
std::string teaches(const CapturedSegment& s, bool strict) {
  const char* who = s.direction == Direction::client_to_server ? "client" : "server";
  std::string kind = frame_kind(s);
  if (kind == "syn") return "The client opens the connection with a SYN.";
  if (kind == "syn-ack") return "The server answers the SYN with SYN-ACK.";
  if (kind == "rst") return fmt::format("The {} resets the connection (RST).", who);
  if (kind == "fin") return fmt::format("The {} closes its side of the connection (FIN).", who);
  if (s.len > 0)
    return strict ? fmt::format("The {} sends {} bytes of data.", who, s.len)
                  : fmt::format("The {} sends data.", who);
  if (s.phase == Phase::handshake) return "The client's ACK completes the handshake.";
  return strict ? fmt::format("The {} acknowledges what it received (Ack={}).", who, s.ack)
                : fmt::format("The {} acknowledges what it received.", who);
}

std::string first_line(const std::string& data) {
  size_t end = data.find("\r\n");
  if (end == std::string::npos) end = data.find('\n');
  std::string line =
      data.substr(0, std::min<size_t>(end == std::string::npos ? data.size() : end, 200));
  for (unsigned char c : line)
    if (c < 0x20 || c >= 0x7f) return "";  // binary data: no stream check
  return line;
}

void emit_options(YAML::Emitter& out, const CapturedSegment& s, bool strict) {
  const TcpOptions& o = s.options;
  if (!s.options_complete) return;  // cut by the snap length: nothing to assert
  bool syn = s.flags & tcp_flag::syn;
  if (!syn && !strict) {
    if (o.tsval)
      out << YAML::Key << "options" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
          << "ts" << YAML::Value << "present" << YAML::EndMap;
    return;
  }
  out << YAML::Key << "options" << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "mss" << YAML::Value;
  if (o.mss)
    strict ? out << *o.mss : out << "present";
  else
    out << "absent";
  out << YAML::Key << "sack_perm" << YAML::Value << (o.sack_permitted ? "present" : "absent");
  out << YAML::Key << "ts" << YAML::Value;
  if (o.tsval && strict) {
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "tsval" << YAML::Value << *o.tsval
        << YAML::Key << "tsecr" << YAML::Value << o.tsecr.value_or(0) << YAML::EndMap;
  } else {
    out << (o.tsval ? "present" : "absent");
  }
  out << YAML::Key << "ws" << YAML::Value;
  // A shift beyond 14 is clamped by the receiver (RFC 7323) and no scenario may name it.
  if (o.window_scale)
    strict&&* o.window_scale <= 14 ? out << static_cast<int>(*o.window_scale) : out << "present";
  else
    out << "absent";
  out << YAML::EndMap;
}

// The named flags as captured. The reserved bits (0xe00) have no name in the scenario
// language, so a frame carrying them gets the named bits exactly (those set included, the
// others excluded) instead of a flag list its own reserved bits would fail.
void emit_flags(YAML::Emitter& out, uint16_t flags) {
  out << YAML::Key << "flags" << YAML::Value;
  auto list = [&](bool set) {
    out << YAML::Flow << YAML::BeginSeq;
    for (uint16_t bit = 1; bit <= tcp_flag::ae; bit <<= 1)
      if (static_cast<bool>(flags & bit) == set) out << flag_names(bit);
    out << YAML::EndSeq;
  };
  if (!(flags & tcp_flag::reserved)) return list(true);
  const uint16_t named = (tcp_flag::ae << 1) - 1;
  out << YAML::Flow << YAML::BeginMap;
  if (flags & named) {
    out << YAML::Key << "includes" << YAML::Value;
    list(true);
  }
  if ((flags & named) != named) {
    out << YAML::Key << "excludes" << YAML::Value;
    list(false);
  }
  out << YAML::EndMap;
}

// Portable recordings write what TCP may cut and order differently as blocks: a long run of
// data one way (with the peer's ACKs) as a transfer, and the close as a teardown, so that a
// fresh capture of the same lab passes whatever segment sizes and close order it shows.
struct RecordedTransfer {
  size_t first = 0, last = 0;  // segment indexes the block covers
  Direction direction = Direction::server_to_client;
  uint64_t bytes = 0;
  bool fin_on_last = false;
};
struct RecordedBlocks {
  std::optional<RecordedTransfer> transfer;
  std::optional<size_t> teardown_from;
};

constexpr size_t transfer_min_segments = 4;  // fewer data segments stay frames

RecordedBlocks find_blocks(const CapturedConversation& c) {
  RecordedBlocks blocks;
  const std::vector<CapturedSegment>& g = c.segments;
  // The close: both sides' FINs captured, no RST; the block starts at the first FIN (after a
  // data segment that carries it), or at the pure ACKs just before it.
  bool fin[2] = {false, false}, rst = false;
  std::optional<size_t> first_fin;
  for (size_t i = 0; i < g.size(); ++i) {
    if (g[i].flags & tcp_flag::fin) {
      fin[static_cast<int>(g[i].direction)] = true;
      if (!first_fin) first_fin = i;
    }
    rst = rst || (g[i].flags & tcp_flag::rst);
  }
  size_t data_end = g.size();
  if (fin[0] && fin[1] && !rst && first_fin) {
    size_t from = *first_fin;
    if (g[from].len > 0) {
      from += 1;  // the FIN rides on data: that segment stays in the data before the block
    } else {
      while (from > 0 && g[from - 1].len == 0 && !(g[from - 1].flags & tcp_flag::syn)) --from;
    }
    blocks.teardown_from = from;
    data_end = from;
  }
  // ACKs are cumulative: each side's last one says how much of the peer's data arrived.
  std::optional<uint32_t> last_ack[2];
  for (const CapturedSegment& s : g)
    if (s.has_ack()) last_ack[static_cast<int>(s.direction)] = s.ack;
  // The longest run of data from one side, with only the peer's pure ACKs between its segments.
  for (size_t i = 0; i < data_end; ++i) {
    if (g[i].len == 0 || (g[i].flags & tcp_flag::syn)) continue;
    Direction d = g[i].direction;
    size_t last = i, segments = 0;
    bool contiguous = true;  // no Seq gap: a recording is made from a capture that lost nothing
    for (size_t j = i; j < data_end; ++j) {
      if (g[j].direction == d && g[j].len > 0) {
        if (segments > 0 && g[j].seq != g[last].seq + g[last].len &&
            !(g[j].analysis_flags &
              (analysis_flag::retransmission | analysis_flag::spurious_retransmission)))
          contiguous = false;
        last = j, ++segments;
      } else if (g[j].direction == d || g[j].len > 0) {
        break;  // the other side sent data: the run is over
      }
    }
    uint32_t end = g[last].seq + g[last].len;
    uint64_t bytes = end - g[i].seq;  // the sequence span, as the transfer block counts it
    const std::optional<uint32_t>& acked = last_ack[1 - static_cast<int>(d)];
    bool all_acked = acked && static_cast<int32_t>(*acked - end) >= 0;
    if (segments >= transfer_min_segments && contiguous && all_acked &&
        (!blocks.transfer || bytes > blocks.transfer->bytes))
      blocks.transfer = RecordedTransfer{i, last, d, bytes, (g[last].flags & tcp_flag::fin) != 0};
    i = last;
  }
  return blocks;
}

void emit_transfer(YAML::Emitter& out, const RecordedTransfer& t) {
  // The bytes within 1 KiB and 1 %: headers differ between server versions, the body not.
  uint64_t slack = 1024 + t.bytes / 100;
  out << YAML::Flow << YAML::BeginMap << YAML::Key << "transfer" << YAML::Value << YAML::Flow
      << YAML::BeginMap;
  out << YAML::Key << "id" << YAML::Value
      << (t.direction == Direction::server_to_client ? "download" : "upload");
  out << YAML::Key << "dir" << YAML::Value
      << (t.direction == Direction::client_to_server ? "client->server" : "server->client");
  out << YAML::Key << "bytes" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "min"
      << YAML::Value << (t.bytes > slack ? t.bytes - slack : 1) << YAML::Key << "max" << YAML::Value
      << t.bytes + slack << YAML::EndMap;
  if (t.fin_on_last) out << YAML::Key << "last_may_carry_fin" << YAML::Value << true;
  out << YAML::Key << "points" << YAML::Value << 4;
  out << YAML::Key << "teaches" << YAML::Value << YAML::DoubleQuoted
      << "The data travels as a stream of segments; the peer's ACKs say how much arrived.";
  out << YAML::EndMap << YAML::EndMap;
}

void emit_frame(YAML::Emitter& out, const CapturedSegment& s, bool strict, bool first_of_side,
                bool first_of_peer) {
  out << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "id" << YAML::Value << fmt::format("f{}-{}", s.frame, frame_kind(s));
  out << YAML::Key << "dir" << YAML::Value
      << (s.direction == Direction::client_to_server ? "client->server" : "server->client");
  out << YAML::Key << "phase" << YAML::Value << to_string(s.phase);
  emit_flags(out, s.flags);
  // Portable: relations where the capture satisfies them (they hold whatever the lengths of
  // other versions' headers), the relative value where it does not.
  bool seq_is_next = !first_of_side && s.side_next_before && *s.side_next_before == s.seq &&
                     s.phase != Phase::handshake;  // Seq 0 / Ack 1 read better than `next`
  out << YAML::Key << "seq" << YAML::Value;
  if (!strict && seq_is_next)
    out << "next";
  else
    out << s.seq;
  out << YAML::Key << "ack" << YAML::Value;
  if (!s.has_ack()) {
    out << "absent";
  } else {
    bool ack_is_next = !first_of_peer && s.peer_next_before && *s.peer_next_before == s.ack &&
                       s.phase != Phase::handshake;
    if (!strict && ack_is_next)
      out << "next";
    else
      out << s.ack;
  }
  // Portable: data lengths differ between curl and server versions; `next` carries the rest.
  out << YAML::Key << "len" << YAML::Value;
  if (!strict && s.len > 0)
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "min" << YAML::Value << 1 << YAML::EndMap;
  else
    out << s.len;
  if (strict) {
    out << YAML::Key << "seq_raw" << YAML::Value << s.seq_raw;
    if (s.has_ack()) out << YAML::Key << "ack_raw" << YAML::Value << s.ack_raw;
    out << YAML::Key << "window" << YAML::Value << s.window;
    out << YAML::Key << "window_scaled" << YAML::Value << s.window_scaled;
  }
  emit_options(out, s, strict);
  out << YAML::Key << "points" << YAML::Value << 1;
  out << YAML::Key << "teaches" << YAML::Value << YAML::DoubleQuoted << teaches(s, strict);
  out << YAML::EndMap;
}

// The recording read back has only the keys written, in their order, and the title as given: a
// last guard that no text from the input turned into YAML structure.
void expect_reads_back(const std::string& yaml, const std::string& title, const std::string& path) {
  static const std::vector<std::string> written = {
      "scenario", "title", "profile", "conversation", "noise", "prerequisite", "frames", "streams"};
  YAML::Node root = YAML::Load(yaml);
  bool ok = root.IsMap() && root["title"].as<std::string>("") == title;
  size_t next = 0;
  if (ok) {
    for (const auto& entry : root) {
      std::string key = entry.first.as<std::string>("");
      while (next < written.size() && written[next] != key) ++next;
      ok = ok && next++ < written.size();
    }
  }
  if (!ok)
    throw std::runtime_error(
        fmt::format("{}: cannot write the scenario: it does not read back as written", path));
}

}  // namespace

std::string record_scenario(const CaptureContents& contents, const RecordOptions& options) {
  const CapturedConversation* chosen = nullptr;
  for (const CapturedConversation& c : contents.conversations) {
    if (c.segments.empty()) continue;
    if (options.stream ? c.summary.stream == *options.stream : true) {
      chosen = &c;
      break;
    }
  }
  if (!chosen)
    throw std::runtime_error(
        options.stream
            ? fmt::format(
                  "{}: no TCP connection with stream number {} (see tcpgrade dump --summary)",
                  contents.path, *options.stream)
            : fmt::format("{}: no TCP connection to record", contents.path));
  const CapturedConversation& c = *chosen;
  bool has_syn = false;
  for (const CapturedSegment& s : c.segments) has_syn = has_syn || (s.flags & tcp_flag::syn);

  std::string name = options.name.empty() ? name_from_path(contents.path) : options.name;
  std::string file = one_line(std::filesystem::path(contents.path).filename().string());
  std::string title = fmt::format("Recorded from {} (stream {}{})", file, c.summary.stream,
                                  options.strict ? ", strict" : "");
  YAML::Emitter out;
  out.SetOutputCharset(YAML::EscapeNonAscii);  // the scenario is ASCII: nothing in it can spoof
  out << YAML::BeginMap;
  out << YAML::Key << "scenario" << YAML::Value;
  emit_text(out, name);
  out << YAML::Key << "title" << YAML::Value << YAML::DoubleQuoted << title;
  out << YAML::Key << "profile" << YAML::Value << "any";
  out << YAML::Key << "conversation" << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "server_port" << YAML::Value;
  if (options.any_port || c.summary.server.port == 0)  // port 0 cannot be a server's
    out << "any";
  else
    out << c.summary.server.port;
  out << YAML::Key << "family" << YAML::Value;
  if (options.strict)
    out << (c.summary.server.address.family == 6 ? "ipv6" : "ipv4");
  else
    out << "any";
  out << YAML::Key << "select" << YAML::Value << "first" << YAML::EndMap;
  if (!options.strict)
    out << YAML::Key << "noise" << YAML::Value << YAML::Flow << YAML::BeginSeq << "duplicate_ack"
        << "window_update"
        << "retransmission"
        << "spurious_retransmission" << YAML::EndSeq;
  if (!has_syn) out << YAML::Key << "prerequisite" << YAML::Value << "none";
  out << YAML::Key << "frames" << YAML::Value << YAML::BeginSeq;
  bool seen[2] = {false, false};
  RecordedBlocks blocks = options.strict ? RecordedBlocks{} : find_blocks(c);
  for (size_t i = 0; i < c.segments.size(); ++i) {
    const CapturedSegment& s = c.segments[i];
    if (blocks.transfer && i == blocks.transfer->first) {
      emit_transfer(out, *blocks.transfer);
      i = blocks.transfer->last;
      seen[0] = seen[1] = true;
      continue;
    }
    if (blocks.teardown_from && i == *blocks.teardown_from) {
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "teardown" << YAML::Value << YAML::Flow
          << YAML::BeginMap << YAML::Key << "id" << YAML::Value << "close" << YAML::Key << "points"
          << YAML::Value << 2 << YAML::Key << "teaches" << YAML::Value << YAML::DoubleQuoted
          << "Each side sends one FIN and acknowledges the other's, in whichever order."
          << YAML::EndMap << YAML::EndMap;
      break;  // the block takes every segment to the end
    }
    int side = static_cast<int>(s.direction);
    emit_frame(out, s, options.strict, !seen[side], !seen[1 - side]);
    seen[side] = true;
  }
  out << YAML::EndSeq;
  std::vector<std::pair<Direction, std::string>> streams;
  for (Direction d : {Direction::client_to_server, Direction::server_to_client}) {
    std::string line = first_line(reassembled_payload(c, d, 4096));
    if (!line.empty()) streams.emplace_back(d, line);
  }
  if (!streams.empty()) {
    out << YAML::Key << "streams" << YAML::Value << YAML::BeginSeq;
    for (const auto& [direction, line] : streams) {
      bool c2s = direction == Direction::client_to_server;
      out << YAML::Flow << YAML::BeginMap;
      out << YAML::Key << "id" << YAML::Value << (c2s ? "client-data" : "server-data");
      out << YAML::Key << "dir" << YAML::Value << (c2s ? "client->server" : "server->client");
      out << YAML::Key << "contains" << YAML::Value << YAML::DoubleQuoted << line;
      out << YAML::Key << "points" << YAML::Value << 1;
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  if (!out.good())
    throw std::runtime_error(
        fmt::format("{}: cannot write the scenario: {}", contents.path, out.GetLastError()));
  std::string yaml = fmt::format(
      "# Recorded by `tcpgrade record{}` from {}: edit points and teaches, then\n"
      "# `tcpgrade lint` and `tcpgrade check` it.\n{}\n",
      options.strict ? " --strict" : "", file, out.c_str());
  expect_reads_back(yaml, title, contents.path);
  return yaml;
}

}  // namespace tcpgrade
