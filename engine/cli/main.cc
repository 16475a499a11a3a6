// tcpgrade: a thin command line over the engine. Parses, dispatches to one subcommand, and
// turns errors into a one-line message and exit code 2.
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <vector>

#include "cli/commands.h"
#include "scenario/scenario_loader.h"
#include "util/terminal_text.h"

int main(int argc, char** argv) {
  using namespace tcpgrade::cli;
  CLI::App app{
      "tcpgrade: check TCP captures against scenarios and explain every mismatch.\n"
      "Exit codes: 0 pass, 1 checks failed, 2 bad input or usage."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "tcpgrade 0.1.0");
  std::vector<Subcommand> subcommands = {add_dump_command(app), add_check_command(app),
                                         add_lint_command(app), add_record_command(app),
                                         add_live_command(app), add_grade_command(app),
                                         add_test_command(app), add_explain_command(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? exit_pass : exit_bad_input;
  }
  try {
    for (const Subcommand& subcommand : subcommands)
      if (subcommand.app->parsed()) return subcommand.run();
  } catch (const tcpgrade::ScenarioError& error) {
    // One line, as for every bad input; lint is the tool that lists them all with carets.
    std::fflush(stdout);
    size_t more = error.diagnostics().empty() ? 0 : error.diagnostics().size() - 1;
    fmt::print(stderr, "tcpgrade: error: {}{}\n", tcpgrade::terminal_safe(error.what()),
               more ? fmt::format(" (and {} more; `tcpgrade lint` lists them all)", more) : "");
    return exit_bad_input;
  } catch (const std::exception& error) {
    std::fflush(stdout);
    // File names and library messages inside may hold anything: printed, they stay one line.
    fmt::print(stderr, "tcpgrade: error: {}\n", tcpgrade::terminal_safe(error.what()));
    return exit_bad_input;
  }
  return exit_bad_input;
}
