// The bulk lab (scenarios/bulk-lab/bulk.yaml) on its real captures: a block scores once, so
// every capture, good or bad, is graded out of the same maximum, the scenario's.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "capture/capture_reader.h"
#include "check/capture_grader.h"
#include "scenario/scenario_loader.h"

namespace tcpgrade {
namespace {

namespace fs = std::filesystem;

const fs::path source = fs::path(TCPGRADE_SOURCE_DIR);

TEST(BulkLab, EveryCaptureIsGradedOutOfTheScenariosMaximum) {
  Scenario scenario = load_scenario((source / "scenarios/bulk-lab/bulk.yaml").string());
  const double maximum = scenario_max_points(scenario);
  EXPECT_EQ(maximum, 14);
  int graded = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(source / "tests/data/captures")) {
    std::string name = entry.path().filename().string();
    if (name.rfind("bulk-", 0) != 0) continue;
    ++graded;
    Report report = check_capture(scenario, read_capture(entry.path().string()));
    EXPECT_EQ(report.max_points, maximum) << name;
    bool pass = report.points == report.max_points;
    bool good = name == "bulk-lo.pcap" || name == "bulk-lo-window-update-before-fin.pcap";
    EXPECT_EQ(pass, good) << name << ": " << report.points;
  }
  EXPECT_EQ(graded, 7);
}

TEST(BulkLab, TheDownloadIsOneBlockWhateverTheSegments) {
  Scenario scenario = load_scenario((source / "scenarios/bulk-lab/bulk.yaml").string());
  Report report =
      check_capture(scenario, read_capture((source / "tests/data/captures/bulk-lo.pcap").string()));
  ASSERT_EQ(report.conversations.size(), 1u);
  int block_checks = 0;
  for (const CheckResult& check : report.conversations[0].checks)
    if (check.id.rfind("block.download.", 0) == 0) {
      ++block_checks;
      EXPECT_EQ(check.max_points, 1) << check.id;  // 4 points over bytes, seq, acked, segments
      EXPECT_EQ(check.name.substr(0, 27), "download (frames 7–111): ") << check.id;
    }
  EXPECT_EQ(block_checks, 4);
}

}  // namespace
}  // namespace tcpgrade
