#include "util/terminal_text.h"

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

TEST(Quote, EscapesAndCutsOnACharacterBoundary) {
  EXPECT_EQ(quote("flags"), "'flags'");
  EXPECT_EQ(quote("a\nb\tc\x01"), "'a\\nb\\tc\\x01'");
  EXPECT_EQ(quote(std::string(70, 'x')), "'" + std::string(60, 'x') + "...'");
  // Never cut inside a UTF-8 character.
  EXPECT_EQ(quote(std::string(59, 'x') + "→"), "'" + std::string(59, 'x') + "...'");
  EXPECT_EQ(quote("→", 10), "'→'");
  // Decoded as strictly as terminal_safe does: an overlong "/" and a surrogate are escaped.
  EXPECT_EQ(quote("\xc0\xaf"), "'\\xc0\\xaf'");
  EXPECT_EQ(quote("\xed\xa0\x80"), "'\\xed\\xa0\\x80'");
}

TEST(EscapedUtf8, WritesOnlyBytesThatAreNotUtf8AsHex) {
  EXPECT_EQ(escaped_utf8("j\xc3\xb6rgen \x1b\\"), "j\xc3\xb6rgen \x1b\\");
  EXPECT_EQ(escaped_utf8("a\xff"), "a\\xff");
  EXPECT_NE(escaped_utf8("a\xff"), escaped_utf8("a\xfe"));
  EXPECT_EQ(escaped_utf8("\xc0\xaf\xed\xa0\x80"), "\\xc0\\xaf\\xed\\xa0\\x80");
  EXPECT_EQ(escaped_utf8("cut \xe2\x82"), "cut \\xe2\\x82");
}

TEST(Printable, EscapesTerminalControls) {
  EXPECT_EQ(printable("GET /\r\n\x1b[2J"), "GET /\\r\\n\\x1b[2J");
  EXPECT_EQ(printable(std::string(100, 'a'), 5), "aaaaa…");
}

}  // namespace
}  // namespace tcpgrade
