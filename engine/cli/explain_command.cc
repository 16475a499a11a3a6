// `tcpgrade explain CAPTURE`: the correct write-up of a capture, packet by packet, in the lab
// document's shape; with --scenario, in the scenario's frame ids and teaches: texts. Exit 0
// when written, 2 on a bad capture, scenario, stream or usage.
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>

#include "analysis/walkthrough.h"
#include "check/walkthrough_annotation.h"
#include "cli/commands.h"
#include "cli/limit_options.h"
#include "report/walkthrough_render.h"
#include "scenario/scenario_loader.h"
#include "util/deadline.h"
#include "util/output_sink.h"
#include "util/terminal_text.h"

namespace tcpgrade::cli {
namespace {

struct ExplainOptions {
  std::string capture;
  std::string scenario;
  std::string format = "markdown";
  std::string output;
  std::optional<uint32_t> stream;
  LimitOptions limits;
};

int run_explain(const ExplainOptions& options) {
  const LimitOptions& limits = options.limits;
  apply_memory_limit(limits);
  const std::string subject = options.capture == "-" ? "<stdin>" : options.capture;
  CheckDeadline deadline(limits.check_timeout_seconds,
                         error_at_deadline(check_timeout_message(subject, limits)));
  std::string rendered = within_memory_limit(subject, limits, [&] {
    std::optional<Scenario> scenario;
    if (!options.scenario.empty()) scenario = load_scenario(options.scenario, limits.scenario);
    WalkthroughInput input = read_walkthrough_input(options.capture, limits.capture);
    Walkthrough walkthrough = scenario ? explain_with_scenario(*scenario, input, options.stream)
                                       : build_walkthrough(input, options.stream);
    return render_walkthrough(walkthrough, options.format);
  });
  OutputSink sink(options.output);
  sink.write(rendered);
  sink.commit();
  return exit_pass;
}

}  // namespace

Subcommand add_explain_command(CLI::App& app) {
  auto options = std::make_shared<ExplainOptions>();
  CLI::App* explain = app.add_subcommand(
      "explain",
      "Write the correct per-packet walkthrough of a capture: flags, Seq/Ack relations, phases, "
      "payload (exit 0 written, 2 bad input)");
  explain->add_option("capture", options->capture, "pcap or pcapng file, or - for stdin")
      ->required();
  explain->add_option("--scenario", options->scenario,
                      "scenario YAML file: packets follow its frame ids and teaches: texts");
  explain->add_option("--format", options->format, "markdown (default), html or text")
      ->check(CLI::IsMember({"markdown", "html", "text"}));
  explain->add_option("-o,--output", options->output, "write to FILE instead of stdout");
  explain->add_option("--stream", options->stream,
                      "explain this TCP stream (tcp.stream); default: the first with a handshake");
  add_capture_limit_options(explain, options->limits);
  add_scenario_limit_options(explain, options->limits);
  add_check_timeout_option(explain, options->limits,
                           "seconds to load the scenario, read the capture and explain it");
  add_memory_limit_option(explain, options->limits);
  return {explain, [options] { return run_explain(*options); }};
}

}  // namespace tcpgrade::cli
