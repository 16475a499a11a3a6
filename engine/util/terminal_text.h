// Text from a submission (file names, payload bytes, scenario strings, libpcap and yaml-cpp
// messages) made safe to print where a person reads it: no byte of it can drive the terminal.
// Used by the one-line errors and warnings, lint's diagnostics, and the text, TAP and markdown
// reports; JSON, XML and HTML have their own escaping in their libraries and renderers.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tcpgrade {

// Valid UTF-8 is kept, backslashes too; escaped: C0 controls and DEL (\n, \r, \t, \x1b, ...),
// C1 controls (\u009b: a CSI on some terminals), bidirectional overrides (\u202e: they make
// "gpj.exe" display as "exe.jpg"), and bytes that are not UTF-8 (\xff). The result is one
// line of printable characters.
std::string terminal_safe(std::string_view text);
// True when terminal_safe would return the text unchanged.
bool is_terminal_safe(std::string_view text);

// The text with every byte that is not part of valid UTF-8 replaced by U+FFFD: what an XML
// or HTML document must hold to stay well-formed when a file name is not UTF-8.
std::string valid_utf8(std::string_view text);
// The same, but each such byte written as \xNN instead: two ids that differ only in such
// bytes stay two (gradebook.json). Valid UTF-8 text comes back unchanged.
std::string escaped_utf8(std::string_view text);

// Payload bytes made safe to print: printable ASCII kept, everything else escaped (\r, \n,
// \x1b ...), cut to `limit` characters with an ellipsis. No terminal escape reaches a reader.
std::string printable(const std::string& bytes, size_t limit = 80);

// A user's word inside a message: 'text', with control characters escaped and anything
// longer than `max_bytes` cut with "...".
std::string quote(std::string_view text, size_t max_bytes = 60);

}  // namespace tcpgrade
