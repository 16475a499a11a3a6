// Write-up cells in every file the gradebook is published as: gradebook.csv's columns after
// percent, gradebook.json's writeup object, the LMS exports' second grade item, a shard file's
// round trip. A class without write-ups keeps the gradebook it always had.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "grade/gradebook.h"
#include "grade/lms_export.h"
#include "grade/shard.h"

namespace tcpgrade {
namespace {

std::vector<GradeRow> rows_with_writeups() {
  std::vector<GradeRow> rows(2);
  rows[0].id = "ada";
  rows[0].file = "ada/LEARN.pcap";
  rows[0].score = rows[0].max = 14;
  rows[0].status = "pass";
  rows[0].report = "reports/ada.txt";
  WriteupGrade& w = rows[0].writeup.emplace();
  w.file = "ada/notes.md";
  w.score = 40;
  w.max = 80;
  w.status = "fail";
  w.reason = "=frame 5, ack";  // a formula cell, defused
  w.report = "reports/writeups/ada.txt";
  rows[1].id = "bob";
  rows[1].max = 14;
  rows[1].status = "missing";
  rows[1].writeup = missing_writeup();
  return rows;
}

TEST(GradebookWriteups, CsvColumnsComeAfterPercentOnlyWhenGraded) {
  std::vector<GradeRow> rows = rows_with_writeups();
  std::string csv = gradebook_csv(rows);
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")),
            "id,file,score,max,status,reason,report,copy_group,copied_with,copy_evidence,percent,"
            "writeup_file,writeup_score,writeup_max,writeup_percent,writeup_status,writeup_reason,"
            "writeup_report");
  EXPECT_NE(
      csv.find(",100,ada/notes.md,40,80,50,fail,\"'=frame 5, ack\",reports/writeups/ada.txt\r\n"),
      std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",0,,0,0,0,missing,no write-up handed in,\r\n"), std::string::npos) << csv;
  for (GradeRow& row : rows) row.writeup.reset();
  EXPECT_EQ(gradebook_csv(rows).substr(0, gradebook_csv(rows).find("\r\n")),
            "id,file,score,max,status,reason,report,copy_group,copied_with,copy_evidence,percent");
}

TEST(GradebookWriteups, JsonRowsCarryAWriteupObject) {
  std::vector<GradeRow> rows = rows_with_writeups();
  nlohmann::json j = nlohmann::json::parse(gradebook_json("lab", rows, summarize(rows)));
  const nlohmann::json& w = j["submissions"][0]["writeup"];
  EXPECT_EQ(w["file"], "ada/notes.md");
  EXPECT_EQ(w["score"], 40);
  EXPECT_EQ(w["max"], 80);
  EXPECT_EQ(w["percent"], 50);
  EXPECT_EQ(w["status"], "fail");
  EXPECT_EQ(j["submissions"][1]["writeup"]["status"], "missing");
  EXPECT_EQ(j["summary"]["writeups"]["failed"], 1);
  EXPECT_EQ(j["summary"]["writeups"]["missing"], 1);
  EXPECT_EQ(j["summary"]["writeups"]["mean_percent"], 25);
  for (GradeRow& row : rows) row.writeup.reset();
  j = nlohmann::json::parse(gradebook_json("lab", rows, summarize(rows)));
  EXPECT_FALSE(j["submissions"][0].contains("writeup"));
  EXPECT_FALSE(j["summary"].contains("writeups"));
}

TEST(GradebookWriteups, LmsExportsGetAWriteupItemInPercent) {
  std::vector<GradeRow> rows = rows_with_writeups();
  LmsAssignment lab{"TCP lab", "5531", 14};
  std::string canvas = lms_export_csv(LmsFormat::canvas, lab, rows, nullptr);
  EXPECT_EQ(canvas.substr(0, canvas.find("\r\nada")),
            "Student,ID,SIS User ID,SIS Login ID,Section,TCP lab (5531),TCP lab write-up\r\n"
            "Points Possible,,,,,14,100");
  EXPECT_NE(canvas.find("ada,,ada,,,14,50\r\n"), std::string::npos) << canvas;
  EXPECT_NE(canvas.find("bob,,bob,,,0,0\r\n"), std::string::npos) << canvas;
  std::string moodle = lms_export_csv(LmsFormat::moodle, lab, rows, nullptr);
  EXPECT_EQ(moodle.substr(0, moodle.find("\r\n")),
            "ID number,Username,Email address,TCP lab,Feedback,TCP lab write-up,Write-up feedback");
  std::string blackboard = lms_export_csv(LmsFormat::blackboard, lab, rows, nullptr);
  EXPECT_NE(blackboard.find("\"ada\",\"\",\"14\",\"50\"\r\n"), std::string::npos) << blackboard;
  for (GradeRow& row : rows) row.writeup.reset();
  EXPECT_EQ(lms_export_csv(LmsFormat::canvas, lab, rows, nullptr).find("write-up"),
            std::string::npos);
}

TEST(GradebookWriteups, AShardFileKeepsTheWriteupCells) {
  std::vector<GradeRow> rows = rows_with_writeups();
  rows[0].writeup->reason = "bytes \xfe kept";
  ShardFile shard{{1, 1}, {"lab", 14, 2, "0"}, rows};
  std::filesystem::path path =
      std::filesystem::path(::testing::TempDir()) / "writeups-shard-1-of-1.json";
  std::ofstream(path, std::ios::binary) << shard_json(shard);
  ShardFile back = read_shard_file(path);
  ASSERT_EQ(back.rows.size(), 2u);
  ASSERT_TRUE(back.rows[0].writeup);
  EXPECT_EQ(back.rows[0].writeup->file, "ada/notes.md");
  EXPECT_EQ(back.rows[0].writeup->score, 40);
  EXPECT_EQ(back.rows[0].writeup->max, 80);
  EXPECT_EQ(back.rows[0].writeup->status, "fail");
  EXPECT_EQ(back.rows[0].writeup->reason, "bytes \xfe kept");
  EXPECT_EQ(back.rows[0].writeup->report, "reports/writeups/ada.txt");
  ASSERT_TRUE(back.rows[1].writeup);
  EXPECT_EQ(back.rows[1].writeup->status, "missing");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace tcpgrade
