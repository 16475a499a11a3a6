// Text from a submission (file names, payload bytes, scenario strings, libpcap and yaml-cpp
// messages) made safe to print where a person reads it: no byte of it can drive the terminal.
// Used by the one-line errors and warnings, lint's diagnostics, and the text, TAP and markdown
// reports; JSON, XML and HTML have their own escaping in their libraries and renderers.
#pragma once

#include <string>
#include <string_view>

#include "report.h"

namespace tcpgrade {

// Valid UTF-8 is kept, backslashes too; escaped: C0 controls and DEL (\n, \r, \t, \x1b, ...),
// C1 controls (\u009b: a CSI on some terminals), bidirectional overrides (\u202e: they make
// "gpj.exe" display as "exe.jpg"), and bytes that are not UTF-8 (\xff). The result is one
// line of printable characters.
std::string terminal_safe(std::string_view text);
// True when terminal_safe would return the text unchanged.
bool is_terminal_safe(std::string_view text);
bool is_terminal_safe(const ConversationResult& conversation);

// The text with every byte that is not part of valid UTF-8 replaced by U+FFFD: what an XML
// or HTML document must hold to stay well-formed when a file name is not UTF-8.
std::string valid_utf8(std::string_view text);

// Every string of the report through terminal_safe, for the renderers that print them as is.
Report terminal_safe(Report report);
ConversationResult terminal_safe(ConversationResult conversation);

}  // namespace tcpgrade
