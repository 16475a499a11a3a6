// lint's warnings (a scenario that loads but most likely does not grade as meant) and the
// errors of issue 14 made helpful: merge keys, same_as to an unknown id, over-indentation.
// Messages are part of the interface: pinned verbatim.
#include "scenario/scenario_lint_warnings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenario/scenario_loader.h"

namespace tcpgrade {
namespace {

// "line:col: message" for each warning of a scenario that loads.
std::vector<std::string> warnings(const std::string& yaml) {
  Scenario scenario = parse_scenario(yaml, "w.yaml");
  std::vector<std::string> out;
  for (const Diagnostic& d : scenario_warnings(scenario, yaml))
    out.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " +
                  d.message);
  return out;
}

std::vector<std::string> errors(const std::string& yaml) {
  try {
    parse_scenario(yaml, "e.yaml");
  } catch (const ScenarioError& error) {
    std::vector<std::string> out;
    for (const Diagnostic& d : error.diagnostics())
      out.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " +
                    d.message);
    return out;
  }
  ADD_FAILURE() << "the scenario loaded:\n" << yaml;
  return {};
}

TEST(LintWarnings, NoneForACleanScenario) {
  EXPECT_EQ(warnings("scenario: t\nframes:\n"
                     "  - {id: syn, dir: c2s, flags: [SYN], seq: 0}\n"
                     "  - {id: fins, dir: c2s, flags: [ACK], repeat: 2, points: 2}\n"),
            std::vector<std::string>{});
}

TEST(LintWarnings, SeqNextOnASyn) {
  EXPECT_EQ(warnings("scenario: t\nframes:\n  - {id: syn, flags: [SYN], seq: next}\n"),
            std::vector<std::string>{
                "3:34: warning: seq: next on a SYN in frame 'syn': a SYN starts its side's "
                "sequence, so it has no previous segment to continue; write seq: 0"});
  // A SYN-ACK too; flags that only include SYN count.
  EXPECT_EQ(
      warnings("scenario: t\nframes:\n  - {id: sa, flags: {includes: [SYN]}, seq: next}\n").size(),
      1u);
  EXPECT_TRUE(warnings("scenario: t\nframes:\n  - {id: a, flags: [ACK], seq: next}\n").empty());
}

TEST(LintWarnings, PointsOnARepeatOfVaryingLength) {
  EXPECT_EQ(warnings("scenario: t\nframes:\n"
                     "  - {id: data, dir: s2c, repeat: {min: 1, max: 4}, points: 2}\n"),
            std::vector<std::string>{
                "3:5: warning: points in frame 'data', which repeats 1 to 4 times: the frame "
                "scores 2 once, shared by the copies the capture holds, so each copy is worth "
                "0.5 to 2; give its points as the whole frame's"});
  EXPECT_TRUE(warnings("scenario: t\nframes:\n"
                       "  - {id: data, dir: s2c, repeat: {min: 1, max: 4}, points: 0}\n")
                  .empty());
}

TEST(LintWarnings, MaximumThatDependsOnTheCapture) {
  std::vector<std::string> each =
      warnings("scenario: t\nconversation: {select: each}\nframes:\n  - {id: syn, dir: c2s}\n");
  ASSERT_EQ(each.size(), 1u);
  EXPECT_EQ(each[0],
            "0:0: warning: conversation.select: each grades every connection and adds up their "
            "points, so the maximum grows with the connections the capture holds; use first or "
            "best for a fixed maximum");
  std::vector<std::string> variants = warnings(
      "scenario: t\nframes:\n  - either:\n"
      "      - variant: one\n        frames: [{id: a, points: 2}]\n"
      "      - variant: two\n        frames: [{id: a}, {id: b, points: 3}]\n");
  ASSERT_EQ(variants.size(), 1u);
  EXPECT_EQ(variants[0],
            "6:9: warning: variant 'two' is worth 4 points and variant 'one' 2: the maximum "
            "would depend on the order the capture shows; give every variant of a choice the "
            "same total (the first one's counts)");
  EXPECT_EQ(warnings("scenario: t\nscoring: {unexpected_frame: 0}\nframes: [{id: a}]\n").size(),
            1u);
}

TEST(LintWarnings, SourceLineUnderTheWarning) {
  std::string yaml = "scenario: t\nframes:\n  - {id: syn, flags: [SYN], seq: next}\n";
  std::vector<Diagnostic> found = scenario_warnings(parse_scenario(yaml, "w.yaml"), yaml);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].where.file, "w.yaml");
  EXPECT_EQ(found[0].source_line, "  - {id: syn, flags: [SYN], seq: next}");
}

TEST(LintErrors, MergeKeysAreUnsupported) {
  EXPECT_EQ(errors("scenario: t\nframes:\n  - id: a\n    <<: {dir: c2s}\n"),
            std::vector<std::string>{
                "4:5: merge keys (<<:) are not supported in frame 'a'; repeat the keys, or reuse "
                "a whole map with an alias (options: *syn_options)"});
}

TEST(LintErrors, SameAsToAnUnknownIdListsTheIds) {
  EXPECT_EQ(errors("scenario: t\nframes:\n  - {id: syn}\n  - {id: fin}\n"
                   "  - {id: x, seq: {same_as: zzzzzz.seq}}\n"),
            std::vector<std::string>{
                "5:28: seq.same_as in frame 'x': same_as refers to unknown frame 'zzzzzz' (the "
                "frame ids are fin, syn and x)"});
}

TEST(LintErrors, OverIndentationGetsAHint) {
  std::vector<std::string> found =
      errors("scenario: t\nframes:\n  - id: a\n    dir: c2s\n   flags: [SYN]\n");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("check the indentation"), std::string::npos) << found[0];
}

TEST(Profiles, WindowScaleIsARangeAcrossKernels) {
  Scenario s = parse_scenario(
      "scenario: t\nprofile: linux-loopback\nframes:\n"
      "  - {id: syn, flags: [SYN], window: profile.syn_window, options: {ws: profile.ws}}\n",
      "p.yaml");
  EXPECT_EQ(s.frames[0].options.ws.kind, MatchKind::range);
  EXPECT_EQ(s.frames[0].options.ws.low, 7);
  EXPECT_EQ(s.frames[0].options.ws.high, 14);
  EXPECT_EQ(s.frames[0].window.kind, MatchKind::range);
  // An override makes it exact again.
  Scenario exact = parse_scenario(
      "scenario: t\nprofile: linux-loopback\nprofile_overrides: {ws: 10}\nframes:\n"
      "  - {id: syn, options: {ws: profile.ws}}\n",
      "p.yaml");
  EXPECT_EQ(exact.frames[0].options.ws.kind, MatchKind::exact);
  EXPECT_EQ(exact.frames[0].options.ws.value, 10);
  EXPECT_EQ(errors("scenario: t\nprofile: linux-loopback\nframes:\n"
                   "  - {id: syn, options: {ws: [profile.ws, 3]}}\n"),
            std::vector<std::string>{
                "4:30: options.ws in frame 'syn': profile.ws is a range in profile "
                "'linux-loopback' (7..14: it differs between kernels); write it alone, not in a "
                "list or range, or give numbers"});
}

TEST(ScoringKeys, ReadAndChecked) {
  Scenario s = parse_scenario(
      "scenario: t\nscoring: {weights: {present: 0}, unexpected_frame: 0.5}\n"
      "root_causes: {connection-refused: {title: Nobody home, advice: Run the server.}}\n"
      "frames:\n"
      "  - {id: a, weights: {flags: 2, options: 3}, all_or_nothing: true, hint: Look again.}\n",
      "s.yaml");
  EXPECT_EQ(s.scoring.weights.at("present"), 0);
  EXPECT_EQ(s.scoring.unexpected_frame, 0.5);
  EXPECT_EQ(s.frames[0].scoring.weights.at("flags"), 2);
  EXPECT_EQ(s.frames[0].scoring.weights.at("options"), 3);
  EXPECT_TRUE(s.frames[0].scoring.all_or_nothing);
  EXPECT_EQ(s.frames[0].hint, "Look again.");
  EXPECT_EQ(s.root_cause_texts.at("connection-refused").title, "Nobody home");
  EXPECT_EQ(s.root_cause_texts.at("connection-refused").advice, "Run the server.");
  EXPECT_EQ(errors("scenario: t\nframes:\n  - {id: a, weights: {flag: 2}}\n"),
            std::vector<std::string>{
                "3:23: unknown key 'flag' in weights of frame 'a'; did you mean 'flags'?"});
  EXPECT_EQ(errors("scenario: t\nroot_causes: {conection-refused: {advice: x}}\nframes: [{id: "
                   "a}]\n"),
            std::vector<std::string>{"2:15: unknown key 'conection-refused' in root_causes; did "
                                     "you mean 'connection-refused'?"});
}

}  // namespace
}  // namespace tcpgrade
