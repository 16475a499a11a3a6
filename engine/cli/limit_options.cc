#include "cli/limit_options.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <type_traits>

#include "cli/commands.h"
#include "util/terminal_text.h"

namespace tcpgrade::cli {
namespace {

template <typename Number>
void add_limit(CLI::App* command, const std::string& name, Number& value, const std::string& what,
               Number lowest, Number highest) {
  CLI::Option* option =
      command->add_option(name, value, fmt::format("{} (default {})", what, value));
  if constexpr (std::is_floating_point_v<Number>)
    option->check(finite_range(lowest, highest));
  else if (highest == std::numeric_limits<Number>::max())
    option->check(CLI::PositiveNumber);  // reads better in --help than the range's digits
  else
    option->check(CLI::Range(lowest, highest));
  option->group("Limits");
}

}  // namespace

CLI::Validator finite_range(double lowest, double highest) {
  std::ostringstream description;  // as CLI::Range words it in --help
  description << "FLOAT in [" << lowest << " - " << highest << "]";
  return CLI::Validator(
      [lowest, highest](std::string& input) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(input, value) || !std::isfinite(value))
          return fmt::format("Value {} is not a finite number (from {} to {})", input, lowest,
                             highest);
        if (value < lowest || value > highest)
          return fmt::format("Value {} not in range {} to {}", input, lowest, highest);
        return {};
      },
      description.str());
}

void add_capture_limit_options(CLI::App* command, LimitOptions& limits, bool reassembles) {
  CaptureLimits& c = limits.capture;
  add_limit<uint64_t>(command, "--max-frames", c.max_frames, "frames read from one capture", 1,
                      UINT64_MAX);
  add_limit<size_t>(command, "--max-connections", c.max_connections,
                    "TCP connections open at once (seen, not yet closed by FINs or a RST) in one "
                    "capture; the total is unbounded. The default trips before the default "
                    "--max-memory does",
                    1, SIZE_MAX);
  if (reassembles)
    add_limit<size_t>(command, "--max-stream-bytes", c.max_payload_per_conversation,
                      "payload bytes kept per TCP connection, both directions", 1, SIZE_MAX);
}

void add_scenario_limit_options(CLI::App* command, LimitOptions& limits) {
  ScenarioLimits& s = limits.scenario;
  command
      ->add_option_function<size_t>(
          "--max-scenario-bytes",
          [&s](size_t bytes) { s.max_file_bytes = s.max_text_file_bytes = bytes; },
          fmt::format("bytes of a scenario file and of each file its file: keys name (default {})",
                      s.max_file_bytes))
      ->check(CLI::PositiveNumber)
      ->group("Limits");
  add_limit<size_t>(command, "--max-scenario-depth", s.max_depth,
                    "levels of YAML maps and lists nested in a scenario", 1, 100'000);
  add_limit<size_t>(command, "--max-yaml-nodes", s.max_yaml_nodes,
                    "YAML nodes of a scenario once its aliases are expanded", 1, SIZE_MAX);
  add_limit<size_t>(command, "--max-scenario-file-bytes", s.max_file_bytes_total,
                    "bytes of all the files a scenario's file: keys name, each file once", 1,
                    SIZE_MAX);
  command
      ->add_option("--allow-file-root", s.file_roots,
                   "a folder file: keys may read from besides the scenario's own folder tree "
                   "(repeatable)")
      ->allow_extra_args(false)  // one folder each time: never the scenarios that follow
      ->check(CLI::ExistingDirectory)
      ->group("Limits");
}

void add_check_timeout_option(CLI::App* command, LimitOptions& limits, const std::string& what) {
  add_limit<double>(command, "--check-timeout", limits.check_timeout_seconds, what, 0.001, 1e6);
}

void add_memory_limit_option(CLI::App* command, LimitOptions& limits, const std::string& alias) {
  add_limit<uint64_t>(command, alias.empty() ? "--max-memory" : "--max-memory," + alias,
                      limits.max_memory_mib, "MiB of memory (address space) of the process", 64,
                      uint64_t{1} << 30);
}

DeadlineExpiry error_at_deadline(const std::string& message, const std::string& remove) {
  return {.message = fmt::format("tcpgrade: error: {}\n", terminal_safe(message)),
          .remove = remove,
          .exit_code = exit_bad_input};
}

}  // namespace tcpgrade::cli
