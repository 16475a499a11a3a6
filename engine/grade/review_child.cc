#include "grade/review_child.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>

#include "analysis/captured_conversation.h"
#include "check/writeup_review.h"
#include "grade/child_result.h"
#include "grade/grade_child.h"
#include "grade/grade_reports.h"
#include "grade/report_cap.h"
#include "util/child_process.h"
#include "util/deadline.h"
#include "util/output_sink.h"

namespace tcpgrade {
namespace {

// The write-up's bytes, at most `limit` (open_submission refused a larger file; one that grew
// meanwhile is cut here and the reader says it is too large).
std::string read_bounded(int fd, size_t limit) {
  std::string text;
  char buffer[65536];
  while (text.size() <= limit) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw WriteupError(fmt::format("cannot read the write-up: {}", std::strerror(errno)));
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  if (text.size() > limit)
    throw WriteupError(fmt::format("the write-up is over {} bytes: not read", limit));
  return text;
}

}  // namespace

std::string writeup_report_path(const Submission& s) {
  return fmt::format("reports/{}/{}.txt", writeup_reports_folder, s.safe_name);
}

size_t max_writeup_bytes() { return WriteupLimits{}.max_bytes; }

[[noreturn]] void review_child(const Scenario& scenario, const Submission& s, int capture,
                               int writeup, const std::filesystem::path& reports,
                               const GradingLimits& limits, size_t max_report_bytes, bool brief) {
  default_interrupts();  // the parent's handlers are for the batch
  apply_memory_limit(limits);
  nlohmann::ordered_json j;
  try {
    nlohmann::ordered_json late = {
        {"status", "error"}, {"reason", one_line(check_timeout_message(s.writeup_file, limits))}};
    std::optional<CheckDeadline> deadline;
    deadline.emplace(
        limits.check_timeout_seconds,
        DeadlineExpiry{.write_to = "-", .file_contents = one_line_json(late), .exit_code = 0});
    std::string text = read_bounded(writeup, max_writeup_bytes());
    // Never freed: the child _exits right after.
    Report& report = *new Report(review_writeup(
        text, s.writeup_file, read_capture(capture, s.file, limits.capture), &scenario));
    RenderedReports& rendered = *new RenderedReports(render_reports(report, brief));
    cap_reports(rendered, report, max_report_bytes);
    deadline.reset();
    write_reports(reports / writeup_reports_folder, s, rendered);
    j = {{"status", report.passed() ? "pass" : "fail"},
         {"score", report.points},
         {"max", report.max_points},
         {"reason", one_line(first_writeup_reason(report))},
         {"failed_checks", failed_check_ids(report)}};
  } catch (const OutputError& error) {  // the disk, not the write-up: grade stops
    j = {{"status", "fatal"}, {"reason", one_line(error.what())}};
  } catch (const std::bad_alloc&) {
    j = {{"status", "error"}, {"reason", one_line(out_of_memory_message(s.writeup_file, limits))}};
  } catch (const std::exception& error) {
    j = {{"status", "error"}, {"reason", one_line(error.what())}};
  }
  exit_with_result(j);
}

}  // namespace tcpgrade
