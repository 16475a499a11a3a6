#include "scenario/student_scenario.h"

#include <fmt/format.h>

#include <optional>
#include <stdexcept>

#include "scenario/scenario_loader.h"
#include "util/small_file.h"

namespace tcpgrade {
namespace {

constexpr size_t max_secret_bytes = 4096;

}  // namespace

std::string read_variant_secret(const std::string& path) {
  std::string reason;
  std::optional<std::string> text = read_small_file(path, max_secret_bytes, reason);
  if (!text)
    throw std::runtime_error(fmt::format("{}: cannot read the variant secret: {}", path, reason));
  while (!text->empty() && (text->back() == '\n' || text->back() == '\r')) text->pop_back();
  if (text->empty())
    throw std::runtime_error(
        fmt::format("{}: the variant secret is empty: put a long random line in it (e.g. "
                    "`head -c 32 /dev/urandom | base64 > {}`)",
                    path, path));
  return *text;
}

ParamValues student_param_values(const std::string& scenario_path, const ScenarioLimits& limits,
                                 const std::string& secret, const std::string& student,
                                 const ParamValues& overrides) {
  ParamValues values;
  if (!secret.empty()) {
    Scenario declared = load_scenario(scenario_path, limits);
    values = derive_param_values(declared.params, secret, student);
  }
  for (const auto& entry : overrides) values[entry.first] = entry.second;
  return values;
}

Scenario load_student_scenario(const std::string& scenario_path, const ScenarioLimits& limits,
                               const std::string& secret, const std::string& student,
                               const ParamValues& overrides) {
  return load_scenario(scenario_path, limits,
                       student_param_values(scenario_path, limits, secret, student, overrides));
}

}  // namespace tcpgrade
