#include "report/report_escaping.h"

#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

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
                  &c.root_cause, &c.teaches, &c.scenario_hint, &c.visibility})
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

bool is_terminal_safe(const ConversationResult& c) {
  return each_conversation_text(c, [](const std::string& text) { return is_terminal_safe(text); });
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

std::string html_escape(const std::string& given) {
  std::string text = valid_utf8(given), out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') ? '?' : c;
    }
  }
  return out;
}

}  // namespace tcpgrade
