// Gradebook cells a spreadsheet would run as formulas, report names that could leave their
// folder, and the class summary.
#include "grade/gradebook.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "grade/submissions.h"

namespace tcpgrade {
namespace {

TEST(Gradebook, FormulaCellsAreDefusedAndQuotedPerRfc4180) {
  EXPECT_EQ(csv_cell("alice"), "alice");
  EXPECT_EQ(csv_cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(csv_cell("+1"), "'+1");
  EXPECT_EQ(csv_cell("-2"), "'-2");
  EXPECT_EQ(csv_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_cell("\tx"), "'\tx");
  EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_cell("line\nbreak"), "\"line\nbreak\"");
}

// Control bytes are escaped once, by terminal_safe in gradebook_csv; csv_cell only quotes.
TEST(Gradebook, CsvShowsControlBytesEscapedOnce) {
  EXPECT_EQ(csv_cell("esc\x1b[31mred\x7f"), "esc\x1b[31mred\x7f");
  std::vector<GradeRow> rows = {
      {"esc\x1b[31mred\x7f",
       "a\\b.pcap",
       1,
       2,
       "fail",
       "line\nbreak, \"quoted\"",
       {},
       "reports/esc%1B.txt"},
      {"=1+1", "\tx.pcap", 0, 2, "error", "-x", {}, "reports/%3D1+1.txt"},
  };
  EXPECT_EQ(gradebook_csv(rows),
            "id,file,score,max,status,reason,report,copy_group,copied_with,copy_evidence,"
            "percent\r\n"
            "esc\\x1b[31mred\\x7f,a\\b.pcap,1,2,fail,\"line\\nbreak, \"\"quoted\"\"\","
            "reports/esc%1B.txt,,,,50\r\n"
            "'=1+1,\\tx.pcap,0,2,error,'-x,reports/%3D1+1.txt,,,,0\r\n");
}

TEST(Gradebook, ReportNamesStayInTheirFolder) {
  EXPECT_EQ(safe_file_name("alice"), "alice");
  EXPECT_EQ(safe_file_name("../../etc/passwd"),
            "%2E.%2F..%2Fetc%2Fpasswd");  // no slash, no leading dot
  EXPECT_EQ(safe_file_name(".."), "%2E.");
  EXPECT_EQ(safe_file_name(""), "%");
  EXPECT_EQ(safe_file_name("a\x1b[2Jb/c"), "a%1B%5B2Jb%2Fc");
  EXPECT_LE(safe_file_name(std::string(200, 'x')).size(), 81u);
}

// Ids that sanitising used to fold into one name keep names of their own.
TEST(Gradebook, ReportNamesNeverCollide) {
  EXPECT_EQ(safe_file_name("jörgen"), "j%C3%B6rgen");
  EXPECT_NE(safe_file_name("jörgen"), safe_file_name("jürgen"));
  EXPECT_NE(safe_file_name("h i"), safe_file_name("h_i"));
  EXPECT_EQ(safe_file_name("h_i"), "h_i");
  EXPECT_NE(safe_file_name("a%20b"), safe_file_name("a b"));
  std::string long_a(100, 'x'), long_b(100, 'x');
  long_b.back() = 'y';
  EXPECT_NE(safe_file_name(long_a), safe_file_name(long_b));
  std::string escapes(100, '\xff');  // cut at 64, never inside a %XX
  EXPECT_EQ(safe_file_name(escapes).find('%', 61), std::string::npos);
}

TEST(Gradebook, SummaryCountsHistogramAndCommonFailures) {
  std::vector<GradeRow> rows = {
      {"a", "a.pcap", 14, 14, "pass", "", {}, "reports/a.txt"},
      {"b",
       "b.pcap",
       7,
       14,
       "fail",
       "x",
       {"frame.syn.present", "stream.response-data"},
       "reports/b.txt"},
      {"c", "c.pcap", 0, 14, "fail", "y", {"frame.syn.present"}, "reports/c.txt"},
      {"d", "", 0, 14, "error", "no submission", {}, "reports/d.txt"},
  };
  ClassSummary summary = summarize(rows);
  EXPECT_EQ(summary.passed, 1u);
  EXPECT_EQ(summary.failed, 2u);
  EXPECT_EQ(summary.errors, 1u);
  EXPECT_EQ(summary.histogram[9], 1u);
  EXPECT_EQ(summary.histogram[5], 1u);
  EXPECT_EQ(summary.histogram[0], 2u);
  EXPECT_EQ(summary.mean, 37.5);  // every row counts: the error row as 0
  EXPECT_EQ(summary.max, 14);
  ASSERT_FALSE(summary.common_failures.empty());
  EXPECT_EQ(summary.common_failures[0], (std::pair<std::string, size_t>{"frame.syn.present", 2}));
  std::string csv = gradebook_csv(rows);
  EXPECT_EQ(csv.substr(0, csv.find('\n') + 1),
            "id,file,score,max,status,reason,report,copy_group,copied_with,copy_evidence,"
            "percent\r\n");
}

// Issue 18 item 8: U+FFFD made "\xff" and "\xfe" one id; each row names its report.
TEST(Gradebook, JsonEscapesBytesThatAreNotUtf8AndNamesEachReport) {
  std::vector<GradeRow> rows = {
      {"a\xff", "a\xff.pcap", 1, 2, "fail", "bad \xfe", {"frame.\xc3"}, "reports/a%FF.txt"},
      {"a\xfe", "a\xfe.pcap", 2, 2, "pass", "", {}, "reports/a%FE.txt"},
      {"j\xc3\xb6rgen", "j\xc3\xb6rgen.pcap", 2, 2, "pass", "", {}, "reports/j%C3%B6rgen.txt"},
  };
  nlohmann::json j = nlohmann::json::parse(gradebook_json("lab\xff", rows, summarize(rows)));
  EXPECT_EQ(j["scenario"], "lab\\xff");
  const nlohmann::json& s = j["submissions"];
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0]["id"], "a\\xff");
  EXPECT_EQ(s[0]["file"], "a\\xff.pcap");
  EXPECT_EQ(s[0]["reason"], "bad \\xfe");
  EXPECT_EQ(s[0]["failed_checks"][0], "frame.\\xc3");
  EXPECT_EQ(s[0]["report"], "reports/a%FF.txt");
  EXPECT_EQ(s[1]["id"], "a\\xfe");
  EXPECT_EQ(s[2]["id"], "j\xc3\xb6rgen");  // valid UTF-8 is kept as it is
  EXPECT_EQ(s[2]["report"], "reports/j%C3%B6rgen.txt");
  EXPECT_EQ(j["summary"]["common_failures"][0]["check"], "frame.\\xc3");
}

// Issue 19: copied captures get columns after `report`, fields in gradebook.json, a top-level
// copy_groups array and a section in the summary; a row in no group has empty cells.
TEST(Gradebook, CopyGroupsAppearInEveryGradebookFile) {
  std::vector<GradeRow> rows = {
      {"alice", "alice.pcap", 2, 2, "pass", "", {}, "reports/alice.txt"},
      {"bob", "bob.pcap", 2, 2, "pass", "", {}, "reports/bob.txt"},
      {"=carol", "carol.pcap", 1, 2, "fail", "", {}, "reports/%3Dcarol.txt"},
  };
  for (GradeRow* row : {&rows[0], &rows[2]}) row->copy_group = 1;
  rows[0].copied_with = {"=carol"};
  rows[2].copied_with = {"alice"};
  rows[0].copy_evidence = "byte-identical to =carol";
  rows[2].copy_evidence = "byte-identical to alice, \"really\"";
  std::vector<ClassCopyGroup> copies = {
      {1, {"alice", "=carol"}, {"=carol is byte-identical to alice"}}};

  EXPECT_EQ(gradebook_csv(rows),
            "id,file,score,max,status,reason,report,copy_group,copied_with,copy_evidence,"
            "percent\r\n"
            "alice,alice.pcap,2,2,pass,,reports/alice.txt,1,'=carol,byte-identical to =carol,"
            "100\r\n"
            "bob,bob.pcap,2,2,pass,,reports/bob.txt,,,,100\r\n"
            "'=carol,carol.pcap,1,2,fail,,reports/%3Dcarol.txt,1,alice,"
            "\"byte-identical to alice, \"\"really\"\"\",50\r\n");

  nlohmann::json j = nlohmann::json::parse(gradebook_json("lab", rows, summarize(rows), copies));
  EXPECT_EQ(j["submissions"][0]["copy_group"], 1);
  EXPECT_EQ(j["submissions"][0]["copied_with"], nlohmann::json({"=carol"}));
  EXPECT_EQ(j["submissions"][0]["copy_evidence"], "byte-identical to =carol");
  EXPECT_TRUE(j["submissions"][1]["copy_group"].is_null());
  EXPECT_TRUE(j["submissions"][1]["copied_with"].empty());
  ASSERT_EQ(j["copy_groups"].size(), 1u);
  EXPECT_EQ(j["copy_groups"][0]["group"], 1);
  EXPECT_EQ(j["copy_groups"][0]["ids"], nlohmann::json({"alice", "=carol"}));
  EXPECT_EQ(j["copy_groups"][0]["evidence"][0], "=carol is byte-identical to alice");
  EXPECT_EQ(j["summary"]["submissions"], 3);  // grades and statistics as before

  std::string text = gradebook_summary_text("lab", rows, summarize(rows), copies);
  EXPECT_NE(text.find("\nCopied captures (grades unchanged: the instructor decides):\n"
                      "  group 1: alice, =carol\n"
                      "    =carol is byte-identical to alice\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(gradebook_summary_text("lab", rows, summarize(rows)).find("Copied"), std::string::npos);
  EXPECT_TRUE(
      nlohmann::json::parse(gradebook_json("lab", rows, summarize(rows)))["copy_groups"].empty());
}

}  // namespace
}  // namespace tcpgrade

namespace tcpgrade {
namespace {

TEST(Submissions, OneStemTwiceIsNamedByTheWholeFileName) {
  namespace fs = std::filesystem;
  fs::path root = fs::path(::testing::TempDir()) / "same-stem-class";
  fs::remove_all(root);
  fs::create_directories(root / "bob");
  for (const char* name : {"alice.pcap", "alice.pcapng", "bob.pcap", "carol.pcap"})
    std::ofstream(root / name) << "x";
  std::ofstream(root / "bob" / "capture.pcap") << "x";
  std::vector<std::string> ids;
  for (const Submission& s : find_submissions(root.string())) ids.push_back(s.id);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"alice.pcap", "alice.pcapng", "bob", "bob.pcap", "carol"}));
  fs::remove_all(root);
}

}  // namespace
}  // namespace tcpgrade
