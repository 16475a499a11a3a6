// `tcpgrade lint SCENARIO...`: check scenario files. Every error of every file goes to stderr
// as `file:line:col: message`, the source line and a caret; each good file gets one line on
// stdout. Exit 0 when all files are good, 2 when any is not.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/limit_options.h"
#include "scenario/diagnostic_format.h"
#include "scenario/scenario_loader.h"
#include "util/terminal_text.h"

namespace tcpgrade::cli {
namespace {

struct LintOptions {
  std::vector<std::string> scenarios;
  LimitOptions limits;
};

std::string count(size_t n, const char* noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

// True when the file is a valid scenario.
bool lint_one(const std::string& path, const LimitOptions& limits) {
  try {
    Scenario scenario =
        within_memory_limit(path, limits, [&] { return load_scenario(path, limits.scenario); });
    std::string choices;
    for (const FrameChoice& choice : scenario.choices)
      choices += fmt::format(" + a choice of {}", count(choice.variants.size(), "variant"));
    fmt::print("{}: ok ({}{}, {}, {})\n", terminal_safe(path),
               count(scenario.frames.size(), "frame"), choices,
               count(scenario.streams.size(), "stream"), count(scenario.claims.size(), "claim"));
    // The instructor reviews what `tcpgrade live --allow-commands` would run, in full.
    for (const ScenarioCommand& command : scenario_commands(scenario.live))
      fmt::print(
          "{}: note: live: {} shell command (run only by tcpgrade live --allow-commands): {}\n",
          terminal_safe(path), command.role, terminal_safe(command.command));
    return true;
  } catch (const ScenarioError& error) {
    std::fflush(stdout);  // keep stdout and stderr in order when both go to one terminal
    for (const Diagnostic& diagnostic : error.diagnostics())
      fmt::print(stderr, "{}", format_diagnostic(diagnostic));
    return false;
  } catch (const LimitError& error) {  // out of memory: the next file may still load
    std::fflush(stdout);
    fmt::print(stderr, "{}\n", terminal_safe(error.what()));
    return false;
  }
}

int run_lint(const LintOptions& options) {
  apply_memory_limit(options.limits);  // as check: a hostile scenario is an error, not an OOM
  bool all_good = true;
  for (const std::string& path : options.scenarios)
    all_good = lint_one(path, options.limits) && all_good;
  return all_good ? exit_pass : exit_bad_input;
}

}  // namespace

Subcommand add_lint_command(CLI::App& app) {
  auto options = std::make_shared<LintOptions>();
  CLI::App* lint = app.add_subcommand(
      "lint",
      "Check scenario files: every error as file:line:col with the source line (exit 0 "
      "all good, 2 any error)");
  lint->add_option("scenario", options->scenarios, "scenario YAML files")->required();
  add_scenario_limit_options(lint, options->limits);
  add_memory_limit_option(lint, options->limits);
  return {lint, [options] { return run_lint(*options); }};
}

}  // namespace tcpgrade::cli
