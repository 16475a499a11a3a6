// `tcpgrade review WRITEUP CAPTURE`: grade a student's write-up (Markdown or plain text, one
// section per packet) against the capture it describes. Exit 0 every checked statement holds,
// 1 some do not, 2 an unreadable write-up, capture or scenario, or bad usage.
#include <fmt/format.h>
#include <sys/stat.h>

#include <memory>
#include <optional>
#include <string>

#include "analysis/captured_conversation.h"
#include "check/writeup_review.h"
#include "cli/commands.h"
#include "cli/limit_options.h"
#include "cli/report_output.h"
#include "scenario/scenario_loader.h"
#include "util/deadline.h"
#include "util/small_file.h"

namespace tcpgrade::cli {
namespace {

struct ReviewOptions {
  std::string writeup;
  std::string capture;
  std::string scenario;
  size_t max_writeup_bytes = WriteupLimits{}.max_bytes;
  ReportOutputOptions output;
  LimitOptions limits;
};

std::string read_writeup_file(const std::string& path, size_t limit) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
      static_cast<size_t>(info.st_size) > limit)
    throw WriteupError(
        fmt::format("{}: the write-up is {} bytes, more than {} (limit "
                    "--max-writeup-bytes)",
                    path, info.st_size, limit));
  std::string reason;
  std::optional<std::string> text = read_small_file(path, limit + 1, reason);
  if (!text) throw WriteupError(fmt::format("{}: cannot read the write-up: {}", path, reason));
  return *text;
}

int run_review(const ReviewOptions& options) {
  const LimitOptions& limits = options.limits;
  apply_memory_limit(limits);
  const std::string subject = options.capture;
  std::optional<CheckDeadline> deadline;
  deadline.emplace(limits.check_timeout_seconds,
                   error_at_deadline(check_timeout_message(subject, limits)));
  bool passed = false;
  std::string rendered = within_memory_limit(subject, limits, [&] {
    std::optional<Scenario> scenario;
    if (!options.scenario.empty()) scenario = load_scenario(options.scenario, limits.scenario);
    std::string text = read_writeup_file(options.writeup, options.max_writeup_bytes);
    WriteupLimits writeup_limits;
    writeup_limits.max_bytes = options.max_writeup_bytes;
    Report report =
        review_writeup(text, options.writeup, read_capture(options.capture, limits.capture),
                       scenario ? &*scenario : nullptr, writeup_limits);
    passed = report.passed();
    return render_report_output(report, options.output, subject, limits);
  });
  deadline.reset();
  write_rendered(rendered, options.output);
  return passed ? exit_pass : exit_failed;
}

}  // namespace

Subcommand add_review_command(CLI::App& app) {
  auto options = std::make_shared<ReviewOptions>();
  CLI::App* review = app.add_subcommand(
      "review",
      "Grade a write-up (Markdown or text, a section per packet) against its capture: every "
      "checkable statement, the rest listed as not checked (exit 0 pass, 1 fail, 2 bad input)");
  review->add_option("writeup", options->writeup, "the write-up: Markdown or plain text")
      ->required();
  review->add_option("capture", options->capture, "the pcap or pcapng file it describes")
      ->required();
  review->add_option("--scenario", options->scenario,
                     "scenario YAML file: its conversation: chooses the connection");
  review
      ->add_option("--max-writeup-bytes", options->max_writeup_bytes,
                   "largest write-up read (default 4 MiB)")
      ->check(CLI::Range(size_t{1}, size_t{1} << 30));
  add_report_output_options(review, options->output);
  add_capture_limit_options(review, options->limits);
  add_scenario_limit_options(review, options->limits);
  add_check_timeout_option(review, options->limits,
                           "seconds to read the write-up and the capture and review them");
  add_memory_limit_option(review, options->limits);
  return {review, [options] { return run_review(*options); }};
}

}  // namespace tcpgrade::cli
