// grade --roster: columns found by name, every bad roster an error naming the file and line.
#include "grade/roster.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace tcpgrade {
namespace {

namespace fs = std::filesystem;

std::string roster_file(const std::string& name, const std::string& text) {
  fs::path path = fs::path(::testing::TempDir()) / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

std::string error_of(const std::string& path) {
  try {
    read_roster(path);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "no error";
}

TEST(Roster, ColumnsAreFoundByNameInAnyOrderAndSpelling) {
  std::string path = roster_file(
      "roster-columns.csv",
      "\xef\xbb\xbf"
      "Email Address,Last Name,first_name,ID,SIS User ID,sis-login-id,Section,file,Canvas ID,"
      "ID number,Username\r\n"
      "ada@uni.edu,\"Lovelace, Countess\",Ada,ada,S001,ada.l,Lab A,ada.pcap,42,N-1,alovelace\r\n"
      "\r\n"
      "bob@uni.edu,Byte,Bob,bob,,,,,,,\r\n");
  Roster roster = read_roster(path);
  ASSERT_EQ(roster.students.size(), 2u);
  EXPECT_EQ(roster.ids(), (std::vector<std::string>{"ada", "bob"}));
  const RosterStudent* ada = roster.find("ada");
  ASSERT_NE(ada, nullptr);
  EXPECT_EQ(ada->email, "ada@uni.edu");
  EXPECT_EQ(ada->last_name, "Lovelace, Countess");
  EXPECT_EQ(ada->first_name, "Ada");
  EXPECT_EQ(ada->sis_user_id, "S001");
  EXPECT_EQ(ada->sis_login_id, "ada.l");
  EXPECT_EQ(ada->section, "Lab A");
  EXPECT_EQ(ada->canvas_id, "42");
  EXPECT_EQ(ada->idnumber, "N-1");
  EXPECT_EQ(ada->username, "alovelace");
  EXPECT_EQ(roster.find("bob")->sis_user_id, "");
  EXPECT_EQ(roster.find("carol"), nullptr);
}

TEST(Roster, ABadRosterIsAnErrorNamingTheFileAndLine) {
  std::string none = roster_file("roster-no-id.csv", "name,email\nAda,ada@uni.edu\n");
  EXPECT_EQ(error_of(none),
            none + ": the roster's first line names no id column (id,name,email,...)");
  std::string twice = roster_file("roster-twice.csv", "id,name\nada,Ada\n\nbob,Bob\nada,Ada L\n");
  EXPECT_EQ(error_of(twice), twice + ": the roster's line 5 lists ada again (line 2)");
  std::string blank = roster_file("roster-blank.csv", "id,name\n,Nobody\n");
  EXPECT_EQ(error_of(blank), blank + ": the roster's line 2 names no student id");
  std::string empty = roster_file("roster-empty.csv", "");
  EXPECT_EQ(error_of(empty), empty + ": the roster is empty");
  std::string absent = (fs::path(::testing::TempDir()) / "no-such-roster.csv").string();
  EXPECT_EQ(error_of(absent), absent + ": cannot read the roster");
}

}  // namespace
}  // namespace tcpgrade
