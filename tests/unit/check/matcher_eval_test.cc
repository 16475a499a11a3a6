#include "check/matcher_eval.h"

#include <gtest/gtest.h>

#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

Matcher exact(int64_t v) {
  Matcher m;
  m.kind = MatchKind::exact;
  m.value = v;
  return m;
}

TEST(MatcherEval, ExactRangeOneOf) {
  EXPECT_EQ(evaluate(exact(79), {79, false, {}}).status, CheckStatus::pass);
  MatchOutcome wrong = evaluate(exact(79), {80, false, {}});
  EXPECT_EQ(wrong.status, CheckStatus::fail);
  EXPECT_EQ(wrong.expected, "79");
  EXPECT_EQ(wrong.actual, "80");
  Matcher range;
  range.kind = MatchKind::range;
  range.low = 1;
  range.high = 100;
  EXPECT_EQ(evaluate(range, {100, false, {}}).status, CheckStatus::pass);
  EXPECT_EQ(evaluate(range, {0, false, {}}).status, CheckStatus::fail);
  EXPECT_EQ(describe(range), "1..100");
  Matcher set;
  set.kind = MatchKind::one_of;
  set.values = {1, 2};
  EXPECT_EQ(evaluate(set, {2, false, {}}).status, CheckStatus::pass);
  EXPECT_EQ(evaluate(set, {3, false, {}}).status, CheckStatus::fail);
  EXPECT_EQ(describe(set), "one of 1, 2");
}

TEST(MatcherEval, PresenceAndAbsence) {
  Matcher present;
  present.kind = MatchKind::present;
  Matcher absent;
  absent.kind = MatchKind::absent;
  EXPECT_EQ(evaluate(present, {1460, false, {}}).status, CheckStatus::pass);
  EXPECT_EQ(evaluate(present, {std::nullopt, false, {}}).status, CheckStatus::fail);
  EXPECT_EQ(evaluate(absent, {std::nullopt, false, {}}).status, CheckStatus::pass);
  EXPECT_EQ(evaluate(exact(0), {std::nullopt, false, {}}).actual, "absent");
}

TEST(MatcherEval, UnreadableFieldsAreUnverifiableNotFailed) {
  MatchOutcome o = evaluate(exact(65495), {std::nullopt, true, {}});
  EXPECT_EQ(o.status, CheckStatus::unverifiable);
  EXPECT_EQ(o.actual, "unreadable");
  Matcher any;
  EXPECT_EQ(evaluate(any, {std::nullopt, true, {}}).status, CheckStatus::pass);
}

TEST(MatcherEval, RelationsCompareWithTheResolvedValue) {
  Matcher next;
  next.kind = MatchKind::next;
  MatchOutcome ok = evaluate(next, {186, false, 186});
  EXPECT_EQ(ok.status, CheckStatus::pass);
  EXPECT_EQ(ok.expected, "next (186)");
  EXPECT_EQ(evaluate(next, {1, false, 186}).status, CheckStatus::fail);
  EXPECT_EQ(evaluate(next, {1, false, std::nullopt}).status, CheckStatus::unverifiable);
}

TEST(MatcherEval, TextMatchers) {
  TextMatcher contains{TextMatchKind::contains, "200 OK", "", {}};
  EXPECT_TRUE(text_matches(contains, "HTTP/1.0 200 OK\r\n"));
  EXPECT_FALSE(text_matches(contains, "<h1>"));
  TextMatcher regex{TextMatchKind::regex, "^HTTP/1\\.[01] 200", "", {}};
  EXPECT_TRUE(text_matches(regex, "HTTP/1.0 200 OK"));
  TextMatcher broken{TextMatchKind::regex, "(", "", {}};
  EXPECT_FALSE(text_matches(broken, "("));
}

TEST(MatcherEval, RegexOverLargePayloadsNeitherCrashesNorHangs) {
  // std::regex recursed once per character and overflowed the stack near 10 KB.
  std::string response = "HTTP/1.0 200 OK\r\n\r\n" + std::string(64 << 10, 'x') + "<h1>end</h1>";
  TextMatcher spanning{TextMatchKind::regex, "^HTTP/1\\.0 200 OK(.|\r|\n)*<h1>end</h1>", "", {}};
  EXPECT_TRUE(text_matches(spanning, response));
  std::string huge = "HTTP/1.0 200 OK\r\n\r\n" + std::string(8 << 20, 'x') + "<h1>end</h1>";
  TextMatcher dotall{TextMatchKind::regex, "(?s)^HTTP/1\\.0 200 OK.*<h1>end</h1>", "", {}};
  EXPECT_TRUE(text_matches(dotall, huge));
  // Catastrophic backtracking stops at the match budget and counts as no match.
  TextMatcher nested{TextMatchKind::regex, "^(x+x+)+y", "", {}};
  EXPECT_FALSE(text_matches(nested, std::string(5000, 'x')));
  // Bytes, not text: NULs and invalid UTF-8 are matched as they are.
  TextMatcher binary{TextMatchKind::regex, "a\\x00\\xffb", "", {}};
  EXPECT_TRUE(text_matches(binary, std::string("za\0\xff"
                                               "b",
                                               5)));
}

}  // namespace
}  // namespace tcpgrade
