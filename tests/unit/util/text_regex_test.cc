// Regexes over payload bytes: matches as PCRE2 does, and a bounded amount of work per search.
#include "util/text_regex.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace tcpgrade {
namespace {

double seconds_of(const TextRegex& regex, const std::string& bytes, RegexOutcome& outcome) {
  auto start = std::chrono::steady_clock::now();
  outcome = regex.search(bytes);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(TextRegex, MatchesAnywhereInBytes) {
  EXPECT_EQ(TextRegex("^HTTP/1\\.[01] 200 ").search("HTTP/1.0 200 OK\r\n"), RegexOutcome::match);
  EXPECT_EQ(TextRegex("200").search(std::string("a\0b\xff 200", 8)), RegexOutcome::match);
  EXPECT_EQ(TextRegex("404").search("HTTP/1.0 200 OK"), RegexOutcome::no_match);
}

// Issue 18 item 11: `a(?=[^x]*+x)` never backtracks, so PCRE2's match limit never trips, and
// it scans to the end from each of a million starts: minutes of CPU, before the work budget.
TEST(TextRegex, APatternThatScansFromEveryStartStopsAtItsWorkBudget) {
  std::string megabyte(1 << 20, 'a');
  RegexOutcome outcome;
  double took = seconds_of(TextRegex("a(?=[^x]*+x)"), megabyte, outcome);
  EXPECT_EQ(outcome, RegexOutcome::too_complex);
  EXPECT_LT(took, 3.0);
  took = seconds_of(TextRegex("(a*)*b"), megabyte, outcome);
  EXPECT_EQ(outcome, RegexOutcome::too_complex);
  EXPECT_LT(took, 3.0);
}

// The budget grows with the subject and the pattern: ordinary patterns over a large response
// are never cut, whether they match at its start, at its end or nowhere.
TEST(TextRegex, LinearPatternsOverAMegabyteAreNeverCut) {
  std::string response =
      "HTTP/1.0 200 OK\r\n\r\n" + std::string(1 << 20, 'x') + "<h1>TCP HANDSHAKE Learning</h1>\n";
  EXPECT_EQ(TextRegex("^HTTP/1\\.[01] 200 ").search(response), RegexOutcome::match);
  EXPECT_EQ(TextRegex("Learning</h1>\\n$").search(response), RegexOutcome::match);
  EXPECT_EQ(TextRegex("\\r\\n\\r\\nx+<h1>").search(response), RegexOutcome::match);
  EXPECT_EQ(TextRegex("(?i)content-length: *\\d+").search(response), RegexOutcome::no_match);
  EXPECT_EQ(TextRegex("x{5}y").search(response), RegexOutcome::no_match);
}

}  // namespace
}  // namespace tcpgrade
