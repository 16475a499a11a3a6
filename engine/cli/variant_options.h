// The options that pick a student's lab variant (`params:` in the scenario), shared by check,
// live and variant: --param NAME=VALUE, or --student ID with --variant-secret FILE.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "scenario/scenario.h"
#include "scenario/scenario_limits.h"
#include "scenario/scenario_params.h"

namespace tcpgrade::cli {

struct VariantOptions {
  std::vector<std::string> params;  // NAME=VALUE
  std::string student;
  std::string secret_file;
};

void add_variant_options(CLI::App* command, VariantOptions& options);

// The values the options give (throws std::runtime_error on a malformed --param, or a
// --student without --variant-secret).
ParamValues variant_values(const VariantOptions& options, const std::string& scenario_path,
                           const ScenarioLimits& limits);

// The scenario as the options' student must have made the capture.
Scenario load_variant_scenario(const std::string& scenario_path, const ScenarioLimits& limits,
                               const VariantOptions& options);

}  // namespace tcpgrade::cli
