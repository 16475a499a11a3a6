// tcpgrade: a thin command line over the engine. Parses, dispatches to one subcommand, and
// turns errors into a one-line message and exit code 2.
#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "scenario/scenario_loader.h"
#include "util/did_you_mean.h"
#include "util/terminal_text.h"

namespace {

// The first word that is not an option names the command (tcpgrade itself takes no option with
// a value): "unknown command 'foo'" when it names none, whatever follows it, --help included.
std::optional<std::string> unknown_command(int argc, char** argv,
                                           const std::vector<std::string>& names) {
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "--") return std::nullopt;
    if (word.empty() || word[0] == '-') continue;
    for (const std::string& name : names)
      if (word == name) return std::nullopt;
    return fmt::format("unknown command '{}'{}", tcpgrade::terminal_safe(word),
                       tcpgrade::did_you_mean(word, names));
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tcpgrade::cli;
  CLI::App app{
      "tcpgrade: check TCP captures against scenarios and explain every mismatch.\n"
      "Exit codes: 0 pass, 1 checks failed, 2 bad input or usage."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "tcpgrade 0.1.0");
  std::vector<Subcommand> subcommands = {
      add_dump_command(app),    add_check_command(app),    add_lint_command(app),
      add_record_command(app),  add_live_command(app),     add_grade_command(app),
      add_test_command(app),    add_explain_command(app),  add_review_command(app),
      add_variant_command(app), add_gradebook_command(app)};
  // A reader that stops early (`tcpgrade dump X | head`) is an EPIPE the commands handle, not a
  // signal that kills tcpgrade mid-report. Grading and live children reset it (child_process).
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> names;
  for (const Subcommand& subcommand : subcommands) names.push_back(subcommand.app->get_name());
  if (std::optional<std::string> unknown = unknown_command(argc, argv, names)) {
    fmt::print(stderr, "tcpgrade: error: {}\n", *unknown);
    return exit_bad_input;
  }
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
