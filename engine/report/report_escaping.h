// A report made safe to print as it is: every string of it (file names, payload excerpts,
// scenario texts, a live run's commands) through terminal_safe, for the renderers that print
// them without an escaping of their own (text, TAP, markdown).
#pragma once

#include "report/report.h"

namespace tcpgrade {

// True when no string of the conversation needs escaping.
bool is_terminal_safe(const ConversationResult& conversation);

// Every string of the report through terminal_safe.
Report terminal_safe(Report report);
ConversationResult terminal_safe(ConversationResult conversation);

}  // namespace tcpgrade
