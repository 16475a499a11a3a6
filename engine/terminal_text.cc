#include "terminal_text.h"

#include <fmt/format.h>

namespace tcpgrade {
namespace {

// Length of the UTF-8 sequence at text[i] and its code point; 0 when it is not valid UTF-8
// (overlong forms and surrogates included).
size_t utf8_sequence(std::string_view text, size_t i, char32_t& code) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  size_t length = lead < 0x80           ? 1
                  : (lead >> 5) == 0x6  ? 2
                  : (lead >> 4) == 0xe  ? 3
                  : (lead >> 3) == 0x1e ? 4
                                        : 0;
  if (length == 0 || i + length > text.size()) return 0;
  code = length == 1 ? lead : lead & (0x7f >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3f);
  }
  static constexpr char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < smallest[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return length;
}

bool is_display_control(char32_t code) {
  return (code >= 0x80 && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) ||
         (code >= 0x2066 && code <= 0x2069) || code == 0x200e || code == 0x200f || code == 0x61c;
}

void make_safe(std::string& text) {
  if (!is_terminal_safe(text)) text = terminal_safe(text);
}

void make_safe(std::vector<std::string>& texts) {
  for (std::string& text : texts) make_safe(text);
}

void make_safe(CheckResult& c) {
  for (std::string* s : {&c.id, &c.name, &c.expected_id, &c.field, &c.expected, &c.actual, &c.hint,
                         &c.root_cause, &c.teaches, &c.visibility})
    make_safe(*s);
}

}  // namespace

// Nearly every string of a report is plain text: found so in one pass, it is left as it is.
bool is_terminal_safe(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      ++i;
      continue;
    }
    char32_t code = 0;
    size_t length = c < 0x80 ? 0 : utf8_sequence(text, i, code);
    if (length == 0 || is_display_control(code)) return false;
    i += length;
  }
  return true;
}

bool is_terminal_safe(const ConversationResult& c) {
  for (const std::string* s : {&c.client, &c.server, &c.state, &c.history})
    if (!is_terminal_safe(*s)) return false;
  for (const std::string& v : c.variants)
    if (!is_terminal_safe(v)) return false;
  for (const FrameRow& row : c.rows)
    if (!is_terminal_safe(row.expected_id) || !is_terminal_safe(row.note)) return false;
  for (const CheckResult& k : c.checks)
    for (const std::string* s : {&k.id, &k.name, &k.expected_id, &k.field, &k.expected, &k.actual,
                                 &k.hint, &k.root_cause, &k.teaches, &k.visibility})
      if (!is_terminal_safe(*s)) return false;
  return true;
}

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    char32_t code = 0;
    size_t length = utf8_sequence(text, i, code);
    if (length == 0) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
      continue;
    }
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else if (is_display_control(code))
      out += fmt::format("\\u{:04x}", static_cast<uint32_t>(code));
    else
      out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    char32_t code = 0;
    size_t length = utf8_sequence(text, i, code);
    if (length == 0) {
      out += "\xef\xbf\xbd";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

ConversationResult terminal_safe(ConversationResult c) {
  for (std::string* s : {&c.client, &c.server, &c.state, &c.history}) make_safe(*s);
  make_safe(c.variants);
  for (FrameRow& row : c.rows) make_safe(row.expected_id), make_safe(row.note);
  for (CheckResult& check : c.checks) make_safe(check);
  return c;
}

Report terminal_safe(Report report) {
  for (std::string* s :
       {&report.scenario, &report.scenario_title, &report.scenario_file, &report.capture_file})
    make_safe(*s);
  make_safe(report.warnings);
  make_safe(report.notes);
  make_safe(report.other_conversations);
  for (ProcessLog& p : report.processes)
    for (std::string* s : {&p.name, &p.command, &p.status}) make_safe(*s);
  // stderr_tail keeps its newlines: the text report splits it into lines, each made printable.
  for (RootCause& cause : report.root_causes)
    for (std::string* s : {&cause.id, &cause.title, &cause.explanation}) make_safe(*s);
  for (ConversationResult& c : report.conversations) c = terminal_safe(std::move(c));
  for (CheckResult& claim : report.claims) make_safe(claim);
  return report;
}

}  // namespace tcpgrade
