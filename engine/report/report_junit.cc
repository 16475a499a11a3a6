// JUnit XML, as GitLab, Jenkins and GitHub test reporters read it: one testcase per check,
// a failure element with the expected and captured values in its body.
#include <fmt/format.h>

#include <pugixml.hpp>
#include <string>

#include "report/report_limits.h"
#include "report/report_render.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

// XML 1.0 cannot carry most control characters, even escaped: they become '?'; bytes that are
// not UTF-8 become U+FFFD, so the document stays well-formed.
std::string xml_safe(const std::string& text) {
  std::string out = valid_utf8(text);
  for (char& c : out) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\t') c = '?';
  }
  return out;
}

std::string failure_body(const CheckResult& check) {
  std::string body = fmt::format("expected: {}\ncapture:  {}\n", check.expected, check.actual);
  if (!check.hint.empty()) body += fmt::format("why:      {}\n", check.hint);
  if (!check.root_cause.empty()) body += fmt::format("cause:    {}\n", check.root_cause);
  if (!check.teaches.empty()) body += fmt::format("teaches:  {}\n", check.teaches);
  if (!check.scenario_hint.empty()) body += fmt::format("hint:     {}\n", check.scenario_hint);
  return body;
}

}  // namespace

// Appends to a string; an allocation failure propagates (an ostringstream would swallow it and
// hand back the document cut short).
class StringWriter : public pugi::xml_writer {
 public:
  explicit StringWriter(std::string& out) : out_(out) {}
  void write(const void* data, size_t size) override {
    out_.append(static_cast<const char*>(data), size);
  }

 private:
  std::string& out_;
};

std::string render_junit(const Report& given) {
  const Report report = bounded_report(given);
  pugi::xml_document document;
  std::vector<const CheckResult*> checks = report.all_checks();
  // A conversation's checks left out are one testcase, failed when any of them failed.
  size_t summaries = 0, failed_summaries = 0, failed_left_out = 0;
  for (const ConversationResult& c : report.conversations) {
    summaries += c.checks_left_out > 0;
    failed_summaries += c.failed_checks_left_out > 0;
    failed_left_out += c.failed_checks_left_out;
  }
  size_t failures = report.failed_checks() - failed_left_out + failed_summaries +
                    (report.conversations.empty() ? 1 : 0);
  size_t tests = checks.size() + summaries + (report.conversations.empty() ? 1 : 0);

  pugi::xml_node suites = document.append_child("testsuites");
  suites.append_attribute("name") = "tcpgrade";
  suites.append_attribute("tests") = static_cast<unsigned long long>(tests);
  suites.append_attribute("failures") = static_cast<unsigned long long>(failures);
  pugi::xml_node suite = suites.append_child("testsuite");
  suite.append_attribute("name") =
      xml_safe(fmt::format("{} on {}", report.scenario, report.capture_file)).c_str();
  suite.append_attribute("tests") = static_cast<unsigned long long>(tests);
  suite.append_attribute("failures") = static_cast<unsigned long long>(failures);
  suite.append_attribute("errors") = 0;
  suite.append_attribute("skipped") = 0;
  pugi::xml_node properties = suite.append_child("properties");
  auto property = [&](const char* name, const std::string& value) {
    pugi::xml_node p = properties.append_child("property");
    p.append_attribute("name") = name;
    p.append_attribute("value") = xml_safe(value).c_str();
  };
  property("scenario", report.scenario);
  property("capture", report.capture_file);
  property("points",
           fmt::format("{} / {}", format_points(report.points), format_points(report.max_points)));
  property("verdict", report.passed() ? "pass" : "fail");

  std::string classname = "tcpgrade." + report.scenario;
  if (report.conversations.empty()) {
    pugi::xml_node testcase = suite.append_child("testcase");
    testcase.append_attribute("classname") = xml_safe(classname).c_str();
    testcase.append_attribute("name") = "capture: a connection to grade";
    pugi::xml_node failure = testcase.append_child("failure");
    failure.append_attribute("message") = "the capture holds no connection the scenario grades";
  }
  auto add_check = [&](const CheckResult& check) {
    pugi::xml_node testcase = suite.append_child("testcase");
    testcase.append_attribute("classname") = xml_safe(classname).c_str();
    testcase.append_attribute("name") =
        xml_safe(fmt::format("{} [{}]", check.name, check.id)).c_str();
    if (check.status == CheckStatus::pass) return;
    pugi::xml_node failure = testcase.append_child("failure");
    failure.append_attribute("message") =
        xml_safe(fmt::format("expected {}, capture {}", check.expected, check.actual)).c_str();
    failure.append_attribute("type") = to_string(check.status);
    failure.append_child(pugi::node_pcdata).set_value(xml_safe(failure_body(check)).c_str());
  };
  for (const ConversationResult& c : report.conversations) {
    for (const CheckResult& check : c.checks) add_check(check);
    if (!c.checks_left_out) continue;
    pugi::xml_node testcase = suite.append_child("testcase");
    testcase.append_attribute("classname") = xml_safe(classname).c_str();
    testcase.append_attribute("name") =
        xml_safe(fmt::format("stream {}: {}", c.stream, checks_left_out_text(c))).c_str();
    if (!c.failed_checks_left_out) continue;
    pugi::xml_node failure = testcase.append_child("failure");
    failure.append_attribute("message") = xml_safe(checks_left_out_text(c)).c_str();
    failure.append_attribute("type") = "fail";
  }
  for (const CheckResult& claim : report.claims) add_check(claim);
  std::string out_text;
  for (const RootCause& cause : report.root_causes)
    out_text += fmt::format("root cause [{}] {}: {}\n", cause.id, cause.title, cause.explanation);
  for (const std::string& warning : report.warnings) out_text += "warning: " + warning + "\n";
  if (!out_text.empty())
    suite.append_child("system-out")
        .append_child(pugi::node_pcdata)
        .set_value(xml_safe(out_text).c_str());

  std::string out;
  StringWriter writer(out);
  document.save(writer, "  ", pugi::format_default, pugi::encoding_utf8);  // with <?xml ...?>
  return out;
}

}  // namespace tcpgrade
