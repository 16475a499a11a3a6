// Fuzz target: scenario YAML bytes → `tcpgrade lint`: parsed, checked, and every diagnostic
// formatted with its source line and caret as lint prints it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "scenario/diagnostic_format.h"
#include "scenario/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tcpgrade;
  using namespace tcpgrade::fuzz;
  std::string yaml(reinterpret_cast<const char*>(data), size);
  try {
    parse_scenario(yaml, fuzz_scenario_file_name);
  } catch (const ScenarioError& error) {
    for (const Diagnostic& diagnostic : error.diagnostics()) format_diagnostic(diagnostic);
  }
  return 0;
}
