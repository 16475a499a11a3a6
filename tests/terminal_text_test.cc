#include "terminal_text.h"

#include <gtest/gtest.h>

namespace tcpgrade {
namespace {

TEST(TerminalSafe, KeepsPrintableTextAndUtf8) {
  EXPECT_EQ(terminal_safe("LEARN.pcap"), "LEARN.pcap");
  EXPECT_EQ(terminal_safe("server→client é 日本"), "server→client é 日本");
  EXPECT_EQ(terminal_safe("C:\\path"), "C:\\path");
}

TEST(TerminalSafe, EscapesControlCharacters) {
  EXPECT_EQ(terminal_safe("a\x1b]0;title\a\x1b[2Jb"), "a\\x1b]0;title\\x07\\x1b[2Jb");
  EXPECT_EQ(terminal_safe("one\ntwo\r\tthree\x7f"), "one\\ntwo\\r\\tthree\\x7f");
  EXPECT_EQ(terminal_safe(std::string("nul\0byte", 8)), "nul\\x00byte");
}

TEST(TerminalSafe, EscapesC1ControlsAndBidiOverrides) {
  EXPECT_EQ(terminal_safe("\xc2\x9b"
                          "31m"),
            "\\u009b31m");  // CSI as one character
  EXPECT_EQ(terminal_safe("rtl\xe2\x80\xaegpj.exe"),
            "rtl\\u202egpj.exe");                         // RIGHT-TO-LEFT OVERRIDE
  EXPECT_EQ(terminal_safe("\xe2\x81\xa6x"), "\\u2066x");  // LEFT-TO-RIGHT ISOLATE
}

TEST(TerminalSafe, EscapesBytesThatAreNotUtf8) {
  EXPECT_EQ(terminal_safe("\xff\x9b"), "\\xff\\x9b");
  EXPECT_EQ(terminal_safe("\xc0\xaf"), "\\xc0\\xaf");           // overlong '/'
  EXPECT_EQ(terminal_safe("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a UTF-16 surrogate
  EXPECT_EQ(terminal_safe("cut\xe2\x86"), "cut\\xe2\\x86");     // a sequence cut short
}

TEST(ValidUtf8, ReplacesOnlyInvalidBytes) {
  EXPECT_EQ(valid_utf8("ok → \x1b"), "ok → \x1b");
  EXPECT_EQ(valid_utf8("a\xffz"), "a\xef\xbf\xbdz");
}

TEST(TerminalSafe, ReportStringsAllPass) {
  Report report;
  report.capture_file = "evil\x1b[2J.pcap";
  report.scenario_title = std::string(1, 't') + '\a';  // built: GCC 12 -O3 misreads "t\a" here
  report.warnings.push_back(std::string(1, 'w') + '\n');
  CheckResult check;
  check.actual = "\x9b";
  check.teaches = "\xe2\x80\xae";
  report.claims.push_back(check);
  ConversationResult conversation;
  conversation.checks.push_back(check);
  FrameRow row;
  row.note = "\x1b";
  conversation.rows.push_back(row);
  report.conversations.push_back(conversation);
  Report safe = terminal_safe(report);
  EXPECT_EQ(safe.capture_file, "evil\\x1b[2J.pcap");
  EXPECT_EQ(safe.scenario_title, "t\\x07");
  EXPECT_EQ(safe.warnings[0], "w\\n");
  EXPECT_EQ(safe.claims[0].actual, "\\x9b");
  EXPECT_EQ(safe.conversations[0].checks[0].teaches, "\\u202e");
  EXPECT_EQ(safe.conversations[0].rows[0].note, "\\x1b");
}

}  // namespace
}  // namespace tcpgrade
