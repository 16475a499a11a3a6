#include "util/terminal_text.h"

#include <fmt/format.h>

#include "util/utf8.h"

namespace tcpgrade {
namespace {

bool is_display_control(char32_t code) {
  return (code >= 0x80 && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) ||
         (code >= 0x2066 && code <= 0x2069) || code == 0x200e || code == 0x200f || code == 0x61c;
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
    size_t length = c < 0x80 ? 0 : utf8_decode(text, i, code);
    if (length == 0 || is_display_control(code)) return false;
    i += length;
  }
  return true;
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

std::string escaped_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    char32_t code = 0;
    size_t length = utf8_decode(text, i, code);
    if (length == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::string printable(const std::string& bytes, size_t limit) {
  std::string out;
  for (unsigned char c : bytes) {
    if (out.size() >= limit) {
      out += "…";
      break;
    }
    if (c == '\r')
      out += "\\r";
    else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\\')
      out += "\\\\";
    else if (c >= 0x20 && c < 0x7f)
      out += static_cast<char>(c);
    else
      out += fmt::format("\\x{:02x}", c);
  }
  return out;
}

std::string quote(std::string_view text, size_t max_bytes) {
  // Cut at max_bytes, never inside a character; escaped as every text shown is.
  size_t end = 0;
  while (end < text.size()) {
    char32_t code = 0;
    size_t length = std::max<size_t>(utf8_decode(text, end, code), 1);
    if (end + length > max_bytes) break;
    end += length;
  }
  std::string out = "'";
  out += terminal_safe(text.substr(0, end));
  if (end < text.size()) out += "...";
  out += '\'';
  return out;
}

}  // namespace tcpgrade
