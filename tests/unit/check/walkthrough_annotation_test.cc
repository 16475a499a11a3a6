// explain --scenario: the packets take the ids and teaches: texts of the frames `check`
// pairs them with, and expected frames the capture lacks are listed.
#include "check/walkthrough_annotation.h"

#include <gtest/gtest.h>

#include <string>

#include "scenario/scenario_loader.h"

namespace tcpgrade {
namespace {

std::string data(const std::string& relative) {
  return std::string(TCPGRADE_SOURCE_DIR) + "/" + relative;
}

TEST(WalkthroughAnnotation, LearnFollowsTheSessionScenariosIds) {
  Scenario scenario = load_scenario(data("scenarios/http-lab/session.yaml"));
  Walkthrough w = explain_with_scenario(
      scenario, read_walkthrough_input(data("scenarios/http-lab/LEARN.pcap")), std::nullopt);
  ASSERT_EQ(w.packets.size(), 12u);
  EXPECT_EQ(w.packets[0].scenario_id, "syn");
  EXPECT_EQ(w.packets[3].scenario_id, "request");
  EXPECT_EQ(w.packets[6].scenario_id, "response-head-ack");
  EXPECT_EQ(w.packets[7].scenario_id, "body");
  EXPECT_FALSE(w.packets[7].teaches.empty());
  EXPECT_EQ(w.packets[8].scenario_id, "close");  // the teardown block, frames 9-12
  EXPECT_EQ(w.packets[11].scenario_id, "close");
  EXPECT_TRUE(w.scenario_notes.empty());  // no either: variant to name
}

TEST(WalkthroughAnnotation, AChoiceNamesTheVariantGraded) {
  Scenario scenario = load_scenario(data("tests/data/scenarios/session-frames.yaml"));
  Walkthrough w = explain_with_scenario(
      scenario, read_walkthrough_input(data("scenarios/http-lab/LEARN.pcap")), std::nullopt);
  ASSERT_EQ(w.scenario_notes.size(), 1u);
  EXPECT_EQ(w.scenario_notes[0],
            "`tcpgrade check` grades it as: the server closes first (the lab document's order)");
}

TEST(WalkthroughAnnotation, MissingFramesAreListed) {
  Scenario scenario = load_scenario(data("scenarios/http-lab/session.yaml"));
  Walkthrough w = explain_with_scenario(
      scenario, read_walkthrough_input(data("tests/data/captures/learn-cut-short.pcap")),
      std::nullopt);
  bool missing = false;
  for (const std::string& note : w.scenario_notes)
    missing = missing || note.find("is not in the capture") != std::string::npos;
  EXPECT_TRUE(missing);
}

}  // namespace
}  // namespace tcpgrade
