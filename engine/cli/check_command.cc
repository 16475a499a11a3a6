// `tcpgrade check SCENARIO CAPTURE`: grade a capture against a scenario and explain every
// mismatch. Exit 0 all checks passed, 1 some failed, 2 bad scenario, capture or usage.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>

#include "captured_conversation.h"
#include "check.h"
#include "commands.h"
#include "output_sink.h"
#include "report_render.h"
#include "scenario_loader.h"

namespace tcpgrade::cli {
namespace {

struct CheckOptions {
  std::string scenario;
  std::string capture;
  std::string format = "text";
  std::string color = "auto";
  std::string output;
};

bool use_color(const std::string& mode, const std::string& output) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return (output.empty() || output == "-") && ::isatty(STDOUT_FILENO);
}

int run_check(const CheckOptions& options) {
  Scenario scenario = load_scenario(options.scenario);
  Report report = check_capture(scenario, read_capture(options.capture));
  std::string text = options.format == "json"
                         ? render_json(report)
                         : render_text(report, {use_color(options.color, options.output)});
  OutputSink sink(options.output);
  sink.write(text);
  sink.commit();
  return report.passed() ? exit_pass : exit_failed;
}

}  // namespace

Subcommand add_check_command(CLI::App& app) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* check = app.add_subcommand(
      "check", "Grade a capture against a scenario; explain every mismatch (exit 0 pass, 1 fail, "
               "2 bad input)");
  check->add_option("scenario", options->scenario, "scenario YAML file")->required();
  check->add_option("capture", options->capture, "pcap or pcapng file, or - for stdin")->required();
  check->add_option("--format", options->format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  check->add_option("--color", options->color, "auto (terminal only, honours NO_COLOR), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  check->add_option("-o,--output", options->output, "write the report to FILE instead of stdout");
  return {check, [options] { return run_check(*options); }};
}

}  // namespace tcpgrade::cli
