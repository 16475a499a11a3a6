// The limits a student's file cannot push tcpgrade past while one capture is graded: what
// `check`, `live` and each child of `grade` run under. Passing a limit is an error naming the
// limit and the option that raises it (exit 2), never an OOM kill or a hang. The command line
// registers them in cli/limit_options.h.
#pragma once

#include <cstdint>
#include <new>
#include <string>

#include "capture/capture_limits.h"
#include "scenario/scenario_limits.h"

namespace tcpgrade {

struct GradingLimits {
  CaptureLimits capture;
  ScenarioLimits scenario;
  double check_timeout_seconds = 20;  // loading, reading and grading one capture
  uint64_t max_memory_mib = 1024;     // address space of the process (RLIMIT_AS)
};

// Caps this process's memory (children it starts inherit the cap). Not under AddressSanitizer,
// which reserves terabytes of address space.
void apply_memory_limit(const GradingLimits& limits);

// What std::bad_alloc means under that cap, naming the file being read.
std::string out_of_memory_message(const std::string& subject, const GradingLimits& limits);

// Runs `work`; std::bad_alloc (the memory cap was reached) becomes a LimitError naming
// `subject` and --max-memory. The memory the failed work held is free again by then.
template <typename Work>
auto within_memory_limit(const std::string& subject, const GradingLimits& limits, Work&& work) {
  try {
    return work();
  } catch (const std::bad_alloc&) {
    throw LimitError(out_of_memory_message(subject, limits));
  }
}

// "NAME: the check took longer than S s (limit --check-timeout)".
std::string check_timeout_message(const std::string& subject, const GradingLimits& limits);
// "NAME: reading took longer than S s (limit --check-timeout)", for dump and record.
std::string read_timeout_message(const std::string& subject, const GradingLimits& limits);

}  // namespace tcpgrade
