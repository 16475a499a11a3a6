// The subcommands of tcpgrade. Each registers its options on the App and returns how to run
// it; main() parses once and runs the one the user chose.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace tcpgrade::cli {

// Exit codes shared by every subcommand.
inline constexpr int exit_pass = 0, exit_failed = 1, exit_bad_input = 2, exit_skipped = 77;

struct Subcommand {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Subcommand add_dump_command(CLI::App& app);
Subcommand add_check_command(CLI::App& app);
Subcommand add_lint_command(CLI::App& app);
Subcommand add_record_command(CLI::App& app);
Subcommand add_live_command(CLI::App& app);
Subcommand add_grade_command(CLI::App& app);
Subcommand add_gradebook_command(CLI::App& app);
Subcommand add_test_command(CLI::App& app);
Subcommand add_explain_command(CLI::App& app);
Subcommand add_variant_command(CLI::App& app);
Subcommand add_review_command(CLI::App& app);

}  // namespace tcpgrade::cli
