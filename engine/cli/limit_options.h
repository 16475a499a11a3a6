// The limits a student's file cannot push tcpgrade past, as command-line options. Registered
// here once so dump, check, record, lint, live and grade spell them alike, and grade hands the
// same values to each per-submission child. Passing a limit is an error naming the limit and
// the option that raises it (exit 2), never an OOM kill or a hang.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "check/grading_limits.h"
#include "util/deadline.h"

namespace tcpgrade::cli {

// The grading limits, as the command line sets them.
using LimitOptions = GradingLimits;

// A number from `lowest` to `highest`, and a finite one: CLI::Range lets "nan" through (every
// comparison with NaN is false), and a NaN deadline never fires or fires at once.
CLI::Validator finite_range(double lowest, double highest);

// --max-frames, --max-connections and, when `reassembles`, --max-stream-bytes.
void add_capture_limit_options(CLI::App* command, LimitOptions& limits, bool reassembles = true);
// --max-scenario-bytes (the scenario and the files it names), --max-scenario-depth,
// --max-yaml-nodes (after expanding aliases), --max-scenario-file-bytes (all the files it names)
// and --allow-file-root (where file: may read besides the scenario's folder).
void add_scenario_limit_options(CLI::App* command, LimitOptions& limits);
// `what` says what the deadline covers, for --help.
void add_check_timeout_option(
    CLI::App* command, LimitOptions& limits,
    const std::string& what = "seconds to load the scenario, read the capture and grade it");
// `alias` adds an older name for the same option (grade's --memory).
void add_memory_limit_option(CLI::App* command, LimitOptions& limits,
                             const std::string& alias = "");

// What a command does when its --check-timeout passes: `message` as its one error line
// (escaped), exit 2, and `remove` (a temporary capture) deleted first.
DeadlineExpiry error_at_deadline(const std::string& message, const std::string& remove = "");

}  // namespace tcpgrade::cli
