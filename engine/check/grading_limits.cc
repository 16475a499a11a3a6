#include "check/grading_limits.h"

#include <fmt/format.h>
#include <sys/resource.h>

namespace tcpgrade {

void apply_memory_limit(const GradingLimits& limits) {
#if !defined(__SANITIZE_ADDRESS__)
  rlimit memory{};
  ::getrlimit(RLIMIT_AS, &memory);
  rlim_t bytes = static_cast<rlim_t>(limits.max_memory_mib) << 20;
  if (memory.rlim_max != RLIM_INFINITY && memory.rlim_max < bytes) bytes = memory.rlim_max;
  memory.rlim_cur = bytes;  // the soft limit only: a child may raise its own
  ::setrlimit(RLIMIT_AS, &memory);
#else
  (void)limits;
#endif
}

std::string out_of_memory_message(const std::string& subject, const GradingLimits& limits) {
  return fmt::format("{}: out of memory: needs more than {} MiB (limit --max-memory)", subject,
                     limits.max_memory_mib);
}

std::string check_timeout_message(const std::string& subject, const GradingLimits& limits) {
  return fmt::format("{}: the check took longer than {} s (limit --check-timeout)", subject,
                     limits.check_timeout_seconds);
}

std::string read_timeout_message(const std::string& subject, const GradingLimits& limits) {
  return fmt::format("{}: reading took longer than {} s (limit --check-timeout)", subject,
                     limits.check_timeout_seconds);
}

}  // namespace tcpgrade
