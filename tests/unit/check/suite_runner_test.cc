// Running suite cases: each way a case can go wrong says so in one sentence.
#include "check/suite_runner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace tcpgrade {
namespace {

namespace fs = std::filesystem;

const fs::path lab = fs::path(TCPGRADE_SOURCE_DIR) / "scenarios" / "http-lab";

SuiteCase make_case(const std::string& scenario, const std::string& capture,
                    SuiteExpectation expect) {
  SuiteCase test;
  test.name = capture;
  test.scenario = (lab / scenario).string();
  test.capture = (lab / capture).string();
  test.expect = expect;
  return test;
}

CaseOutcome run(const SuiteCase& test) {
  GradingLimits limits;
  ScenarioCache cache(limits);
  return run_suite_case(test, cache, limits);
}

TEST(SuiteRunner, GlobsMatchCheckIds) {
  EXPECT_TRUE(check_id_matches("frame.ack.*", "frame.ack.flags"));
  EXPECT_TRUE(check_id_matches("*.flags", "frame.ack.flags"));
  EXPECT_TRUE(check_id_matches("frame.?ck.seq", "frame.ack.seq"));
  EXPECT_TRUE(check_id_matches("frame.ack.seq", "frame.ack.seq"));
  EXPECT_FALSE(check_id_matches("frame.ack", "frame.ack.seq"));
  EXPECT_FALSE(check_id_matches("frame.*.ack", "frame.syn.seq"));
  EXPECT_TRUE(check_id_matches("*", ""));
  // Many stars over a long id stay linear (no exponential backtracking).
  EXPECT_FALSE(check_id_matches(std::string(40, '*') + "b", std::string(100000, 'a')));
}

TEST(SuiteRunner, APassingCaseAndItsSummary) {
  CaseOutcome outcome = run(make_case("session.yaml", "LEARN.pcap", SuiteExpectation::pass));
  EXPECT_TRUE(outcome.passed);
  EXPECT_EQ(outcome.got, "pass, 14/14 points");
  EXPECT_TRUE(outcome.problems.empty());
}

TEST(SuiteRunner, EachUnmetExpectationIsOneProblem) {
  SuiteCase test = make_case("document.yaml", "LEARN.pcap", SuiteExpectation::fail);
  test.fails = {"claim.frame7-phase", "claim.frame1-phase", "claim.no-such-*"};
  test.root_causes = {"wrong-port"};
  test.points = PointsRange{19, 19};
  test.max_points = 20;
  CaseOutcome outcome = run(test);
  EXPECT_FALSE(outcome.passed);
  EXPECT_EQ(outcome.got, "fail, 17/19 points, 2 checks failed");
  EXPECT_EQ(outcome.problems,
            (std::vector<std::string>{
                "expected check claim.frame1-phase to fail; it did not",
                "no check of the report matches 'claim.no-such-*' (a typo, or the scenario "
                "changed?)",
                "expected root cause wrong-port; the report names none",
                "expected 19 points; the report gives 17",
                "expected a maximum of 20 points; the report gives 19"}));
}

TEST(SuiteRunner, ExpectedPassThatFailsNamesTheFailedChecks) {
  CaseOutcome outcome = run(make_case("document.yaml", "LEARN.pcap", SuiteExpectation::pass));
  ASSERT_EQ(outcome.problems.size(), 1u);
  EXPECT_EQ(
      outcome.problems[0].rfind("expected the capture to pass; it failed: claim.frame7-phase", 0),
      0u)
      << outcome.problems[0];
}

TEST(SuiteRunner, RefusedCapturesAgainstTheirExpectation) {
  SuiteCase refused = make_case("session.yaml", "tests/empty.pcap", SuiteExpectation::error);
  refused.error_contains = "empty file";
  EXPECT_TRUE(run(refused).passed);
  refused.error_contains = "truncated";
  CaseOutcome wrong_text = run(refused);
  ASSERT_EQ(wrong_text.problems.size(), 1u);
  EXPECT_EQ(wrong_text.problems[0].rfind("expected the error to say 'truncated'; it says: ", 0),
            0u);
  CaseOutcome graded = run(make_case("session.yaml", "LEARN.pcap", SuiteExpectation::error));
  EXPECT_EQ(graded.problems, std::vector<std::string>{"expected the capture to be refused as bad "
                                                      "input; it was graded (pass, 14/14 points)"});
  CaseOutcome not_refused =
      run(make_case("session.yaml", "tests/empty.pcap", SuiteExpectation::pass));
  ASSERT_EQ(not_refused.problems.size(), 1u);
  EXPECT_EQ(not_refused.problems[0].rfind("expected the capture to pass; it was refused: ", 0), 0u);
}

}  // namespace
}  // namespace tcpgrade
