#include "cli/variant_options.h"

#include <fmt/format.h>

#include <stdexcept>

#include "scenario/scenario_loader.h"
#include "scenario/student_scenario.h"
#include "util/terminal_text.h"

namespace tcpgrade::cli {

void add_variant_options(CLI::App* command, VariantOptions& options) {
  command->add_option("--param", options.params,
                      "a lab parameter's value, NAME=VALUE (the scenario's params:); repeatable");
  command->add_option("--student", options.student,
                      "the student whose lab variant to use (with --variant-secret)");
  command->add_option("--variant-secret", options.secret_file,
                      "the course secret file that draws each student's parameter values");
}

ParamValues variant_values(const VariantOptions& options, const std::string& scenario_path,
                           const ScenarioLimits& limits) {
  if (!options.student.empty() && options.secret_file.empty())
    throw std::runtime_error("--student needs --variant-secret FILE (the course secret)");
  if (options.student.empty() && !options.secret_file.empty())
    throw std::runtime_error("--variant-secret needs --student ID (whose variant to use)");
  ParamValues overrides;
  for (const std::string& text : options.params) {
    auto assignment = parse_param_assignment(text);
    if (!assignment)
      throw std::runtime_error(
          fmt::format("--param '{}': expected NAME=VALUE, e.g. port=8123", terminal_safe(text)));
    overrides[assignment->first] = assignment->second;
  }
  std::string secret = options.secret_file.empty() ? "" : read_variant_secret(options.secret_file);
  return student_param_values(scenario_path, limits, secret, options.student, overrides);
}

Scenario load_variant_scenario(const std::string& scenario_path, const ScenarioLimits& limits,
                               const VariantOptions& options) {
  return load_scenario(scenario_path, limits, variant_values(options, scenario_path, limits));
}

}  // namespace tcpgrade::cli
