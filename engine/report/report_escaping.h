// A report made safe to print as it is: every string of it (file names, payload excerpts,
// scenario texts, a live run's commands) through terminal_safe, for the renderers that print
// them without an escaping of their own (text, TAP, markdown).
#pragma once

#include <string>

#include "report/report.h"

namespace tcpgrade {

// `text` as HTML text or attribute value: & < > " ' escaped, bytes that are not UTF-8 replaced
// (a page in UTF-8 holds only UTF-8), other control characters but newline and tab shown as '?'.
// The HTML report's and the class page's one escaper.
std::string html_escape(const std::string& text);

// True when no string of the conversation needs escaping.
bool is_terminal_safe(const ConversationResult& conversation);

// Every string of the report through terminal_safe.
Report terminal_safe(Report report);
ConversationResult terminal_safe(ConversationResult conversation);

}  // namespace tcpgrade
