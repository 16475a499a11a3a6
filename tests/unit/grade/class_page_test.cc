// The class page (summary.html): escaped student ids, links that name the report files, one bar
// per score bin, charts of the common failures and root causes, nothing fetched.
#include "grade/class_page.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "grade/submissions.h"

namespace tcpgrade {
namespace {

namespace fs = std::filesystem;

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

GradeRow row(const std::string& id, double score, const std::string& status) {
  GradeRow r;
  r.id = id;
  r.score = score;
  r.max = 14;
  r.status = status;
  r.report = "reports/" + safe_file_name(id) + ".txt";
  if (status != "pass") r.failed_checks = {"frame.syn.flags"};
  return r;
}

TEST(ClassPage, EscapesHostileIdsAndLinksEachReport) {
  std::vector<GradeRow> rows = {row("<script>alert(1)</script>", 14, "pass"),
                                row("jörgen", 7, "fail"), row("a\"b' onclick=x", 0, "error")};
  rows[2].reason = "<img src=x onerror=alert(2)>";
  ClassSummary summary = summarize(rows);
  std::vector<ClassCopyGroup> copies = {{1, {"<b>x</b>", "jörgen"}, {"same ISN <i>"}}};
  std::string page = class_page_html({"lab<1>", rows, summary, copies, {{"<u>cause</u>", 2}}});
  for (const char* raw : {"<script>alert", "<img", "<b>x", "<i>", "<u>", "lab<1>", "\" onclick"})
    EXPECT_EQ(page.find(raw), std::string::npos) << raw;
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("&lt;u&gt;cause&lt;/u&gt;"), std::string::npos);
  // The file is reports/j%C3%B6rgen.html: its link encodes the '%' so the browser finds it.
  EXPECT_NE(page.find("href=\"reports/j%25C3%25B6rgen.html\""), std::string::npos);
  EXPECT_EQ(count(page, "<tr><td>"), 3u);
  // Only the page's own script; nothing fetched.
  EXPECT_EQ(count(page, "<script"), 1u);
  for (const char* fetch : {"<link", " src=\"", "href=\"http", "url(", "@import"})
    EXPECT_EQ(page.find(fetch), std::string::npos) << fetch;
}

TEST(ClassPage, DrawsOneBarPerScoreBinAndTheCommonFailures) {
  std::vector<GradeRow> rows = {row("a", 14, "pass"), row("b", 14, "pass"), row("c", 7, "fail"),
                                row("d", 0, "error")};
  ClassSummary summary = summarize(rows);
  std::string page = class_page_html({"lab", rows, summary, {}, {}});
  EXPECT_EQ(count(page, "<rect class=\"bin\""), 10u);
  EXPECT_NE(page.find("data-bin=\"90–100\" data-count=\"2\""), std::string::npos);
  EXPECT_NE(page.find("data-bin=\"50–59\" data-count=\"1\""), std::string::npos);
  EXPECT_NE(page.find("data-bin=\"0–9\" data-count=\"1\""), std::string::npos);
  EXPECT_EQ(count(page, "<rect class=\"bar\""), 1u);  // frame.syn.flags, failed by c and d
  EXPECT_NE(page.find("<title>frame.syn.flags: 2</title>"), std::string::npos);
  EXPECT_NE(page.find("id=\"root-causes\" class=\"muted\">none"), std::string::npos);
  EXPECT_NE(page.find("id=\"copy-groups\" class=\"muted\""), std::string::npos);
}

// Every student counts: the totals name the missing, and the mean counts them as 0.
TEST(ClassPage, TotalsCountMissingStudents) {
  std::vector<GradeRow> rows = {row("a", 14, "pass"), row("b", 0, "missing")};
  ClassSummary summary = summarize(rows);
  std::string page = class_page_html({"lab", rows, summary, {}, {}});
  EXPECT_NE(page.find("0 not graded</span>, 1 missing.</p>"), std::string::npos);
  EXPECT_NE(page.find("<p id=\"mean\">mean 50 % over 2 submissions, 0 ungradable counted as 0, 1 "
                      "missing counted as 0</p>"),
            std::string::npos);
}

TEST(ClassPage, LinksEncodeEveryByteAFileNameMayNotKeep) {
  EXPECT_EQ(link_to("reports/a-b_c.1.html"), "reports/a-b_c.1.html");
  EXPECT_EQ(link_to("reports/%2E.%2Fx.html"), "reports/%252E.%252Fx.html");
  EXPECT_EQ(link_to("a b#?\"<"), "a%20b%23%3F%22%3C");
}

TEST(ClassPage, CountsEachRootCauseOncePerStudentFromTheJsonReports) {
  std::string pattern = ::testing::TempDir() + "/class_page_test.XXXXXX";
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  fs::path out = pattern;
  fs::create_directories(out / "reports");
  std::vector<GradeRow> rows = {row("a", 0, "fail"), row("b", 0, "fail"), row("c", 0, "error")};
  std::ofstream(out / "reports/a.json")
      << R"({"root_causes": [{"id": "x", "title": "Port"}, {"id": "x", "title": "Port"}]})";
  std::ofstream(out / "reports/b.json")
      << R"({"root_causes": [{"id": "x", "title": "Port"}, {"id": "y", "title": "Late"}]})";
  std::ofstream(out / "reports/c.json") << "not json";
  auto causes = count_root_causes(out, rows);
  ASSERT_EQ(causes.size(), 2u);
  EXPECT_EQ(causes[0], (std::pair<std::string, size_t>{"Port", 2}));
  EXPECT_EQ(causes[1], (std::pair<std::string, size_t>{"Late", 1}));
  fs::remove_all(out);
}

}  // namespace
}  // namespace tcpgrade
