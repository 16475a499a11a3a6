// A scenario error with its place, and how lint shows it: ninja-style, `file:line:col: message`,
// then the offending source line, then a caret under the column.
#pragma once

#include <string>
#include <string_view>

#include "scenario/scenario.h"

namespace tcpgrade {

struct Diagnostic {
  SourceLocation where;  // line 0: the whole file (it cannot be read, it is too big, ...)
  std::string message;
  std::string source_line;  // the line `where` points into, as written (no newline)
};

// "file:line:col: message"; "file:line: message" without a column; "file: message" without
// a line.
std::string diagnostic_headline(const Diagnostic& diagnostic);

// The headline, then the source line and a caret under the column, each ending in '\n'.
// Control characters and invalid UTF-8 in the source line are shown as '?', so a hostile file
// cannot drive the terminal; a line longer than 100 characters is cut around the column.
std::string format_diagnostic(const Diagnostic& diagnostic);

}  // namespace tcpgrade
