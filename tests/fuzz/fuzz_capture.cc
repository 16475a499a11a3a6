// Fuzz target: capture bytes → every `dump` rendering (text, TSV, JSON Lines, per-connection
// summary) → the whole capture read for grading → checked against the lab scenario
// (scenarios/http-lab/session.yaml) → the report in every format.
#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>

#include "analysis/capture_pipeline.h"
#include "analysis/captured_conversation.h"
#include "analysis/dump_format.h"
#include "check/capture_grader.h"
#include "fuzz_support.h"
#include "report/report_render.h"

namespace tcpgrade::fuzz {
namespace {

void dump_every_format(const std::string& path) {
  CapturePipeline pipeline(path);
  fmt::memory_buffer out;
  DecodedFrame frame;
  std::optional<FrameAnalysis> analysis;
  while (pipeline.next(frame, analysis)) {
    DumpRow row{frame, analysis ? &*analysis : nullptr, pipeline.first_timestamp()};
    append_text_line(out, row);
    append_tsv_line(out, row);
    std::string json = frame_to_json(row).dump();
    out.append(json.data(), json.data() + json.size());
    if (frame.status != DecodeStatus::ok) describe_problem(frame);
    if (out.size() > (1 << 20)) out.clear();  // the bytes do not matter, only making them
  }
  for (const ConversationSummary& summary : pipeline.tracker().summaries())
    append_summary_line(out, summary);
}

void check_every_format(const std::string& path) {
  Report report = check_capture(lab_session_scenario(), read_capture(path));
  for (const char* format : {"text", "json", "junit", "tap", "gradescope", "markdown", "html"})
    render_report(report, format);
}

}  // namespace
}  // namespace tcpgrade::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tcpgrade::fuzz;
  MemoryFile file(data, size);
  for (auto stage : {dump_every_format, check_every_format}) {
    try {
      stage(file.path());
    } catch (const std::exception& error) {
      if (!is_clean_error(error)) throw;  // uncaught: libFuzzer reports it as a crash
    }
  }
  return 0;
}
