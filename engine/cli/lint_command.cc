// `tcpgrade lint SCENARIO...`: check scenario files. Every error and warning of every file goes
// to stderr as `file:line:col: message`, the source line and a caret; each good file gets one
// line on stdout with its maximum score. Exit 0 when all files are good (warnings or not), 2
// when any has an error; with --werror, 1 when none has an error but some have warnings.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/limit_options.h"
#include "report/report.h"
#include "scenario/diagnostic_format.h"
#include "scenario/scenario_lint_warnings.h"
#include "scenario/scenario_loader.h"
#include "util/small_file.h"
#include "util/terminal_text.h"

namespace tcpgrade::cli {
namespace {

struct LintOptions {
  std::vector<std::string> scenarios;
  LimitOptions limits;
  bool werror = false;
};

enum class Lint : uint8_t { good, warned, bad };

std::string count(size_t n, const char* noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

Lint lint_one(const std::string& path, const LimitOptions& limits, bool werror) {
  try {
    Scenario scenario =
        within_memory_limit(path, limits, [&] { return load_scenario(path, limits.scenario); });
    std::string reason;  // the file was read whole already: only the lines under warnings
    std::string text =
        read_small_file(path, limits.scenario.max_file_bytes, reason).value_or(std::string());
    std::vector<Diagnostic> warnings = scenario_warnings(scenario, text);
    std::string choices;
    for (const FrameChoice& choice : scenario.choices)
      choices += fmt::format(" + a choice of {}", count(choice.variants.size(), "variant"));
    double max = scenario_max_points(scenario);
    std::string per = scenario.conversation.select == Selection::each ||
                              scenario.conversation.select == Selection::all
                          ? " per connection"
                          : "";
    std::string verdict = werror && !warnings.empty()
                              ? fmt::format("{} (--werror)", count(warnings.size(), "warning"))
                          : warnings.empty()
                              ? std::string("ok")
                              : fmt::format("ok, {}", count(warnings.size(), "warning"));
    fmt::print("{}: {} ({}{}, {}, {}, max {} point{}{})\n", terminal_safe(path), verdict,
               count(scenario.frames.size(), "frame"), choices,
               count(scenario.streams.size(), "stream"), count(scenario.claims.size(), "claim"),
               format_points(max), format_points(max) == "1" ? "" : "s", per);
    if (!warnings.empty()) {
      std::fflush(stdout);
      for (const Diagnostic& warning : warnings)
        fmt::print(stderr, "{}", format_diagnostic(warning));
    }
    // The instructor reviews what `tcpgrade live --allow-commands` would run, in full.
    for (const ScenarioCommand& command : scenario_commands(scenario.live))
      fmt::print(
          "{}: note: live: {} shell command (run only by tcpgrade live --allow-commands): {}\n",
          terminal_safe(path), command.role, terminal_safe(command.command));
    return warnings.empty() ? Lint::good : Lint::warned;
  } catch (const ScenarioError& error) {
    std::fflush(stdout);  // keep stdout and stderr in order when both go to one terminal
    for (const Diagnostic& diagnostic : error.diagnostics())
      fmt::print(stderr, "{}", format_diagnostic(diagnostic));
    return Lint::bad;
  } catch (const LimitError& error) {  // out of memory: the next file may still load
    std::fflush(stdout);
    fmt::print(stderr, "{}\n", terminal_safe(error.what()));
    return Lint::bad;
  }
}

int run_lint(const LintOptions& options) {
  apply_memory_limit(options.limits);  // as check: a hostile scenario is an error, not an OOM
  bool bad = false, warned = false;
  for (const std::string& path : options.scenarios) {
    Lint result = lint_one(path, options.limits, options.werror);
    bad = bad || result == Lint::bad;
    warned = warned || result == Lint::warned;
  }
  if (bad) return exit_bad_input;
  return warned && options.werror ? exit_failed : exit_pass;
}

}  // namespace

Subcommand add_lint_command(CLI::App& app) {
  auto options = std::make_shared<LintOptions>();
  CLI::App* lint = app.add_subcommand(
      "lint",
      "Check scenario files: every error and warning as file:line:col with the source line, "
      "each good file's maximum score (exit 0 no error, 2 any error; --werror: 1 any warning)");
  lint->add_option("scenario", options->scenarios, "scenario YAML files")->required();
  lint->add_flag("--werror", options->werror,
                 "exit 1 when a file has warnings (and no errors): they fail like errors in CI");
  add_scenario_limit_options(lint, options->limits);
  add_memory_limit_option(lint, options->limits);
  return {lint, [options] { return run_lint(*options); }};
}

}  // namespace tcpgrade::cli
