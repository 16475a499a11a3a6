#include "scenario/diagnostic_format.h"

#include <fmt/format.h>

#include <vector>

#include "util/terminal_text.h"
#include "util/utf8.h"

namespace tcpgrade {
namespace {

constexpr size_t max_shown_glyphs = 100;  // wider source lines are cut around the column
constexpr size_t glyphs_before_caret = 60;

// One displayed character of the source line and the byte where it starts. yaml-cpp counts
// columns in bytes, the terminal in characters: the caret is placed by glyph, not by byte.
struct Glyph {
  std::string text;
  size_t byte = 0;
};

std::vector<Glyph> glyphs_of(std::string_view line) {
  std::vector<Glyph> glyphs;
  for (size_t i = 0; i < line.size();) {
    char32_t code = 0;
    size_t length = utf8_decode(line, i, code);
    std::string_view glyph = line.substr(i, std::max<size_t>(length, 1));
    // Whatever terminal_safe would escape (controls, C1, bidirectional overrides, bytes that
    // are not UTF-8) shows as one "?"; tabs stay, so the caret lines up under them.
    bool shown = length > 0 && (glyph == "\t" || is_terminal_safe(glyph));
    glyphs.push_back({shown ? std::string(glyph) : "?", i});
    i += glyph.size();
  }
  return glyphs;
}

}  // namespace

std::string diagnostic_headline(const Diagnostic& d) {
  // The file name and yaml-cpp's messages may hold anything: printed, they stay one line.
  std::string file = terminal_safe(d.where.file), message = terminal_safe(d.message);
  if (d.where.line <= 0) return fmt::format("{}: {}", file, message);
  if (d.where.column <= 0) return fmt::format("{}:{}: {}", file, d.where.line, message);
  return fmt::format("{}:{}:{}: {}", file, d.where.line, d.where.column, message);
}

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = diagnostic_headline(d) + "\n";
  if (d.where.line <= 0 || d.source_line.empty()) return out;
  std::vector<Glyph> glyphs = glyphs_of(d.source_line);
  // The glyph the caret points at; past the end of the line when the column is.
  size_t column_byte = d.where.column > 0 ? static_cast<size_t>(d.where.column - 1) : 0;
  size_t caret = 0;
  while (caret < glyphs.size() && glyphs[caret].byte < column_byte) ++caret;
  size_t past_end = column_byte > d.source_line.size() ? column_byte - d.source_line.size() : 0;

  size_t first = 0, last = glyphs.size();
  if (glyphs.size() > max_shown_glyphs) {
    first = caret > glyphs_before_caret ? caret - glyphs_before_caret : 0;
    last = std::min(glyphs.size(), first + max_shown_glyphs);
    first = last - max_shown_glyphs;
  }
  std::string shown = first > 0 ? "..." : "";
  std::string padding = first > 0 ? "   " : "";
  for (size_t i = first; i < last; ++i) {
    shown += glyphs[i].text;
    if (i < caret) padding += glyphs[i].text == "\t" ? '\t' : ' ';
  }
  if (last < glyphs.size()) shown += "...";
  out += shown + "\n";
  if (d.where.column > 0) out += padding + std::string(past_end, ' ') + "^\n";
  return out;
}

}  // namespace tcpgrade
