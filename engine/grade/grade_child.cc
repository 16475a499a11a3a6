#include "grade/grade_child.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "analysis/captured_conversation.h"
#include "check/grade_capture.h"
#include "grade/capture_print_json.h"
#include "grade/child_result.h"
#include "grade/file_hash.h"
#include "grade/grade_reports.h"
#include "grade/report_cap.h"
#include "scenario/root_cause_ids.h"
#include "util/child_process.h"
#include "util/deadline.h"
#include "util/output_sink.h"

namespace tcpgrade {
namespace {

// A capture of another student's lab variant: its server port is their lab's, not this
// student's. The wrong-port finding becomes one that names whose lab it is.
void name_another_students_lab(Report& report, const Scenario& scenario, const Submission& s,
                               const std::map<uint16_t, std::vector<std::string>>& owners) {
  auto wrong = std::find_if(report.root_causes.begin(), report.root_causes.end(),
                            [](const RootCause& c) { return c.id == root_cause::wrong_port; });
  if (wrong == report.root_causes.end() || report.conversations.empty() ||
      !scenario.conversation.server_port)
    return;
  const std::string& server = report.conversations.front().server;
  size_t colon = server.rfind(':');
  if (colon == std::string::npos) return;
  int port = 0;
  for (char c : server.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) return;
    port = port * 10 + (c - '0');
  }
  auto found = owners.find(static_cast<uint16_t>(port));
  if (found == owners.end()) return;
  std::vector<std::string> others;
  for (const std::string& id : found->second)
    if (id != s.id) others.push_back(id);
  if (others.empty()) return;
  const size_t shown = std::min<size_t>(others.size(), 5);
  std::string whose =
      fmt::format("{}{}", fmt::join(others.begin(), others.begin() + shown, ", "),
                  others.size() > shown ? fmt::format(" and {} more", others.size() - shown) : "");
  RootCause cause{root_cause::another_students_lab, "The capture is another student's lab",
                  fmt::format("The capture's connection is to server port {}, the port of {}'s "
                              "lab variant; {}'s lab uses port {}. This capture was made for "
                              "another student's variant (handed over, or made from their "
                              "instructions): make the capture of your own lab, as `tcpgrade "
                              "variant` gives it to you.",
                              port, whose, s.id, *scenario.conversation.server_port)};
  *wrong = std::move(cause);
  for (ConversationResult& conversation : report.conversations)
    for (CheckResult& check : conversation.checks)
      if (check.root_cause == root_cause::wrong_port)
        check.root_cause = root_cause::another_students_lab;
}

}  // namespace

[[noreturn]] void grade_child(const Scenario& scenario,
                              const std::vector<ScenarioVariant>& variants, const Submission& s,
                              int capture, const std::filesystem::path& reports,
                              const GradingLimits& limits, size_t max_report_bytes, bool brief,
                              const std::map<uint16_t, std::vector<std::string>>* port_owners) {
  default_interrupts();  // the parent's handlers are for the batch
  apply_memory_limit(limits);
  nlohmann::ordered_json j;
  std::string hash;  // copy detection: byte-identical files, captures or not
  std::optional<CapturePrint> print;
  try {
    // Past the deadline the child writes this error row to stdout ("-") itself and exits.
    nlohmann::ordered_json late = {{"status", "error"},
                                   {"reason", one_line(check_timeout_message(s.file, limits))}};
    std::optional<CheckDeadline> deadline;
    deadline.emplace(
        limits.check_timeout_seconds,
        DeadlineExpiry{.write_to = "-", .file_contents = one_line_json(late), .exit_code = 0});
    hash = file_hash(capture);
    // Never freed: the child _exits right after, and tearing the report down would be wasted
    // work for each submission.
    // Filled once the capture is read; a file that is no capture leaves it empty.
    CapturePrint& printed = print.emplace();
    Report& report = *new Report(grade_capture({.scenario = scenario,
                                                .limits = limits,
                                                .capture = s.file,
                                                .capture_fd = capture,
                                                .variants = &variants,
                                                .print = &printed}));
    if (port_owners) name_another_students_lab(report, scenario, s, *port_owners);
    if (!scenario.params.empty()) {  // which lab variant this student was graded on
      std::string values;
      for (const ScenarioParam& p : scenario.params)
        values += fmt::format("{}{}={}", values.empty() ? "" : ", ", p.name, p.value);
      report.notes.push_back(fmt::format("graded on {}'s lab variant: {}", s.id, values));
    }
    // Rendering runs under the deadline and the memory cap too (std::bad_alloc is caught
    // below); the files are written only once all three are whole.
    RenderedReports& rendered = *new RenderedReports(render_reports(report, brief));
    cap_reports(rendered, report, max_report_bytes);
    deadline.reset();
    write_reports(reports, s, rendered);
    std::vector<std::string> failed = failed_check_ids(report);
    j = {{"status", report.passed() ? "pass" : "fail"},
         {"score", report.points},
         {"max", report.max_points},
         {"reason", one_line(first_reason(report))},
         {"failed_checks", failed}};
  } catch (const OutputError& error) {  // the disk, not the submission: grade stops
    j = {{"status", "fatal"}, {"reason", one_line(error.what())}};
  } catch (const std::bad_alloc&) {
    j = {{"status", "error"}, {"reason", one_line(out_of_memory_message(s.file, limits))}};
  } catch (const std::exception& error) {
    j = {{"status", "error"}, {"reason", one_line(error.what())}};
  }
  try {  // beside any status: a capture that could not be graded may still be a copy
    if (!hash.empty()) j["file_hash"] = hash;
    if (print && !print->conversations.empty()) j["print"] = capture_print_json(*print);
  } catch (...) {
  }
  exit_with_result(j);
}

}  // namespace tcpgrade
