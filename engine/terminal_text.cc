#include "terminal_text.h"

#include <fmt/format.h>

#include "utf8.h"

namespace tcpgrade {
namespace {

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

// Every string of a check, and of a conversation, handed to `visit` (which returns false to
// stop): one list of the fields for the walk that escapes them and the one that looks whether
// any needs it.
template <typename Check, typename Visit>
bool each_text(Check& c, Visit&& visit) {
  for (auto* s : {&c.id, &c.name, &c.expected_id, &c.field, &c.expected, &c.actual, &c.hint,
                  &c.root_cause, &c.teaches, &c.visibility})
    if (!visit(*s)) return false;
  return true;
}

template <typename Conversation, typename Visit>
bool each_conversation_text(Conversation& c, Visit&& visit) {
  for (auto* s : {&c.client, &c.server, &c.state, &c.history})
    if (!visit(*s)) return false;
  for (auto& variant : c.variants)
    if (!visit(variant)) return false;
  for (auto& row : c.rows)
    if (!visit(row.expected_id) || !visit(row.note)) return false;
  for (auto& check : c.checks)
    if (!each_text(check, visit)) return false;
  return true;
}

bool made_safe(std::string& text) {
  make_safe(text);
  return true;
}

void make_safe(CheckResult& c) { each_text(c, made_safe); }

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
    size_t length = c < 0x80 ? 0 : utf8_decode(text, i, code);
    if (length == 0 || is_display_control(code)) return false;
    i += length;
  }
  return true;
}

bool is_terminal_safe(const ConversationResult& c) {
  return each_conversation_text(c, [](const std::string& text) { return is_terminal_safe(text); });
}

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    char32_t code = 0;
    size_t length = utf8_decode(text, i, code);
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
    size_t length = utf8_decode(text, i, code);
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
  each_conversation_text(c, made_safe);
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
