// `tcpgrade check SCENARIO CAPTURE`: grade a capture against a scenario and explain every
// mismatch. Exit 0 all checks passed, 1 some failed, 2 bad scenario, capture or usage.
#include <fmt/format.h>

#include <memory>
#include <optional>

#include "captured_conversation.h"
#include "check.h"
#include "conversation_spool.h"
#include "commands.h"
#include "output_sink.h"
#include "report_output.h"
#include "report_render.h"
#include "scenario_loader.h"
#include "streaming_check.h"

namespace tcpgrade::cli {
namespace {

struct CheckOptions {
  std::string scenario;
  std::string capture;
  ReportOutputOptions output;
};

int run_check(const CheckOptions& options) {
  Scenario scenario = load_scenario(options.scenario);
  Report report;
  // Scenarios that grade every connection are graded one connection at a time, so that a
  // capture of a busy server costs memory for the connections open at once only.
  std::optional<ConversationSpool> spool;
  try {
    if (can_check_streaming(scenario)) {
      spool.emplace(options.output);
      report = check_capture_streaming(scenario, options.capture, {}, [&](ConversationResult&& c) {
        spool->add(std::move(c));
      });
    } else {
      report = check_capture(scenario, read_capture(options.capture));
    }
  } catch (const std::exception& error) {
    // An autograder needs its results.json even for a file that is not a capture.
    if (options.output.format == "gradescope") {
      OutputSink sink(options.output.output);
      sink.write(render_gradescope_error(error.what(), scenario_max_points(scenario)));
      sink.commit();
    }
    throw;
  }
  bool passed = report.passed();
  if (spool) {
    spool->write(report);
  } else {
    write_report(report, options.output);
  }
  return passed ? exit_pass : exit_failed;
}

}  // namespace

Subcommand add_check_command(CLI::App& app) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* check = app.add_subcommand(
      "check", "Grade a capture against a scenario; explain every mismatch (exit 0 pass, 1 fail, "
               "2 bad input)");
  check->add_option("scenario", options->scenario, "scenario YAML file")->required();
  check->add_option("capture", options->capture, "pcap or pcapng file, or - for stdin")->required();
  add_report_output_options(check, options->output);
  return {check, [options] { return run_check(*options); }};
}

}  // namespace tcpgrade::cli
