#include "scenario/writeup_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>

#include "capture/decoded_frame.h"

namespace tcpgrade {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (is_space(text.front()) || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (is_space(text.back()) || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

size_t skip_spaces(std::string_view s, size_t pos) {
  while (pos < s.size() && is_space(s[pos])) ++pos;
  return pos;
}

// Up to 12 digits at `pos`: more is no number a capture holds.
std::optional<int64_t> read_number(std::string_view s, size_t& pos) {
  size_t start = pos;
  int64_t value = 0;
  while (pos < s.size() && is_digit(s[pos]) && pos - start < 12)
    value = value * 10 + (s[pos++] - '0');
  if (pos == start || (pos < s.size() && is_digit(s[pos]))) return std::nullopt;
  return value;
}

// `word` at `pos` of the lower-case line, as a whole word.
bool word_at(std::string_view s, size_t pos, std::string_view word) {
  if (s.substr(pos, word.size()) != word) return false;
  if (pos > 0 && (is_alpha(s[pos - 1]) || is_digit(s[pos - 1]) || s[pos - 1] == '_')) return false;
  size_t end = pos + word.size();
  return end >= s.size() || !(is_alpha(s[end]) || s[end] == '_');
}

// Every whole-word occurrence of `word`.
std::vector<size_t> find_words(std::string_view s, std::string_view word) {
  std::vector<size_t> found;
  for (size_t pos = s.find(word); pos != std::string_view::npos; pos = s.find(word, pos + 1))
    if (word_at(s, pos, word)) found.push_back(pos);
  return found;
}

WriteupStatement make(StatementKind kind, int64_t value = 0) {
  WriteupStatement s;
  s.kind = kind;
  s.value = value;
  return s;
}

// The number a sum written after `first` ends with: "1 + 78 = 79" is 79, "1 + 185 (data) =
// 186" is 186; a number alone is itself. `at` is just past `first`. nullopt: a sum this
// reader does not follow ("79 + x").
std::optional<int64_t> sum_result(std::string_view s, size_t& at, int64_t first) {
  std::optional<int64_t> value = first;
  for (int terms = 0; terms < 8; ++terms) {
    at = skip_spaces(s, at);
    if (at < s.size() && s[at] == '+') {
      at = skip_spaces(s, at + 1);
      if (!read_number(s, at)) return std::nullopt;
      at = skip_spaces(s, at);
      if (at < s.size() && s[at] == '(') {
        size_t close = s.find(')', at);
        if (close == std::string_view::npos || close - at > 20) return std::nullopt;
        at = close + 1;
      }
    } else if (at < s.size() && s[at] == '=') {
      at = skip_spaces(s, at + 1);
      value = read_number(s, at);
      if (!value) return std::nullopt;
    } else {
      break;
    }
  }
  return value;
}

// "Seq=1", "Seq:1", "Seq 1", "Seq = 1", "Sequence Number: 1 (relative sequence number)",
// "Sequence number (raw): 3021827589", "Seq number is 0". Not "Next Seq".
void read_keyed_numbers(std::string_view s, std::vector<WriteupStatement>& out) {
  struct Key {
    std::string_view word;
    StatementKind kind, raw;
  };
  static constexpr std::array<Key, 12> keys{{
      {"sequence number", StatementKind::seq, StatementKind::seq_raw},
      {"seq number", StatementKind::seq, StatementKind::seq_raw},
      {"sequence", StatementKind::seq, StatementKind::seq_raw},
      {"seq", StatementKind::seq, StatementKind::seq_raw},
      {"acknowledgment number", StatementKind::ack, StatementKind::ack_raw},
      {"acknowledgement number", StatementKind::ack, StatementKind::ack_raw},
      {"ack number", StatementKind::ack, StatementKind::ack_raw},
      {"ack", StatementKind::ack, StatementKind::ack_raw},
      {"len", StatementKind::len, StatementKind::len},
      {"win", StatementKind::window, StatementKind::window},
      {"mss", StatementKind::mss, StatementKind::mss},
      {"ws", StatementKind::ws, StatementKind::ws},
  }};
  for (size_t pos = 0; pos < s.size(); ++pos) {
    if (!is_alpha(s[pos])) continue;
    for (const Key& key : keys) {
      if (!word_at(s, pos, key.word)) continue;
      if (pos >= 5 && s.substr(pos - 5, 5) == "next ") break;
      size_t at = skip_spaces(s, pos + key.word.size());
      StatementKind kind = key.kind;
      if (starts_with(s.substr(at), "(relative")) {
        size_t close = s.find(')', at);
        if (close == std::string_view::npos) break;
        at = skip_spaces(s, close + 1);
      } else if (starts_with(s.substr(at), "(raw)")) {
        kind = key.raw;
        at = skip_spaces(s, at + 5);
      }
      bool separated = false;
      if (at < s.size() && (s[at] == '=' || s[at] == ':')) {
        at = skip_spaces(s, at + 1);
        separated = true;
      } else if (starts_with(s.substr(at), "is ")) {
        at = skip_spaces(s, at + 3);
      }
      // Options are written KEY=VALUE; a bare "ws 2" or "mss 3" is prose.
      bool option = kind == StatementKind::mss || kind == StatementKind::ws;
      if (option && !separated) break;
      size_t end = at;
      std::optional<int64_t> value = read_number(s, end);
      // "Seq 1.5", "Win 64k": not a number this reader is sure of.
      bool decimal = end + 1 < s.size() && (s[end] == '.' || s[end] == ',') && is_digit(s[end + 1]);
      if (value && (end >= s.size() || !(is_alpha(s[end]) || decimal))) {
        // "ack = 1 + 78 = 79": the statement is the sum's result.
        size_t after = end;
        size_t next = skip_spaces(s, end);
        bool sum = next < s.size() && s[next] == '+';
        if (std::optional<int64_t> result = sum ? sum_result(s, after, *value) : value) {
          out.push_back(make(kind, *result));
          pos = sum ? after : end;
        }
      }
      break;
    }
  }
  for (std::string_view key : {"tsval", "tsecr"}) {
    for (size_t pos : find_words(s, key)) {
      size_t at = pos + key.size();
      if (at >= s.size() || (s[at] != '=' && s[at] != ':')) continue;
      at = skip_spaces(s, at + 1);
      if (std::optional<int64_t> value = read_number(s, at))
        out.push_back(make(key == "tsval" ? StatementKind::tsval : StatementKind::tsecr, *value));
    }
  }
}

// "Next Seq = 1 + 185 (data) = 186", "next sequence number 79", "Next Seq = 79 → ...".
void read_next_seq(std::string_view s, std::vector<WriteupStatement>& out) {
  for (std::string_view key : {"next sequence number", "next sequence", "next seq"}) {
    size_t pos = s.find(key);
    if (pos == std::string_view::npos || (pos > 0 && is_alpha(s[pos - 1]))) continue;
    // "the server's next Seq 65742" is another segment's number, not this one's Next Seq.
    std::string_view before = s.substr(pos >= 8 ? pos - 8 : 0, pos >= 8 ? 8 : pos);
    if (before.find("'s ") != std::string_view::npos ||
        before.find("\xe2\x80\x99s ") != std::string_view::npos)
      return;
    size_t at = skip_spaces(s, pos + key.size());
    if (at < s.size() && (s[at] == '=' || s[at] == ':')) at = skip_spaces(s, at + 1);
    if (starts_with(s.substr(at), "is ")) at = skip_spaces(s, at + 3);
    std::optional<int64_t> value = read_number(s, at);
    if (!value) return;
    value = sum_result(s, at, *value);
    if (!value) return;
    out.push_back(make(StatementKind::next_seq, *value));
    return;
  }
}

// A port: digits not part of an address (127.0.0.1, ::1, 10.0.0.1:80).
std::optional<int64_t> port_before(std::string_view s, size_t end) {
  while (end > 0 && is_space(s[end - 1])) --end;
  size_t start = end;
  while (start > 0 && is_digit(s[start - 1])) --start;
  if (start == end || end - start > 5) return std::nullopt;
  if (start > 0 && (s[start - 1] == '.' || s[start - 1] == ':' || is_alpha(s[start - 1])))
    return std::nullopt;
  size_t at = start;
  std::optional<int64_t> value = read_number(s, at);
  if (!value || *value > 65535) return std::nullopt;
  return value;
}

std::optional<int64_t> port_after(std::string_view s, size_t at) {
  at = skip_spaces(s, at);
  if (starts_with(s.substr(at), "port ")) at = skip_spaces(s, at + 5);
  std::optional<int64_t> value = read_number(s, at);
  if (!value || *value > 65535) return std::nullopt;
  // "8002." ends a sentence; "127.0.0.1" and "10.0.0.1:80" are addresses.
  bool address = at + 1 < s.size() && (s[at] == '.' || s[at] == ':') && is_digit(s[at + 1]);
  if (address || (at < s.size() && is_alpha(s[at]))) return std::nullopt;
  return value;
}

// "53802 → 8002", "port 53802 → port 8002", "53802 > 8002" (tcpdump), "53802 -> 8002".
void read_ports(std::string_view s, std::vector<WriteupStatement>& out) {
  for (std::string_view arrow : {"\xe2\x86\x92", "->", " > "}) {
    for (size_t pos = s.find(arrow); pos != std::string_view::npos;
         pos = s.find(arrow, pos + arrow.size())) {
      std::optional<int64_t> from = port_before(s, pos);
      if (!from) continue;
      std::optional<int64_t> to = port_after(s, pos + arrow.size());
      if (!to) continue;
      WriteupStatement st = make(StatementKind::ports, *from);
      st.value2 = *to;
      out.push_back(st);
      return;
    }
  }
}

std::optional<uint16_t> flag_bit(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, uint16_t>, 8> names{{
      {"syn", tcp_flag::syn},
      {"ack", tcp_flag::ack},
      {"fin", tcp_flag::fin},
      {"rst", tcp_flag::rst},
      {"psh", tcp_flag::psh},
      {"urg", tcp_flag::urg},
      {"ece", tcp_flag::ece},
      {"cwr", tcp_flag::cwr},
  }};
  for (const auto& entry : names)
    if (entry.first == name) return entry.second;
  return std::nullopt;
}

// Wireshark's TCP summary line: "Src Port: 34898, Dst Port: 8002".
void read_port_fields(std::string_view s, std::vector<WriteupStatement>& out) {
  for (std::string_view key : {"src port", "source port"}) {
    size_t pos = s.find(key);
    if (pos == std::string_view::npos) continue;
    size_t at = skip_spaces(s, pos + key.size());
    if (at >= s.size() || s[at] != ':') return;
    at = skip_spaces(s, at + 1);
    std::optional<int64_t> from = read_number(s, at);
    size_t to_key = s.find("dst port", at);
    if (to_key == std::string_view::npos) to_key = s.find("destination port", at);
    if (!from || *from > 65535 || to_key == std::string_view::npos || to_key - at > 4) return;
    at = s.find(':', to_key);
    if (at == std::string_view::npos || at - to_key > 16) return;
    at = skip_spaces(s, at + 1);
    std::optional<int64_t> to = read_number(s, at);
    if (!to || *to > 65535) return;
    WriteupStatement st = make(StatementKind::ports, *from);
    st.value2 = *to;
    out.push_back(st);
    return;
  }
}

// Whether the flags named at `pos` are another segment's, the one this frame answers: "acknowledges
// the SYN-ACK", "ACK of the server's FIN", "in reply to the FIN". Case-insensitive; the clause
// before `pos` only.
bool names_the_peers(std::string_view s, size_t pos) {
  size_t from = pos > 48 ? pos - 48 : 0;
  std::string before = lower(s.substr(from, pos - from));
  size_t clause = before.find_last_of(".;:");
  if (clause != std::string::npos) before = before.substr(clause + 1);
  // "responds to the client's SYN with a SYN/ACK": what follows "with" is its own.
  size_t with = before.rfind(" with ");
  if (with != std::string::npos) before = before.substr(with + 6);
  for (std::string_view cue :
       {"acknowledg", "ack of", "ack for", "acks", "reply to", "replies to", "response to",
        "answer to", "answers", "'s ", "\xe2\x80\x99s ", "receiv", "after", "for the", "to the"})
    if (before.find(cue) != std::string::npos) return true;
  return false;
}

// The flags a list of names sets ("SYN, ACK", "SYN ACK"); nullopt when one name is not a TCP
// flag ("TCP Retransmission" is no flag set).
std::optional<uint16_t> flag_list(std::string_view names) {
  uint16_t flags = 0;
  for (size_t start = 0; start <= names.size();) {
    size_t end = names.find_first_of(", ", start);
    if (end == std::string_view::npos) end = names.size();
    std::string_view name = names.substr(start, end - start);
    if (!name.empty()) {
      std::optional<uint16_t> bit = flag_bit(name);
      if (!bit) return std::nullopt;
      flags |= *bit;
    }
    start = end + 1;
  }
  return flags;
}

// "[SYN, ACK]" (every name a TCP flag: "[TCP Retransmission]" is no flag set); "SYN+ACK".
void read_flags(std::string_view s, std::vector<WriteupStatement>& out) {
  // The exact flag set a bracketed list names; false when it names none or a non-flag.
  auto exact = [&](std::string_view names) {
    std::optional<uint16_t> flags = flag_list(names);
    if (!flags || !*flags) return false;
    WriteupStatement st = make(StatementKind::flags_exact);
    st.flags = *flags;
    out.push_back(st);
    return true;
  };
  for (size_t open = s.find('['); open != std::string_view::npos; open = s.find('[', open + 1)) {
    size_t close = s.find(']', open);
    if (close == std::string_view::npos || close - open > 40) continue;
    if (exact(s.substr(open + 1, close - open - 1))) return;
  }
  // Wireshark's details pane: "Flags: 0x012 (SYN, ACK)".
  if (size_t key = s.find("flags: 0x"); key != std::string_view::npos) {
    size_t open = s.find('(', key);
    size_t close = s.find(')', key);
    if (open != std::string_view::npos && close != std::string_view::npos && open < close &&
        close - open < 40 && exact(s.substr(open + 1, close - open - 1)))
      return;
  }
  for (std::string_view pair : {"syn+ack", "syn-ack", "syn/ack", "syn + ack"}) {
    size_t pos = s.find(pair);
    if (pos != std::string_view::npos && !names_the_peers(s, pos)) {
      WriteupStatement st = make(StatementKind::flags_include);
      st.flags = tcp_flag::syn | tcp_flag::ack;
      out.push_back(st);
      return;
    }
  }
  for (std::string_view name : {"syn", "fin", "rst"}) {
    for (size_t pos : find_words(s, name)) {
      std::string_view after = s.substr(pos + name.size());
      if ((starts_with(after, " set") || starts_with(after, " flag set") ||
           starts_with(after, " flag is set")) &&
          !names_the_peers(s, pos)) {
        WriteupStatement st = make(StatementKind::flags_include);
        st.flags = *flag_bit(name);
        out.push_back(st);
        return;
      }
    }
  }
}

// "66 bytes on wire", "Frame 4: 144 bytes", a quoted line that is only "251 bytes", and the
// tshark one-liner's length ("TCP 74 53802 → 8002").
void read_wire_bytes(std::string_view s, bool quoted, std::vector<WriteupStatement>& out) {
  for (size_t pos : find_words(s, "bytes")) {
    std::string_view after = s.substr(pos + 5);
    size_t end = pos;
    while (end > 0 && is_space(s[end - 1])) --end;
    size_t start = end;
    while (start > 0 && is_digit(s[start - 1])) --start;
    if (start == end || (start > 0 && (is_alpha(s[start - 1]) || s[start - 1] == '.'))) continue;
    size_t at = start;
    std::optional<int64_t> value = read_number(s, at);
    if (!value) continue;
    std::string_view before = trim(s.substr(0, start));
    bool frame_line = starts_with(before, "frame ") && !before.empty() && before.back() == ':';
    bool whole_line = quoted && before.empty() && trim(after).empty();
    if (starts_with(after, " on wire") || frame_line || whole_line) {
      out.push_back(make(StatementKind::wire_bytes, *value));
      return;
    }
  }
  for (size_t pos : find_words(s, "tcp")) {
    size_t at = skip_spaces(s, pos + 3);
    size_t number_start = at;
    std::optional<int64_t> value = read_number(s, at);
    if (!value || at == number_start) continue;
    size_t after = skip_spaces(s, at);
    if (after == at) continue;
    std::vector<WriteupStatement> ports;
    read_ports(s.substr(after), ports);
    if (!ports.empty() && s.substr(after).find_first_of("0123456789") == 0) {
      out.push_back(make(StatementKind::wire_bytes, *value));
      return;
    }
  }
}

bool preceded_by_negation(std::string_view s, size_t pos) {
  std::string_view before = s.substr(pos >= 24 ? pos - 24 : 0, pos >= 24 ? 24 : pos);
  for (std::string_view word :
       {"not ", "no ", "after ", "outside", "beyond", "no longer", "ended", "before ", "once ",
        "since the", "now that", "when the", "following "})
    if (before.find(word) != std::string_view::npos) return true;
  return false;
}

bool any_word(std::string_view s, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words)
    for (size_t pos = s.find(w); pos != std::string_view::npos; pos = s.find(w, pos + 1))
      if (!preceded_by_negation(s, pos)) return true;
  return false;
}

// The phase a line names: one phase only ("handshake of data continuing" names the handshake:
// "data" alone is no phase word). A "Phase:" bullet names it at its start.
void read_phase(std::string_view s, std::vector<WriteupStatement>& out) {
  std::string_view text = s;
  bool labelled = starts_with(s, "phase:") || starts_with(s, "phase -") || starts_with(s, "phase ");
  if (labelled) {
    text = s.substr(6);
    size_t end = text.find_first_of("(;:,");
    if (end != std::string_view::npos) text = text.substr(0, end);
  }
  std::vector<Phase> found;
  if (any_word(text, {"handshake"})) found.push_back(Phase::handshake);
  if (any_word(text, {"data transfer", "data-transfer", "data transmission", "data phase",
                      "data exchange", "transfer phase"}))
    found.push_back(Phase::data);
  if (any_word(text,
               {"teardown", "tear down", "tear-down", "termination", "terminate",
                "connection close", "close the connection", "closes the connection", "closing",
                "closes", "session ends", "connection ends", "initiates the close"}))
    found.push_back(Phase::teardown);
  if (labelled && any_word(text, {"reset", "abort"})) found.push_back(Phase::reset);
  if (found.size() != 1) return;
  WriteupStatement st = make(StatementKind::phase);
  st.phase = found.front();
  out.push_back(st);
}

// "client → server", "(server → client)", "from the client", "Server acknowledges ...".
void read_direction(std::string_view s, std::vector<WriteupStatement>& out) {
  std::vector<Direction> found;
  auto add = [&](Direction d) {
    if (std::find(found.begin(), found.end(), d) == found.end()) found.push_back(d);
  };
  for (std::string_view arrow :
       {" \xe2\x86\x92 ", " -> ", " => ", " to ", "\xe2\x86\x92", "->", "=>"}) {
    for (std::string_view from : {"client", "server"}) {
      std::string_view to = from == "client" ? "server" : "client";
      std::string pattern = fmt::format("{}{}{}", from, arrow, to);
      size_t pos = s.find(pattern);
      if (pos != std::string_view::npos && (pos == 0 || !is_alpha(s[pos - 1])))
        add(from == "client" ? Direction::client_to_server : Direction::server_to_client);
    }
  }
  // "from the server" says who sent this segment, unless it is what the sender expects or has
  // received from its peer ("the next byte the client expects from the server").
  auto sent_from = [&](std::string_view phrase) {
    size_t pos = s.find(phrase);
    if (pos == std::string_view::npos) return false;
    std::string_view before = s.substr(pos >= 40 ? pos - 40 : 0, pos >= 40 ? 40 : pos);
    for (std::string_view peer : {"expect", "receiv", "acknowledg", "sent"})
      if (before.find(peer) != std::string_view::npos) return false;
    return true;
  };
  for (std::string_view from : {"from the client", "from client", "by the client"})
    if (sent_from(from)) add(Direction::client_to_server);
  for (std::string_view from : {"from the server", "from server", "by the server"})
    if (sent_from(from)) add(Direction::server_to_client);
  std::string_view subject = s;
  if (starts_with(subject, "the ")) subject.remove_prefix(4);
  for (std::string_view who : {"client ", "server "}) {
    if (!starts_with(subject, who)) continue;
    std::string_view rest = subject.substr(who.size());
    bool acts = !rest.empty() && is_alpha(rest.front());
    for (std::string_view not_verb : {"will", "would", "should", "must", "may", "can", "and", "to",
                                      "port", "side", "is", "was", "has", "had"})
      if (word_at(rest, 0, not_verb)) acts = false;
    if (acts) add(who == "client " ? Direction::client_to_server : Direction::server_to_client);
  }
  // "Connection termination begins: the server has nothing more to send and sends a FIN": a
  // clause that names one side only (the other's possessive aside), which then sends.
  for (size_t start = 0; start < s.size();) {
    size_t end = s.find_first_of(".;:", start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view clause = s.substr(start, end - start);
    start = end + 1;
    auto names = [&](std::string_view who) {
      for (size_t pos : find_words(clause, who))
        if (clause.substr(pos + who.size(), 2) != "'s" &&
            clause.substr(pos + who.size(), 4) != "\xe2\x80\x99s")
          return pos;
      return std::string_view::npos;
    };
    size_t client = names("client"), server = names("server");
    if ((client == std::string_view::npos) == (server == std::string_view::npos)) continue;
    size_t who = std::min(client, server);
    std::string_view after = clause.substr(who);
    // The side is the subject up to the verb: no comma or relative clause between them.
    size_t aside = after.find_first_of(",(");
    if (aside != std::string_view::npos) after = after.substr(0, aside);
    // Verbs whose subject sends this segment ("the server begins the teardown with FIN, ACK").
    for (std::string_view verb :
         {" sends ", " replies", " responds", " answers", " initiates", " begins ", " starts ",
          " opens ", " closes ", " acks ", " acknowledges ", " confirms ", " requests "})
      if (after.find(verb) != std::string_view::npos) {
        add(who == client ? Direction::client_to_server : Direction::server_to_client);
        break;
      }
  }
  if (found.size() != 1) return;
  WriteupStatement st = make(StatementKind::direction);
  st.direction = found.front();
  out.push_back(st);
}

// What the payload holds, after a verb that says so: "carries the status line", "Payload: the
// HTTP request line ...", "Server sends requested index.html data".
void read_payload_kind(std::string_view s, std::vector<WriteupStatement>& out) {
  for (std::string_view verb : {"payload:", "payload is", "payload holds", "carries", "carry",
                                "contains", "holds", "sends", "delivers"}) {
    size_t pos = s.find(verb);
    if (pos == std::string_view::npos || (pos > 0 && is_alpha(s[pos - 1]))) continue;
    std::string_view clause = s.substr(pos + verb.size());
    size_t end = clause.find_first_of(";(");
    size_t period = clause.find(". ");
    if (period != std::string_view::npos && period < end) end = period;
    if (end != std::string_view::npos) clause = clause.substr(0, end);
    // "sends an ACK for the GET request": what follows "for" is what is acknowledged, not sent.
    for (std::string_view cut : {" for ", " to ", " after ", " ack", " acknowledg", " in reply"}) {
      size_t at = clause.find(cut);
      if (at != std::string_view::npos) clause = clause.substr(0, at);
    }
    std::vector<PayloadKind> kinds;
    auto has = [&](std::initializer_list<std::string_view> words) {
      for (std::string_view w : words)
        for (size_t p = clause.find(w); p != std::string_view::npos; p = clause.find(w, p + 1)) {
          std::string_view before = clause.substr(0, p);
          if (before.find("no ") == std::string_view::npos &&
              before.find("not ") == std::string_view::npos)
            return true;
        }
      return false;
    };
    if (has({"request line", "get request", "http request", "the request"}))
      kinds.push_back(PayloadKind::request_line);
    if (has({"status line", "200 ok", "status code", "response line"}))
      kinds.push_back(PayloadKind::status_line);
    if (has({"header"})) kinds.push_back(PayloadKind::headers);
    if (has({"body", "page", "html"})) kinds.push_back(PayloadKind::body);
    for (PayloadKind kind : kinds) {
      WriteupStatement st = make(StatementKind::payload_kind);
      st.payload = kind;
      out.push_back(st);
    }
    return;
  }
}

// "ACK of frame 4", "acknowledges packet 6", "ACK of the client's FIN in frame 11".
void read_acknowledges(std::string_view s, std::vector<WriteupStatement>& out) {
  for (std::string_view verb : {"ack of", "acknowledges", "acknowledging", "acks", "ack for",
                                "acknowledgment of", "acknowledgement of"}) {
    size_t pos = s.find(verb);
    if (pos == std::string_view::npos || (pos > 0 && is_alpha(s[pos - 1]))) continue;
    std::string_view rest = s.substr(pos + verb.size(), 50);
    size_t stop = rest.find_first_of(";(:");
    if (stop != std::string_view::npos) rest = rest.substr(0, stop);
    for (std::string_view noun : {"frame ", "packet ", "frame #", "packet #"}) {
      size_t at = rest.find(noun);
      if (at == std::string_view::npos) continue;
      at += noun.size();
      if (std::optional<int64_t> value = read_number(rest, at)) {
        out.push_back(make(StatementKind::acknowledges, *value));
        return;
      }
    }
  }
}

// Flag names written bare, in capitals: "SYN, ACK sent by the server", "FIN/ACK", or a title
// that is only a flag ("### Packet 1 – SYN"). Two names or more, or the whole text: one
// capitalised word inside a sentence ("the client sends ACK") is too loose to read.
void read_bare_flags(std::string_view s, std::vector<WriteupStatement>& out) {
  auto bare_flag = [](std::string_view word) -> std::optional<uint16_t> {
    for (std::string_view name : {"SYN", "ACK", "FIN", "RST", "PSH", "URG"})
      if (word == name) return flag_bit(lower(name));
    return std::nullopt;
  };
  uint16_t run = 0;
  int names = 0;
  size_t pos = 0, run_start = 0;
  while (pos < s.size()) {
    if (!is_alpha(s[pos])) {
      ++pos;
      continue;
    }
    size_t end = pos;
    while (end < s.size() && (is_alpha(s[end]) || is_digit(s[end]))) ++end;
    std::optional<uint16_t> bit = bare_flag(s.substr(pos, end - pos));
    if (bit) {
      if (names == 0) run_start = pos;
      run |= *bit;
      ++names;
    }
    std::string_view gap = s.substr(end, 3);
    bool joined =
        bit && (starts_with(gap, ", ") || starts_with(gap, "/") || starts_with(gap, "+") ||
                starts_with(gap, " + ") || starts_with(gap, ","));
    if (!joined) {
      bool whole = names == 1 && trim(s).size() == end - pos && bit;
      if ((names >= 2 || whole) && !names_the_peers(s, run_start)) {
        WriteupStatement st = make(StatementKind::flags_include);
        st.flags = run;
        out.push_back(st);
        return;
      }
      run = 0;
      names = 0;
    }
    pos = end;
  }
}

bool is_header_line(std::string_view line) {
  size_t colon = line.find(": ");
  if (colon == std::string_view::npos || colon > 40) return false;
  std::string name = lower(line.substr(0, colon));
  for (std::string_view known :
       {"host", "user-agent", "accept", "server", "date", "content-type", "content-length",
        "last-modified", "connection", "location", "accept-encoding", "cache-control"})
    if (name == known) return true;
  return false;
}

// An HTTP line quoted from the payload: request line, status line, a header, HTML.
std::optional<std::string> payload_line(std::string_view line) {
  if (starts_with(line, "HTTP ") && line.size() > 5 && is_alpha(line[5]) && line[5] != 'H')
    line.remove_prefix(5);  // Wireshark's Info column: "HTTP GET / HTTP/1.1"
  // The details pane ends payload lines with an escaped "\r\n".
  while (line.size() >= 4 && line.substr(line.size() - 4) == "\\r\\n")
    line = trim(line.substr(0, line.size() - 4));
  // Wireshark's Info column names the message a frame ends ("HTTP/1.0 200 OK (text/html)",
  // reassembled from earlier frames), or the first of several ("... [TCP segment of a
  // reassembled PDU]"): the first is no quote of this frame's bytes, the second is.
  if (size_t mark = line.find("[TCP segment of a reassembled PDU]"); mark != std::string_view::npos)
    line = trim(line.substr(0, mark));
  else if (line.size() > 2 && line.back() == ')' && line.find("  (") != std::string_view::npos)
    return std::nullopt;
  for (std::string_view method : {"GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS "})
    if (starts_with(line, method) && line.find(" HTTP/") != std::string_view::npos)
      return std::string(line);
  if (starts_with(line, "HTTP/1.") || starts_with(line, "HTTP/2")) return std::string(line);
  if (is_header_line(line)) return std::string(line);
  if (line.size() > 2 && line.front() == '<' && line.back() == '>') return std::string(line);
  return std::nullopt;
}

// "1   0.000000 127.0.0.1 -> ...": the frame number the line starts with.
std::optional<uint64_t> one_liner_frame(std::string_view line) {
  size_t at = 0;
  std::optional<int64_t> frame = read_number(line, at);
  if (!frame || *frame <= 0 || at >= line.size() || !is_space(line[at])) return std::nullopt;
  at = skip_spaces(line, at);
  size_t digits = at;
  while (at < line.size() && is_digit(line[at])) ++at;
  if (at == digits || at >= line.size() || line[at] != '.') return std::nullopt;
  return static_cast<uint64_t>(*frame);
}

// "### Packet 7 – title", "Packet 7:", "Frame 7", "**Packet 7**", "- Frame #7 ...": the number
// and the rest of the line.
std::optional<std::pair<uint64_t, std::string_view>> section_start(std::string_view line) {
  std::string_view t = trim(line);
  while (!t.empty() && t.front() == '#') t.remove_prefix(1);
  t = trim(t);
  bool bullet = false;
  for (std::string_view marker : {"* ", "- ", "+ "})
    if (starts_with(t, marker)) {
      t = trim(t.substr(2));
      bullet = true;
    }
  while (starts_with(t, "**") || starts_with(t, "__")) t = t.substr(2);
  std::string low = lower(t.substr(0, 12));
  size_t at = 0;
  for (std::string_view word : {"packet", "frame", "pkt", "no."}) {
    if (starts_with(low, word)) {
      at = word.size();
      break;
    }
  }
  if (at == 0) return std::nullopt;
  at = skip_spaces(t, at);
  if (at < t.size() && t[at] == '#') ++at;
  std::optional<int64_t> number = read_number(t, at);
  // "Packet 0": a count from zero, an offset the review finds, not a line to drop.
  if (!number || *number < 0) return std::nullopt;
  if (at < t.size()) {
    char c = t[at];
    bool ends = c == ':' || c == ' ' || c == ')' || c == '.' || c == '*' || c == '-' || c == '_' ||
                static_cast<unsigned char>(c) >= 0x80;
    if (!ends) return std::nullopt;
    // A bullet that names a frame in a sentence ("- Frame 8 was the page") is a statement of
    // the section it is in; a bullet that labels one ("- Frame 8: ...") opens a section.
    size_t next = skip_spaces(t, at);
    if (bullet && c == ' ' && next < t.size() && is_alpha(t[next])) return std::nullopt;
  }
  std::string_view rest = t.substr(at);
  while (!rest.empty() && (rest.front() == '*' || rest.front() == '_' || rest.front() == ':' ||
                           rest.front() == '.' || rest.front() == ')' || rest.front() == '-' ||
                           is_space(rest.front())))
    rest.remove_prefix(1);
  if (starts_with(rest, "\xe2\x80\x93") || starts_with(rest, "\xe2\x80\x94"))
    rest = trim(rest.substr(3));  // an en or em dash
  return std::make_pair(static_cast<uint64_t>(*number), rest);
}

// "3. text" or "3) text": a numbered list item (used when the write-up has no other sections).
std::optional<std::pair<uint64_t, std::string_view>> numbered_item(std::string_view line) {
  std::string_view t = trim(line);
  size_t at = 0;
  std::optional<int64_t> number = read_number(t, at);
  if (!number || *number <= 0 || at + 1 >= t.size() || (t[at] != '.' && t[at] != ')') ||
      !is_space(t[at + 1]))
    return std::nullopt;
  return std::make_pair(static_cast<uint64_t>(*number), trim(t.substr(at + 2)));
}

std::vector<std::string_view> table_cells(std::string_view line) {
  std::vector<std::string_view> cells;
  std::string_view t = trim(line);
  if (t.empty() || t.front() != '|') return cells;
  t.remove_prefix(1);
  while (!t.empty()) {
    size_t bar = t.find('|');
    cells.push_back(trim(t.substr(0, bar)));
    if (bar == std::string_view::npos) break;
    t.remove_prefix(bar + 1);
  }
  return cells;
}

bool is_table_rule(std::string_view line) {
  std::string_view t = trim(line);
  return !t.empty() && t.front() == '|' && t.find("---") != std::string_view::npos &&
         t.find_first_not_of("|-: ") == std::string_view::npos;
}

bool ends_sections(std::string_view line) {
  std::string low = lower(trim(line));
  while (!low.empty() && (low.back() == ':' || low.back() == '*')) low.pop_back();
  while (!low.empty() && low.front() == '*') low.erase(0, 1);
  for (std::string_view word :
       {"summary", "conclusion", "conclusions", "notes", "references", "questions", "observations"})
    if (low == word) return true;
  return false;
}

size_t letters(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), is_alpha));
}

}  // namespace

const char* to_string(PayloadKind kind) {
  switch (kind) {
    case PayloadKind::request_line:
      return "the HTTP request line";
    case PayloadKind::status_line:
      return "the HTTP status line";
    case PayloadKind::headers:
      return "HTTP headers";
    case PayloadKind::body:
      return "the response body (the page)";
  }
  return "?";
}

std::vector<WriteupStatement> read_statements(std::string_view line, bool quoted) {
  std::vector<WriteupStatement> out;
  std::string_view t = trim(line);
  for (std::string_view marker : {"* ", "- ", "+ ", "> "})
    if (starts_with(t, marker)) t = trim(t.substr(2));
  // A Markdown code block may be indented instead of fenced (the details pane pasted).
  bool indented = starts_with(line, "    ") || starts_with(line, "\t");
  if (quoted || indented) {
    if (std::optional<std::string> payload = payload_line(t)) {
      WriteupStatement st = make(StatementKind::carries);
      st.text = *payload;
      out.push_back(st);
      return out;
    }
  }
  std::optional<uint64_t> frame = one_liner_frame(t);
  if (frame) quoted = true;
  std::string low = lower(t);
  read_keyed_numbers(low, out);
  read_next_seq(low, out);
  read_ports(low, out);
  read_port_fields(low, out);
  read_flags(low, out);
  if (std::none_of(out.begin(), out.end(), [](const WriteupStatement& st) {
        return st.kind == StatementKind::flags_exact || st.kind == StatementKind::flags_include;
      }))
    read_bare_flags(t, out);
  read_wire_bytes(low, quoted, out);
  if (!quoted) {
    // Words inside `code spans` are quoted bytes (a page saying "HANDSHAKE"), not the student's.
    bool in_span = false;
    for (char& c : low) {
      if (c == '`')
        in_span = !in_span;
      else if (in_span)
        c = ' ';
    }
    // HTML quoted in a sentence ("the body: <h1>TCP HANDSHAKE Learning</h1>") is the page's
    // words, not the student's.
    size_t tag = low.find('<');
    size_t closing = low.rfind("</");
    if (tag != std::string::npos && closing != std::string::npos && closing > tag) {
      size_t end = low.find('>', closing);
      if (end != std::string::npos)
        std::fill(low.begin() + static_cast<long>(tag), low.begin() + static_cast<long>(end) + 1,
                  ' ');
    }
    read_phase(low, out);
    read_direction(low, out);
    read_payload_kind(low, out);
    read_acknowledges(low, out);
  }
  // One statement per kind and value on a line ("Seq 1 ... Seq 1").
  std::vector<WriteupStatement> unique;
  for (WriteupStatement& st : out) {
    bool seen = std::any_of(unique.begin(), unique.end(), [&](const WriteupStatement& u) {
      return u.kind == st.kind && u.value == st.value && u.value2 == st.value2 &&
             u.flags == st.flags && u.phase == st.phase && u.direction == st.direction &&
             u.payload == st.payload && u.text == st.text;
    });
    if (seen) continue;
    st.quoted = quoted;
    if (frame) st.packet = *frame;
    unique.push_back(std::move(st));
  }
  return unique;
}

WriteupReading read_writeup(std::string_view text, const WriteupLimits& limits) {
  if (text.size() > limits.max_bytes)
    throw WriteupError(fmt::format("the write-up is {} bytes, more than {} (limit)", text.size(),
                                   limits.max_bytes));
  if (trim(text).find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw WriteupError("the write-up is empty");
  size_t controls = 0;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u == 0)
      throw WriteupError(
          "not a text file (it holds NUL bytes): a write-up is Markdown "
          "or plain text");
    if (u < 0x20 && c != '\n' && c != '\r' && c != '\t') ++controls;
  }
  if (controls * 20 > text.size())
    throw WriteupError("not a text file (control bytes): a write-up is Markdown or plain text");

  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, std::min(end - start, limits.max_line_bytes)));
    start = end + 1;
  }
  bool explicit_sections = false;
  {
    bool in_code = false;
    for (std::string_view line : lines) {
      std::string_view t = trim(line);
      if (starts_with(t, "```") || starts_with(t, "~~~")) in_code = !in_code;
      if (!in_code && (section_start(line) || one_liner_frame(t))) explicit_sections = true;
      if (!in_code && !table_cells(line).empty()) explicit_sections = true;
    }
  }

  WriteupReading reading;
  uint64_t current = 0;
  bool in_section = false;  // packet 0 is a section too (a count from zero)
  bool in_code = false;
  std::vector<std::string> table_header;
  size_t frame_column = SIZE_MAX;
  auto open_section = [&](uint64_t packet) {
    current = packet;
    in_section = true;
    if (reading.packets.empty() || reading.packets.back() != packet) {
      if (reading.packets.size() >= limits.max_sections)
        throw WriteupError(fmt::format("the write-up has more than {} packet sections (limit)",
                                       limits.max_sections));
      reading.packets.push_back(packet);
    }
  };
  auto add_line = [&](std::string_view line, bool quoted, size_t number) {
    if (!in_section) return;
    std::vector<WriteupStatement> found = read_statements(line, quoted);
    std::string source(trim(line));
    if (found.empty()) {
      if (!quoted && letters(line) >= 3) reading.unchecked.push_back({current, source, number});
      return;
    }
    ++reading.lines_with_statements;
    for (WriteupStatement& st : found) {
      if (!st.packet) st.packet = current;
      st.source = source;
      st.line = number;
      reading.statements.push_back(std::move(st));
    }
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    std::string_view t = trim(line);
    size_t number = i + 1;
    if (starts_with(t, "```") || starts_with(t, "~~~")) {
      in_code = !in_code;
      continue;
    }
    if (in_code) {
      if (std::optional<uint64_t> frame = one_liner_frame(t)) open_section(*frame);
      add_line(line, true, number);
      continue;
    }
    std::vector<std::string_view> cells = table_cells(line);
    if (!cells.empty()) {
      if (is_table_rule(line)) continue;
      // A row of the table: its frame cell holds a number (a row may leave out trailing cells).
      size_t at = 0;
      bool row = frame_column != SIZE_MAX && cells.size() <= table_header.size() &&
                 cells.size() > frame_column && read_number(trim(cells[frame_column]), at);
      // A row without a frame number ("| — | handshake ends |") is skipped, not a new header.
      if (!row && frame_column != SIZE_MAX && cells.size() == table_header.size()) continue;
      if (!row) {
        table_header.clear();
        frame_column = SIZE_MAX;
        for (size_t c = 0; c < cells.size(); ++c) {
          std::string name = lower(cells[c]);
          table_header.push_back(name);
          if (name == "frame" || name == "no." || name == "no" || name == "#" || name == "packet" ||
              name == "frame #" || name == "pkt" || name == "frame no.")
            frame_column = c;
        }
        if (frame_column == SIZE_MAX) table_header.clear();
        continue;
      }
      at = 0;
      std::optional<int64_t> frame = read_number(trim(cells[frame_column]), at);
      if (!frame || *frame <= 0) continue;
      open_section(static_cast<uint64_t>(*frame));
      for (size_t c = 0; c < cells.size(); ++c) {
        if (c == frame_column || cells[c].empty()) continue;
        // Wireshark's Length column is the frame's size; Len (a column of its own) the payload's.
        if (table_header[c] == "length")
          add_line(fmt::format("{} bytes on wire", cells[c]), false, number);
        else if (table_header[c] == "flags" && cells[c].find('[') == std::string_view::npos)
          add_line(fmt::format("[{}]", cells[c]), false, number);  // the column lists them all
        else
          add_line(fmt::format("{}: {}", table_header[c], cells[c]), false, number);
      }
      in_section = false;
      continue;
    }
    frame_column = SIZE_MAX;
    if (std::optional<uint64_t> frame = one_liner_frame(t)) {
      open_section(*frame);
      add_line(line, true, number);
      continue;
    }
    std::optional<std::pair<uint64_t, std::string_view>> start = section_start(line);
    if (!start && !explicit_sections) start = numbered_item(line);
    if (start) {
      open_section(start->first);
      if (!trim(start->second).empty()) add_line(start->second, false, number);
      continue;
    }
    if (starts_with(t, "#") || ends_sections(t)) {
      in_section = false;
      continue;
    }
    if (t.empty() || starts_with(t, "---") || starts_with(t, "![") || starts_with(t, "***"))
      continue;
    add_line(line, false, number);
  }
  if (reading.packets.empty())
    throw WriteupError(
        "no packet sections found (\"### Packet N\", \"Packet N:\", \"Frame N\", a numbered "
        "list or a table with a frame column)");
  return reading;
}

}  // namespace tcpgrade
