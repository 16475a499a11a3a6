// Issue 19: every row counts in the statistics, and they say so.
#include "grade/gradebook_stats.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "grade/gradebook.h"

namespace tcpgrade {
namespace {

std::vector<GradeRow> mixed_class() {
  return {
      {"a", "a.pcap", 12, 12, "pass", "", {}, "reports/a.txt"},
      {"b", "b.pcap", 9, 12, "fail", "x", {"frame.syn.present"}, "reports/b.txt"},
      {"c", "c.txt", 0, 12, "error", "not a capture", {}, "reports/c.txt"},
      {"d",
       "",
       0,
       12,
       "missing",
       "no submission (on the roster, nothing handed in)",
       {},
       "reports/d.txt"},
      {"e", "", 0, 12, "missing", "no submission (the file is missing)", {}, "reports/e.txt"},
  };
}

TEST(GradebookStats, UngradableAndMissingRowsCountAsZero) {
  ClassSummary summary = summarize(mixed_class());
  EXPECT_EQ(summary.passed, 1u);
  EXPECT_EQ(summary.failed, 1u);
  EXPECT_EQ(summary.errors, 1u);
  EXPECT_EQ(summary.missing, 2u);
  EXPECT_EQ(summary.max, 12);
  EXPECT_EQ(summary.mean, 35);  // (100 + 75 + 0 + 0 + 0) / 5, not (100 + 75) / 2
  EXPECT_EQ(summary.histogram[0], 3u);
  EXPECT_EQ(summary.histogram[7], 1u);
  EXPECT_EQ(summary.histogram[9], 1u);
  EXPECT_EQ(mean_sentence(summary, 5),
            "mean 35 % over 5 submissions, 1 ungradable counted as 0, 2 missing counted as 0");
}

// Issue 19's report: a roster with 2 of 4 students missing reported "mean 100 %".
TEST(GradebookStats, AHalfMissingClassIsNotAPerfectOne) {
  std::vector<GradeRow> rows = {
      {"a", "a.pcap", 12, 12, "pass", "", {}, "reports/a.txt"},
      {"b", "b.pcap", 12, 12, "pass", "", {}, "reports/b.txt"},
      {"c", "", 0, 12, "missing", "no submission", {}, "reports/c.txt"},
      {"d", "", 0, 12, "missing", "no submission", {}, "reports/d.txt"},
  };
  EXPECT_EQ(summarize(rows).mean, 50);
}

TEST(GradebookStats, PercentIsOfTheRowsMaximumAndBounded) {
  GradeRow row{"a", "a.pcap", 5, 12, "fail", "", {}, "reports/a.txt"};
  EXPECT_NEAR(row_percent(row), 41.6667, 1e-3);
  row.max = 0;
  EXPECT_EQ(row_percent(row), 0);
  row.max = 4;
  EXPECT_EQ(row_percent(row), 100);
  EXPECT_EQ(summarize({}).mean, 0);
}

TEST(GradebookStats, EveryGradebookFileSaysWhatTheMeanCounts) {
  std::vector<GradeRow> rows = mixed_class();
  ClassSummary summary = summarize(rows);
  std::string csv = gradebook_csv(rows);
  EXPECT_NE(csv.find("\r\nb,b.pcap,9,12,fail,x,reports/b.txt,,,,75\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\r\nd,,0,12,missing,\"no submission (on the roster, nothing handed in)\","
                     "reports/d.txt,,,,0\r\n"),
            std::string::npos);  // a cell with a comma is quoted
  nlohmann::json j = nlohmann::json::parse(gradebook_json("lab", rows, summary));
  EXPECT_EQ(j["summary"]["missing"], 2);
  EXPECT_EQ(j["summary"]["errors"], 1);
  EXPECT_EQ(j["summary"]["mean_percent"], 35);
  EXPECT_EQ(j["summary"]["mean_over"], 5);
  EXPECT_EQ(j["summary"]["max_points"], 12);
  EXPECT_EQ(j["summary"]["ungradable_counted_as_zero"], 1);
  EXPECT_EQ(j["summary"]["missing_counted_as_zero"], 2);
  EXPECT_EQ(j["submissions"][1]["percent"], 75);
  std::string text = gradebook_summary_text("lab", rows, summary);
  EXPECT_NE(text.find("5 submissions, 1 passed, 1 failed, 1 could not be graded, 2 missing; "
                      "out of 12 points\n"
                      "mean 35 % over 5 submissions, 1 ungradable counted as 0, 2 missing "
                      "counted as 0\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace tcpgrade
