// Fuzz target: a scenario and a capture together. The input is scenario YAML, the line
// "#capture", then capture bytes (no such line: the whole input is the scenario, graded
// against LEARN.pcap). The scenario is loaded as `check` loads it and the capture graded
// against it; the report is rendered as text and JSON.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

#include "analysis/captured_conversation.h"
#include "check/capture_grader.h"
#include "fuzz_support.h"
#include "report/report_render.h"
#include "scenario/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tcpgrade;
  using namespace tcpgrade::fuzz;
  auto [yaml, capture] = split_scenario_capture({reinterpret_cast<const char*>(data), size});
  try {
    Scenario scenario = parse_scenario(std::string(yaml), fuzz_scenario_file_name);
    MemoryFile file(reinterpret_cast<const uint8_t*>(capture.data()), capture.size());
    Report report = check_capture(scenario, read_capture(file.path()));
    render_text(report);
    render_json(report);
  } catch (const std::exception& error) {
    if (!is_clean_error(error)) throw;
  }
  return 0;
}
