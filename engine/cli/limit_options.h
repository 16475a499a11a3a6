// The limits a student's file cannot push tcpgrade past, as command-line options. Registered
// here once so dump, check, record, lint, live and grade spell them alike, and grade hands the
// same values to each per-submission child. Passing a limit is an error naming the limit and
// the option that raises it (exit 2), never an OOM kill or a hang.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <new>
#include <string>

#include "capture_limits.h"
#include "scenario_limits.h"

namespace tcpgrade::cli {

struct LimitOptions {
  CaptureLimits capture;
  ScenarioLimits scenario;
  double check_timeout_seconds = 20;  // loading, reading and grading one capture
  uint64_t max_memory_mib = 1024;     // address space of the process (RLIMIT_AS)
};

// A number from `lowest` to `highest`, and a finite one: CLI::Range lets "nan" through (every
// comparison with NaN is false), and a NaN deadline never fires or fires at once.
CLI::Validator finite_range(double lowest, double highest);

// --max-frames, --max-connections and, when `reassembles`, --max-stream-bytes.
void add_capture_limit_options(CLI::App* command, LimitOptions& limits, bool reassembles = true);
// --max-scenario-bytes (the scenario and the files it names), --max-scenario-depth,
// --max-yaml-nodes (after expanding aliases), --max-scenario-file-bytes (all the files it names)
// and --allow-file-root (where file: may read besides the scenario's folder).
void add_scenario_limit_options(CLI::App* command, LimitOptions& limits);
void add_check_timeout_option(CLI::App* command, LimitOptions& limits);
// `alias` adds an older name for the same option (grade's --memory).
void add_memory_limit_option(CLI::App* command, LimitOptions& limits,
                             const std::string& alias = "");

// Caps this process's memory (children it starts inherit the cap). Not under AddressSanitizer,
// which reserves terabytes of address space.
void apply_memory_limit(const LimitOptions& limits);

// What std::bad_alloc means under that cap, naming the file being read.
std::string out_of_memory_message(const std::string& subject, const LimitOptions& limits);

// Runs `work`; std::bad_alloc (the memory cap was reached) becomes a LimitError naming
// `subject` and --max-memory. The memory the failed work held is free again by then.
template <typename Work>
auto within_memory_limit(const std::string& subject, const LimitOptions& limits, Work&& work) {
  try {
    return work();
  } catch (const std::bad_alloc&) {
    throw LimitError(out_of_memory_message(subject, limits));
  }
}

// "NAME: the check took longer than S s (limit --check-timeout)".
std::string check_timeout_message(const std::string& subject, const LimitOptions& limits);

}  // namespace tcpgrade::cli
