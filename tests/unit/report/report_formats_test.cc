// Every report format on the lab document's reading of LEARN.pcap (17 of 19 points, two
// claims fail), parsed back where the format has a parser, and escaping of hostile strings.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "analysis/captured_conversation.h"
#include "check/capture_grader.h"
#include "report/report_render.h"
#include "scenario/scenario_loader.h"

namespace tcpgrade {
namespace {

const std::filesystem::path lab =
    std::filesystem::path(TCPGRADE_SOURCE_DIR) / "scenarios" / "http-lab";

Report document_report() {
  return check_capture(load_scenario((lab / "document.yaml").string()),
                       read_capture((lab / "LEARN.pcap").string()));
}

Report hostile_report() {
  Report report = document_report();
  report.capture_file = "<script>alert(1)</script>|`x`\x1b[2J.pcap";
  report.scenario_title = "<img src=x onerror=alert(1)>";
  report.claims[0].actual = "\"</code><script>bad()</script>";
  return report;
}

TEST(ReportFormats, JunitHasATestcasePerCheckAndFailureBodies) {
  pugi::xml_document xml;
  ASSERT_TRUE(xml.load_string(render_junit(document_report()).c_str()));
  pugi::xml_node suite = xml.child("testsuites").child("testsuite");
  EXPECT_EQ(suite.attribute("tests").as_int(), 52);
  EXPECT_EQ(suite.attribute("failures").as_int(), 2);
  int cases = 0, failures = 0;
  for (pugi::xml_node testcase : suite.children("testcase")) {
    ++cases;
    if (pugi::xml_node failure = testcase.child("failure")) {
      ++failures;
      EXPECT_NE(std::string(failure.child_value()).find("expected: "), std::string::npos);
    }
  }
  EXPECT_EQ(cases, 52);
  EXPECT_EQ(failures, 2);
  pugi::xml_node frame7 = suite.find_child_by_attribute(
      "testcase", "name", "claim about frame 7: phase [claim.frame7-phase]");
  ASSERT_TRUE(frame7);
  EXPECT_STREQ(frame7.child("failure").attribute("message").value(),
               "expected handshake, capture data");
}

TEST(ReportFormats, TapVersion14WithYamlDiagnostics) {
  std::string tap = render_tap(document_report());
  EXPECT_EQ(tap.rfind("TAP version 14\n", 0), 0u);
  EXPECT_NE(tap.find("\n1..52\n"), std::string::npos);
  EXPECT_NE(tap.find("\nnot ok 31 - claim about frame 7: phase [claim.frame7-phase]\n  ---\n"),
            std::string::npos);
  EXPECT_NE(tap.find("    expected: handshake\n    got: data\n"), std::string::npos);
  EXPECT_NE(tap.find("# points: 17 / 19\n"), std::string::npos);
}

TEST(ReportFormats, GradescopeResultsJson) {
  nlohmann::json results = nlohmann::json::parse(render_gradescope(document_report()));
  EXPECT_EQ(results["score"], 17);
  EXPECT_EQ(results["max_score"], 19);
  ASSERT_EQ(results["tests"].size(), 52u);
  for (const auto& test : results["tests"]) {
    for (const char* key : {"name", "number", "output", "visibility", "status"})
      EXPECT_TRUE(test[key].is_string()) << key;
    EXPECT_TRUE(test["score"].is_number());
    EXPECT_TRUE(test["max_score"].is_number());
  }
  nlohmann::json error = nlohmann::json::parse(render_gradescope_error("x.pcap: empty file", 14));
  EXPECT_EQ(error["score"], 0);
  EXPECT_EQ(error["max_score"], 14);
  EXPECT_EQ(error["tests"][0]["status"], "failed");
}

TEST(ReportFormats, MarkdownEscapesTableBreakersAndHtml) {
  std::string markdown = render_markdown(hostile_report());
  EXPECT_EQ(markdown.rfind("## ❌ FAIL tcpgrade: scenario document — 17 / 19 points\n", 0), 0u);
  EXPECT_NE(markdown.find("&lt;script&gt;alert(1)&lt;/script&gt;\\|\\`x\\`"), std::string::npos);
  EXPECT_EQ(markdown.find("<script>"), std::string::npos);
}

TEST(ReportFormats, HtmlIsSelfContainedAndEscaped) {
  std::string page = render_html(hostile_report());
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_EQ(page.find('\x1b'), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  // Nothing fetched: no links, images, stylesheets or scripts (the SVG namespace is a name).
  for (const char* fetch : {"<link", " src=\"", " href=\"http", "url(http", "@import"})
    EXPECT_EQ(page.find(fetch), std::string::npos) << fetch;
  EXPECT_NE(page.find("<svg"), std::string::npos);
}

}  // namespace
}  // namespace tcpgrade
