#include "report/walkthrough_render.h"

#include <fmt/format.h>

#include <stdexcept>

#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

bool markdown_special(char ch) {
  return ch == '<' || ch == '>' || ch == '*' || ch == '_' || ch == '[' || ch == ']' || ch == '#' ||
         ch == '|' || ch == '\\';
}

// Markdown outside code spans: terminal-safe, and no character that starts markup.
std::string md(const std::string& text) {
  std::string out;
  for (char ch : terminal_safe(text)) {
    if (markdown_special(ch)) out += '\\';
    out += ch;
  }
  return out;
}

// Text of the model that may hold `code spans` it made itself: the spans are kept, the rest
// escaped as markdown.
std::string md_with_code(const std::string& text) {
  std::string out;
  bool in_code = false;
  for (char ch : terminal_safe(text)) {
    if (ch == '`') {
      in_code = !in_code;
    } else if (!in_code && markdown_special(ch)) {
      out += '\\';
    }
    out += ch;
  }
  if (in_code) out += '`';
  return out;
}

std::string code_block(const std::string& text) { return terminal_safe(text); }

// Bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder what a reader
// sees; in HTML they become U+FFFD like the controls.
bool bidi_control_at(const std::string& text, size_t i) {
  if (i + 2 >= text.size() || static_cast<unsigned char>(text[i]) != 0xe2) return false;
  auto b1 = static_cast<unsigned char>(text[i + 1]), b2 = static_cast<unsigned char>(text[i + 2]);
  return (b1 == 0x80 && b2 >= 0xaa && b2 <= 0xae) || (b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9);
}

std::string html(const std::string& text) {
  const std::string utf8 = valid_utf8(text);
  std::string out;
  for (size_t i = 0; i < utf8.size(); ++i) {
    const char ch = utf8[i];
    if (bidi_control_at(utf8, i)) {
      out += "&#xfffd;";
      i += 2;
      continue;
    }
    switch (ch) {
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
        if ((static_cast<unsigned char>(ch) < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f)
          out += "&#xfffd;";
        else
          out += ch;
    }
  }
  return out;
}

std::string packet_heading(const WalkthroughPacket& p) {
  if (p.scenario_id.empty()) return fmt::format("Packet {} – {}", p.frame, p.title);
  return fmt::format("Packet {} – {}: {}", p.frame, p.scenario_id, p.title);
}

}  // namespace

std::string render_walkthrough_markdown(const Walkthrough& w) {
  std::string out =
      fmt::format("# Walkthrough of {}\n\n", md(w.capture == "-" ? "<stdin>" : w.capture));
  if (!w.scenario.empty()) out += fmt::format("Following the scenario {}.\n\n", md(w.scenario));
  out += fmt::format("**{} frames captured, {} of them TCP. Connections:**\n\n", w.frames,
                     w.tcp_frames);
  for (const std::string& c : w.connections) out += fmt::format("* {}\n", md(c));
  out += fmt::format("\nExplained: {}.\n", md(w.chosen));
  for (const std::string& note : w.notes)
    out += fmt::format("\n> **Note:** {}\n", md_with_code(note));
  for (const std::string& note : w.scenario_notes)
    out += fmt::format("\n> **Scenario:** {}\n", md_with_code(note));
  out += "\n---\n";
  for (const WalkthroughPacket& p : w.packets) {
    out += fmt::format("\n### {}\n\n```\n{}\n```\n\n", md_with_code(packet_heading(p)),
                       code_block(p.summary_line));
    if (!p.teaches.empty())
      out += fmt::format("* **What it teaches:** {}\n", md_with_code(p.teaches));
    for (const std::string& b : p.bullets) out += fmt::format("* {}\n", md_with_code(b));
    out += "\n---\n";
  }
  out += "\n## Summary\n\n";
  for (const std::string& s : w.summary) out += fmt::format("* {}\n", md_with_code(s));
  return out;
}

std::string render_walkthrough_text(const Walkthrough& w) {
  std::string out =
      fmt::format("Walkthrough of {}\n", terminal_safe(w.capture == "-" ? "<stdin>" : w.capture));
  if (!w.scenario.empty())
    out += fmt::format("Following the scenario {}\n", terminal_safe(w.scenario));
  out += fmt::format("{} frames captured, {} of them TCP. Connections:\n", w.frames, w.tcp_frames);
  for (const std::string& c : w.connections) out += fmt::format("  {}\n", terminal_safe(c));
  out += fmt::format("Explained: {}.\n", terminal_safe(w.chosen));
  for (const std::string& note : w.notes) out += fmt::format("Note: {}\n", terminal_safe(note));
  for (const std::string& note : w.scenario_notes)
    out += fmt::format("Scenario: {}\n", terminal_safe(note));
  for (const WalkthroughPacket& p : w.packets) {
    out += fmt::format("\n{}\n  {}\n", terminal_safe(packet_heading(p)),
                       terminal_safe(p.summary_line));
    if (!p.teaches.empty())
      out += fmt::format("  - What it teaches: {}\n", terminal_safe(p.teaches));
    for (const std::string& b : p.bullets) out += fmt::format("  - {}\n", terminal_safe(b));
  }
  out += "\nSummary\n";
  for (const std::string& s : w.summary) out += fmt::format("  - {}\n", terminal_safe(s));
  return out;
}

std::string render_walkthrough_html(const Walkthrough& w) {
  const std::string name = w.capture == "-" ? "<stdin>" : w.capture;
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>Walkthrough of {0}</title>\n<style>body{{font-family:sans-serif;max-width:60em;"
      "margin:auto}}pre{{background:#f4f4f4;padding:.5em;overflow-x:auto}}"
      ".note{{border-left:4px solid #c90;padding-left:.5em}}</style></head><body>\n"
      "<h1>Walkthrough of {0}</h1>\n",
      html(name));
  if (!w.scenario.empty())
    out += fmt::format("<p>Following the scenario {}.</p>\n", html(w.scenario));
  out += fmt::format("<p>{} frames captured, {} of them TCP. Connections:</p>\n<ul>\n", w.frames,
                     w.tcp_frames);
  for (const std::string& c : w.connections) out += fmt::format("<li>{}</li>\n", html(c));
  out += fmt::format("</ul>\n<p>Explained: {}.</p>\n", html(w.chosen));
  for (const std::string& note : w.notes)
    out += fmt::format("<p class=\"note\">{}</p>\n", html(note));
  for (const std::string& note : w.scenario_notes)
    out += fmt::format("<p class=\"note\">Scenario: {}</p>\n", html(note));
  for (const WalkthroughPacket& p : w.packets) {
    out += fmt::format("<section id=\"packet-{}\">\n<h3>{}</h3>\n<pre>{}</pre>\n<ul>\n", p.frame,
                       html(packet_heading(p)), html(p.summary_line));
    if (!p.teaches.empty())
      out += fmt::format("<li><strong>What it teaches:</strong> {}</li>\n", html(p.teaches));
    for (const std::string& b : p.bullets) out += fmt::format("<li>{}</li>\n", html(b));
    out += "</ul>\n</section>\n";
  }
  out += "<h2>Summary</h2>\n<ul>\n";
  for (const std::string& s : w.summary) out += fmt::format("<li>{}</li>\n", html(s));
  return out + "</ul>\n</body></html>\n";
}

std::string render_walkthrough(const Walkthrough& w, const std::string& format) {
  if (format == "markdown") return render_walkthrough_markdown(w);
  if (format == "text") return render_walkthrough_text(w);
  if (format == "html") return render_walkthrough_html(w);
  throw std::invalid_argument(fmt::format("unknown walkthrough format {}", quote(format)));
}

}  // namespace tcpgrade
