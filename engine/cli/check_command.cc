// `tcpgrade check SCENARIO CAPTURE`: grade a capture against a scenario and explain every
// mismatch. Exit 0 all checks passed, 1 some failed, 2 bad scenario, capture or usage.
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>

#include "analysis/captured_conversation.h"
#include "check/grade_capture.h"
#include "cli/commands.h"
#include "cli/conversation_spool.h"
#include "cli/limit_options.h"
#include "cli/report_output.h"
#include "cli/variant_options.h"
#include "grade/submissions.h"
#include "report/points_scale.h"
#include "report/report_render.h"
#include "scenario/scenario_loader.h"
#include "util/deadline.h"
#include "util/output_sink.h"
#include "util/terminal_text.h"

namespace tcpgrade::cli {
namespace {

struct CheckOptions {
  std::string scenario;
  std::string capture;
  ReportOutputOptions output;
  LimitOptions limits;
  VariantOptions variant;
  double points = 0;  // 0: the scenario's own maximum
};

// A folder is one student's hand-in (an autograder's submission folder): its capture is chosen
// as `grade` chooses in a student's folder, and a folder without exactly one is an error that
// names what it holds.
std::string capture_in(const std::string& capture) {
  std::error_code error;
  if (capture == "-" || !std::filesystem::is_directory(capture, error)) return capture;
  Submission s = find_folder_submission(capture);
  if (!s.problem.empty()) throw std::runtime_error(fmt::format("{}: {}", capture, s.problem));
  return s.file;
}

int run_check(const CheckOptions& options) {
  const LimitOptions& limits = options.limits;
  apply_memory_limit(limits);
  std::string subject = options.capture == "-" ? "<stdin>" : options.capture;
  DeadlineExpiry expiry = error_at_deadline(check_timeout_message(subject, limits));
  std::optional<CheckDeadline> deadline;
  deadline.emplace(limits.check_timeout_seconds, expiry);
  Scenario scenario = within_memory_limit(options.scenario, limits, [&] {
    return load_variant_scenario(options.scenario, limits.scenario, options.variant);
  });
  const double max_points = options.points ? options.points : scenario_max_points(scenario);
  if (options.output.format == "gradescope") {  // an autograder needs its results.json
    expiry.write_to = options.output.output.empty() ? "-" : options.output.output;
    expiry.file_contents =
        render_gradescope_error(check_timeout_message(subject, limits), max_points);
    deadline->update(std::move(expiry));
  }
  Report report;
  // Scenarios that grade every connection are graded one connection at a time, so that a
  // capture of a busy server costs memory for the connections open at once only.
  std::optional<ConversationSpool> spool;
  std::string rendered;
  bool passed = false;
  try {
    ConversationSink to_spool;
    StreamsDoneSink spool_in_order;
    if (can_check_streaming(scenario) && !options.points) {
      spool.emplace(options.output);
      to_spool = [&](ConversationResult&& c) { spool->add(std::move(c)); };
      spool_in_order = [&](uint32_t lowest) { spool->streams_done(lowest); };
    }
    const std::string capture = capture_in(options.capture);
    report = grade_capture({.scenario = scenario,
                            .limits = limits,
                            .capture = capture,
                            .subject = capture == options.capture ? subject : capture,
                            .on_conversation = spool ? &to_spool : nullptr,
                            .on_streams_done = spool ? &spool_in_order : nullptr,
                            .detail = spool ? spool->detail() : CheckDetail::all});
    passed = report.passed();
    if (options.points) scale_points(report, options.points);
    // Rendering runs under the same memory cap and deadline as grading; the report is written
    // only once it is whole, so the deadline never cuts it.
    if (spool)
      within_memory_limit(subject, limits, [&] { spool->render(report); });
    else
      rendered = render_report_output(report, options.output, subject, limits);
  } catch (const std::exception& error) {
    // An autograder needs its results.json even for a file that is not a capture.
    if (options.output.format == "gradescope") {
      deadline.reset();
      rendered.clear();
      report = Report{};
      OutputSink sink(options.output.output);
      sink.write(render_gradescope_error(error.what(), max_points));
      sink.commit();
    }
    throw;
  }
  deadline.reset();
  if (spool)
    spool->write();
  else
    write_rendered(rendered, options.output);
  return passed ? exit_pass : exit_failed;
}

}  // namespace

Subcommand add_check_command(CLI::App& app) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* check = app.add_subcommand(
      "check",
      "Grade a capture against a scenario; explain every mismatch (exit 0 pass, 1 fail, "
      "2 bad input)");
  check->add_option("scenario", options->scenario, "scenario YAML file")->required();
  check
      ->add_option("capture", options->capture,
                   "pcap or pcapng file, - for stdin, or a student's folder (its one capture, "
                   "chosen as grade chooses)")
      ->required();
  check
      ->add_option("--points", options->points,
                   "score out of this many points instead of the scenario's maximum (an "
                   "autograder assignment's worth)")
      ->check(finite_range(0.001, 1e6));
  add_report_output_options(check, options->output);
  add_capture_limit_options(check, options->limits);
  add_scenario_limit_options(check, options->limits);
  add_check_timeout_option(check, options->limits);
  add_memory_limit_option(check, options->limits);
  add_variant_options(check, options->variant);
  return {check, [options] { return run_check(*options); }};
}

}  // namespace tcpgrade::cli
