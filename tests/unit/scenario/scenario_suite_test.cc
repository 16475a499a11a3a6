// Suite files: what a case becomes, and the errors an author gets for a wrong one.
#include "scenario/scenario_suite.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "scenario/scenario_loader.h"

namespace tcpgrade {
namespace {

namespace fs = std::filesystem;

std::string first_error(const std::string& yaml) {
  try {
    parse_suite(yaml, "lab/suite.yaml");
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "no error";
}

TEST(ScenarioSuite, CasesTakeTheDefaultScenarioAndPathsRelativeToTheSuite) {
  ScenarioSuite suite = parse_suite(
      "suite: lab\n"
      "scenario: ../session.yaml\n"
      "cases:\n"
      "  - {capture: good.pcap, expect: pass}\n"
      "  - {name: cut, scenario: other.yaml, capture: cut.pcap, expect: fail,\n"
      "     fails: [frame.ack.*], root_causes: file-cut-short, points: {max: 3}, max_points: 14}\n"
      "  - {capture: empty.pcap, expect: error, error_contains: empty}\n",
      "labs/http/tests/suite.yaml");
  ASSERT_EQ(suite.cases.size(), 3u);
  EXPECT_EQ(suite.name, "lab");
  const SuiteCase& good = suite.cases[0];
  EXPECT_EQ(good.name, "good.pcap");
  EXPECT_EQ(good.scenario, "labs/http/session.yaml");
  EXPECT_EQ(good.capture, "labs/http/tests/good.pcap");
  EXPECT_EQ(good.expect, SuiteExpectation::pass);
  EXPECT_EQ(good.where.line, 4);
  const SuiteCase& cut = suite.cases[1];
  EXPECT_EQ(cut.name, "cut");
  EXPECT_EQ(cut.scenario, "labs/http/tests/other.yaml");
  EXPECT_EQ(cut.fails, std::vector<std::string>{"frame.ack.*"});
  EXPECT_EQ(cut.root_causes, std::vector<std::string>{"file-cut-short"});
  ASSERT_TRUE(cut.points);
  EXPECT_EQ(cut.points->low, 0);
  EXPECT_EQ(cut.points->high, 3);
  EXPECT_EQ(cut.max_points, 14);
  EXPECT_EQ(suite.cases[2].expect, SuiteExpectation::error);
  EXPECT_EQ(suite.cases[2].error_contains, "empty");
}

TEST(ScenarioSuite, MistakesNameTheirPlace) {
  EXPECT_EQ(first_error("suite: lab\ncases:\n  - {capture: a.pcap, expect: pass}\n"),
            "lab/suite.yaml:3:5: case #1: no scenario: give one here or at the top level");
  EXPECT_EQ(first_error("suite: lab\nscenario: s.yaml\ncases:\n  - {capture: a.pcap, expect: "
                        "passes}\n"),
            "lab/suite.yaml:4:31: expect in case #1: expected pass, fail or error; got 'passes'; "
            "did you mean 'pass'?");
  EXPECT_EQ(first_error("suite: lab\nscenario: s.yaml\ncases:\n  - {capture: a.pcap, expect: "
                        "pass, fails: [x]}\n"),
            "lab/suite.yaml:4:5: case #1: expect: pass with fails: a passing capture fails no "
            "check; write expect: fail");
  EXPECT_EQ(first_error("suite: lab\nscenario: s.yaml\ncases: []\n"),
            "lab/suite.yaml:3:8: cases: the suite has no case");
  EXPECT_EQ(first_error("suite: lab\nscenario: s.yaml\ncases:\n  - {capture: a.pcap, expect: "
                        "pass}\n  - {capture: a.pcap, expect: fail}\n"),
            "lab/suite.yaml:5:5: case #2: a second case named 'a.pcap' for the same scenario; "
            "give it a name: that tells them apart");
  EXPECT_EQ(first_error(""),
            "lab/suite.yaml: the suite is empty: a suite starts with suite: "
            "NAME, then cases: [...]");
}

TEST(ScenarioSuite, FindsSuiteFilesInFolders) {
  fs::path root = fs::temp_directory_path() / ("suite-find-" + std::to_string(::getpid()));
  fs::create_directories(root / "a" / "tests");
  fs::create_directories(root / "b");
  for (fs::path file : {root / "a" / "tests" / "suite.yaml", root / "b" / "extra.suite.yaml",
                        root / "b" / "scenario.yaml"})
    std::ofstream(file) << "x";
  std::vector<std::string> found = find_suite_files(root.string());
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0], (root / "a" / "tests" / "suite.yaml").string());
  EXPECT_EQ(found[1], (root / "b" / "extra.suite.yaml").string());
  EXPECT_EQ(find_suite_files((root / "b" / "scenario.yaml").string()),
            std::vector<std::string>{(root / "b" / "scenario.yaml").string()});
  fs::remove_all(root);
}

}  // namespace
}  // namespace tcpgrade
