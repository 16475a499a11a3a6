// UTF-8, decoded strictly: what the terminal escaping and the diagnostics' caret placement
// both need to know of a byte sequence.
#pragma once

#include <cstddef>
#include <string_view>

namespace tcpgrade {

// Length of the UTF-8 sequence at text[i] (1 to 4) and its code point; 0 when it is not valid
// UTF-8: a stray continuation byte, a sequence cut short, an overlong form, a surrogate or a
// code point beyond U+10FFFF.
inline size_t utf8_decode(std::string_view text, size_t i, char32_t& code) {
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

}  // namespace tcpgrade
