// Issue 19: each LMS export checked against that LMS's documented grade import format:
// Canvas (Student, ID, SIS User ID, SIS Login ID, Section, then the assignment; a "Points
// Possible" row), Moodle (an identifier column to map, the grade column, Feedback), Blackboard
// Grade Center (Last Name, First Name, Username, ...; comma-delimited with every field quoted).
#include "grade/lms_export.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "grade/csv_records.h"

namespace tcpgrade {
namespace {

std::vector<GradeRow> class_rows() {
  return {
      {"ada", "ada.pcap", 14, 14, "pass", "", {}, "reports/ada.txt"},
      {"bob",
       "bob.pcap",
       10.5,
       14,
       "fail",
       "frame 7: ACK expected, got PSH,ACK",
       {},
       "reports/bob.txt"},
      {"cy",
       "",
       0,
       14,
       "missing",
       "no submission (on the roster, nothing handed in)",
       {},
       "reports/cy.txt"},
      {"=dan", "dan.txt", 0, 14, "error", "not a capture", {}, "reports/%3Ddan.txt"},
  };
}

Roster class_roster() {
  std::string path = (std::filesystem::path(::testing::TempDir()) / "lms-roster.csv").string();
  std::ofstream(path, std::ios::binary)
      << "id,first_name,last_name,email,username,sis_user_id,sis_login_id,canvas_id,section,"
         "idnumber\n"
         "ada,Ada,Lovelace,ada@uni.edu,alove,S1,ada.l,101,Lab A,N1\n"
         "bob,Bob,\"Byte, Jr\",bob@uni.edu,bbyte,S2,bob.b,102,Lab B,N2\n"
         "cy,Cy,Press,cy@uni.edu,cpress,S3,cy.p,103,Lab A,\n";
  return read_roster(path);
}

std::vector<std::vector<std::string>> parsed(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  for (CsvRecord& record : csv_records(csv)) rows.push_back(std::move(record.fields));
  return rows;
}

TEST(LmsExport, FormatsAreNamedAndEachHasItsFile) {
  EXPECT_EQ(lms_format_named("canvas"), LmsFormat::canvas);
  EXPECT_EQ(lms_format_named("moodle"), LmsFormat::moodle);
  EXPECT_EQ(lms_format_named("blackboard"), LmsFormat::blackboard);
  EXPECT_EQ(lms_format_named("Canvas"), std::nullopt);
  EXPECT_EQ(lms_file_name(LmsFormat::canvas), "canvas.csv");
  EXPECT_EQ(lms_file_name(LmsFormat::moodle), "moodle.csv");
  EXPECT_EQ(lms_file_name(LmsFormat::blackboard), "blackboard.csv");
}

TEST(LmsExport, CanvasHasItsColumnsAPointsPossibleRowAndOneRowPerStudent) {
  Roster roster = class_roster();
  std::string csv =
      lms_export_csv(LmsFormat::canvas, {"TCP lab", "5531", 14}, class_rows(), &roster);
  EXPECT_EQ(csv.substr(0, csv.find("\r\n", csv.find("\r\n") + 2) + 2),
            "Student,ID,SIS User ID,SIS Login ID,Section,TCP lab (5531)\r\n"
            "Points Possible,,,,,14\r\n");
  auto rows = parsed(csv);
  ASSERT_EQ(rows.size(), 2u + 4u);  // header, points possible, one per gradebook row
  for (const auto& row : rows) EXPECT_EQ(row.size(), 6u);
  EXPECT_EQ(rows[2],
            (std::vector<std::string>{"Lovelace, Ada", "101", "S1", "ada.l", "Lab A", "14"}));
  EXPECT_EQ(rows[3][0], "Byte, Jr, Bob");  // quoted in the file: it holds commas
  EXPECT_EQ(rows[3][5], "10.5");
  EXPECT_EQ(rows[4], (std::vector<std::string>{"Press, Cy", "103", "S3", "cy.p", "Lab A", "0"}));
  // Not on the roster: the gradebook's id, defused, as name and SIS User ID; 0 points.
  EXPECT_EQ(rows[5], (std::vector<std::string>{"'=dan", "", "'=dan", "", "", "0"}));
  EXPECT_EQ(csv.find("\n\n"), std::string::npos);
  EXPECT_EQ(csv.back(), '\n');
  // Without an assignment id, Canvas creates the assignment of that name.
  std::string fresh = lms_export_csv(LmsFormat::canvas, {"TCP lab", "", 14}, class_rows(), nullptr);
  EXPECT_EQ(fresh.substr(0, fresh.find("\r\n")),
            "Student,ID,SIS User ID,SIS Login ID,Section,TCP lab");
  EXPECT_EQ(parsed(fresh)[2], (std::vector<std::string>{"ada", "", "ada", "", "", "14"}));
}

TEST(LmsExport, MoodleHasIdentifierColumnsTheGradeAndFeedback) {
  Roster roster = class_roster();
  std::string csv = lms_export_csv(LmsFormat::moodle, {"TCP lab", "", 14}, class_rows(), &roster);
  auto rows = parsed(csv);
  ASSERT_EQ(rows.size(), 1u + 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"ID number", "Username", "Email address", "TCP lab",
                                               "Feedback"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"N1", "alove", "ada@uni.edu", "14", ""}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"N2", "bbyte", "bob@uni.edu", "10.5",
                                               "frame 7: ACK expected, got PSH,ACK"}));
  // No idnumber: the SIS user id stands in; the feedback says why the grade is 0.
  EXPECT_EQ(rows[3],
            (std::vector<std::string>{"S3", "cpress", "cy@uni.edu", "0",
                                      "no submission (on the roster, nothing handed in)"}));
  EXPECT_EQ(rows[4][1], "'=dan");
  for (const auto& row : rows) EXPECT_EQ(row.size(), 5u);
}

TEST(LmsExport, BlackboardQuotesEveryFieldAndNamesTheColumnById) {
  Roster roster = class_roster();
  std::string csv =
      lms_export_csv(LmsFormat::blackboard, {"TCP lab", "_4521_1", 14}, class_rows(), &roster);
  EXPECT_EQ(csv.substr(0, csv.find("\r\n") + 2),
            "\"Last Name\",\"First Name\",\"Username\",\"Student ID\","
            "\"TCP lab [Total Pts: 14 Score] |_4521_1\"\r\n");
  EXPECT_NE(csv.find("\r\n\"Lovelace\",\"Ada\",\"alove\",\"S1\",\"14\"\r\n"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\r\n\"Byte, Jr\",\"Bob\",\"bbyte\",\"S2\",\"10.5\"\r\n"), std::string::npos);
  auto rows = parsed(csv);
  ASSERT_EQ(rows.size(), 1u + 4u);
  EXPECT_EQ(rows[4], (std::vector<std::string>{"", "", "'=dan", "", "0"}));
  // Every field of every line is quoted: each line starts and ends with a quote.
  size_t start = 0;
  while (start < csv.size()) {
    size_t end = csv.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_EQ(csv[start], '"');
    EXPECT_EQ(csv[end - 1], '"');
    start = end + 2;
  }
  std::string fresh =
      lms_export_csv(LmsFormat::blackboard, {"TCP lab", "", 14}, class_rows(), nullptr);
  EXPECT_EQ(fresh.substr(0, fresh.find("\r\n")),
            "\"Last Name\",\"First Name\",\"Username\",\"Student ID\",\"TCP lab\"");
}

}  // namespace
}  // namespace tcpgrade
