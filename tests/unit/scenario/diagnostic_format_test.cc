#include "scenario/diagnostic_format.h"

#include <gtest/gtest.h>

#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

Diagnostic at(int line, int column, std::string source_line) {
  return {{"session.yaml", line, column}, "unknown key 'flag' in frame 'syn'", source_line};
}

TEST(DiagnosticFormat, HeadlineWithAndWithoutPlace) {
  EXPECT_EQ(diagnostic_headline(at(12, 5, "")),
            "session.yaml:12:5: unknown key 'flag' in frame 'syn'");
  EXPECT_EQ(diagnostic_headline(at(12, 0, "")),
            "session.yaml:12: unknown key 'flag' in frame 'syn'");
  EXPECT_EQ(diagnostic_headline(at(0, 0, "")), "session.yaml: unknown key 'flag' in frame 'syn'");
}

TEST(DiagnosticFormat, SourceLineAndCaret) {
  EXPECT_EQ(format_diagnostic(at(12, 5, "    flag: [SYN]")),
            "session.yaml:12:5: unknown key 'flag' in frame 'syn'\n"
            "    flag: [SYN]\n"
            "    ^\n");
  EXPECT_EQ(format_diagnostic(at(0, 0, "ignored")),
            "session.yaml: unknown key 'flag' in frame 'syn'\n");
  EXPECT_EQ(format_diagnostic(at(3, 0, "  seq: 1")),
            "session.yaml:3: unknown key 'flag' in frame 'syn'\n  seq: 1\n");
}

TEST(DiagnosticFormat, CaretCountsCharactersNotBytes) {
  // yaml-cpp's column counts bytes; "→" is 3 bytes but one character on the terminal.
  std::string line = "  - {source: \"a → b\", phaze: data}";
  size_t byte = line.find("phaze");
  std::string out = format_diagnostic(at(4, static_cast<int>(byte) + 1, line));
  EXPECT_EQ(out.substr(out.find('\n') + 1), line + "\n" + std::string(byte - 2, ' ') + "^\n");
}

TEST(DiagnosticFormat, TabsKeepTheCaretAligned) {
  EXPECT_EQ(format_diagnostic(at(2, 3, "\t\tx")),
            "session.yaml:2:3: unknown key 'flag' in frame 'syn'\n\t\tx\n\t\t^\n");
}

TEST(DiagnosticFormat, ControlCharactersAreNotSentToTheTerminal) {
  std::string out = format_diagnostic(at(1, 1, "a\x1b[31mred\x7f\xff"));
  EXPECT_EQ(out.substr(out.find('\n') + 1), "a?[31mred??\n^\n");
}

// The source line is the scenario's own text: a C1 CSI or a bidirectional override in it must
// not reach the terminal either; each shows as one "?", so the caret still counts characters.
TEST(DiagnosticFormat, DisplayControlsInTheSourceLineAreNotSentToTheTerminal) {
  std::string out = format_diagnostic(at(1, 8,
                                         "a\xc2\x9b\xe2\x80\xae"
                                         "bX"));  // at X
  EXPECT_EQ(out.substr(out.find('\n') + 1), "a??bX\n    ^\n");
}

TEST(DiagnosticFormat, LongLinesAreCutAroundTheColumn) {
  std::string line = std::string(150, 'a') + "X" + std::string(150, 'b');
  std::string out = format_diagnostic(at(1, 151, line));
  std::string shown = "..." + std::string(60, 'a') + "X" + std::string(39, 'b') + "...";
  EXPECT_EQ(out.substr(out.find('\n') + 1), shown + "\n" + std::string(63, ' ') + "^\n");
  std::string start = format_diagnostic(at(1, 2, line));
  EXPECT_EQ(start.substr(start.find('\n') + 1), std::string(100, 'a') + "...\n ^\n");
}

TEST(DiagnosticFormat, CaretPastTheEndOfTheLine) {
  EXPECT_EQ(format_diagnostic(at(1, 6, "abc")),
            "session.yaml:1:6: unknown key 'flag' in frame 'syn'\nabc\n     ^\n");
}

}  // namespace
}  // namespace tcpgrade
