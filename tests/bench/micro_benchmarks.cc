// Google Benchmark micro-benchmarks of the stages a frame goes through: reading the file,
// decoding, analysis (conversation tracking, relative numbers, tcp.analysis flags; conversations
// kept, or handed over at their close as dump and a streaming check run it), the tsv line,
// matching against a scenario; check's own stages apart (grading the conversations, rendering
// their text report) and a streaming check whole. Each reports ns per frame ("ns/frame"); all
// but the read and the streaming check over a capture held in memory.
//
// Usage: micro_benchmarks [--capture FILE] [--scenario FILE] [benchmark flags]
// The capture defaults to LEARN.pcap; tools/bench and the bench.micro_smoke test pass one made
// by tools/make_bench_capture.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "analysis/captured_conversation.h"
#include "analysis/conversation_tracker.h"
#include "analysis/dump_format.h"
#include "capture/capture_reader.h"
#include "capture/frame_decoder.h"
#include "check/capture_grader.h"
#include "check/conversation_grader.h"
#include "check/scenario_variants.h"
#include "report/report_render.h"
#include "scenario/scenario_loader.h"

namespace {

std::string capture_path = TCPGRADE_SOURCE_DIR "/scenarios/http-lab/LEARN.pcap";
std::string scenario_path = TCPGRADE_SOURCE_DIR "/tests/bench/session-each.yaml";

// The capture's frames, copied out of libpcap's buffer so that they outlive the reader.
struct HeldCapture {
  int link_type = 0;
  std::vector<std::vector<uint8_t>> bytes;
  std::vector<tcpgrade::RawFrame> frames;
};

const HeldCapture& held_capture() {
  static HeldCapture held = [] {
    HeldCapture h;
    tcpgrade::CaptureReader reader(capture_path);
    h.link_type = reader.link_type();
    tcpgrade::RawFrame raw;
    while (reader.next(raw)) {
      h.bytes.emplace_back(raw.bytes.begin(), raw.bytes.end());
      h.frames.push_back(raw);
    }
    for (size_t i = 0; i < h.frames.size(); ++i) h.frames[i].bytes = h.bytes[i];
    return h;
  }();
  return held;
}

const std::vector<tcpgrade::DecodedFrame>& decoded_capture() {
  static std::vector<tcpgrade::DecodedFrame> decoded = [] {
    std::vector<tcpgrade::DecodedFrame> out;
    const HeldCapture& h = held_capture();
    for (const tcpgrade::RawFrame& raw : h.frames)
      out.push_back(tcpgrade::decode_frame(h.link_type, raw));
    return out;
  }();
  return decoded;
}

void per_frame(benchmark::State& state, size_t frames) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * frames));
  state.counters["ns/frame"] = benchmark::Counter(
      static_cast<double>(frames),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// libpcap's read of the file, the floor every command stands on.
void BM_Read(benchmark::State& state) {
  size_t frames = 0;
  for (auto _ : state) {
    tcpgrade::CaptureReader reader(capture_path);
    tcpgrade::RawFrame raw;
    frames = 0;
    while (reader.next(raw)) {
      benchmark::DoNotOptimize(raw.bytes.data());
      ++frames;
    }
  }
  per_frame(state, frames);
}
BENCHMARK(BM_Read)->Unit(benchmark::kMillisecond);

// Link, IP and TCP headers and options: bytes to a DecodedFrame.
void BM_Decode(benchmark::State& state) {
  const HeldCapture& h = held_capture();
  for (auto _ : state)
    for (const tcpgrade::RawFrame& raw : h.frames) {
      tcpgrade::DecodedFrame frame = tcpgrade::decode_frame(h.link_type, raw);
      benchmark::DoNotOptimize(frame);
    }
  per_frame(state, h.frames.size());
}
BENCHMARK(BM_Decode)->Unit(benchmark::kMillisecond);

// Conversation tracking and Wireshark's sequence analysis, a fresh tracker per pass.
void BM_Analysis(benchmark::State& state) {
  const std::vector<tcpgrade::DecodedFrame>& frames = decoded_capture();
  for (auto _ : state) {
    tcpgrade::ConversationTracker tracker;
    for (const tcpgrade::DecodedFrame& frame : frames)
      if (frame.has_tcp) benchmark::DoNotOptimize(tracker.add(frame));
    tracker.finish();
  }
  per_frame(state, frames.size());
}
BENCHMARK(BM_Analysis)->Unit(benchmark::kMillisecond);

// The same, each conversation handed over and its state freed at its close (dump, check).
void BM_AnalysisHandedOver(benchmark::State& state) {
  const std::vector<tcpgrade::DecodedFrame>& frames = decoded_capture();
  size_t finished = 0;
  for (auto _ : state) {
    tcpgrade::ConversationTracker tracker(
        {.on_finished = [&finished](const tcpgrade::ConversationSummary&) { ++finished; }});
    for (const tcpgrade::DecodedFrame& frame : frames)
      if (frame.has_tcp) benchmark::DoNotOptimize(tracker.add(frame));
    tracker.finish();
  }
  benchmark::DoNotOptimize(finished);
  per_frame(state, frames.size());
}
BENCHMARK(BM_AnalysisHandedOver)->Unit(benchmark::kMillisecond);

// The tsv line of `dump --format tsv`, analysis included (as dump runs it).
void BM_DumpTsv(benchmark::State& state) {
  const std::vector<tcpgrade::DecodedFrame>& frames = decoded_capture();
  fmt::memory_buffer out;
  for (auto _ : state) {
    tcpgrade::ConversationTracker tracker;
    for (const tcpgrade::DecodedFrame& frame : frames) {
      std::optional<tcpgrade::FrameAnalysis> analysis;
      if (frame.has_tcp) analysis = tracker.add(frame);
      tcpgrade::append_tsv_line(out,
                                {frame, analysis ? &*analysis : nullptr, frames.front().timestamp});
      if (out.size() > (1 << 16)) out.clear();
    }
  }
  per_frame(state, frames.size());
}
BENCHMARK(BM_DumpTsv)->Unit(benchmark::kMillisecond);

// The tsv line alone, over frames analysed beforehand.
void BM_TsvLine(benchmark::State& state) {
  const std::vector<tcpgrade::DecodedFrame>& frames = decoded_capture();
  std::vector<std::optional<tcpgrade::FrameAnalysis>> analyses;
  tcpgrade::ConversationTracker tracker;
  for (const tcpgrade::DecodedFrame& frame : frames)
    analyses.push_back(frame.has_tcp ? std::optional(tracker.add(frame)) : std::nullopt);
  fmt::memory_buffer out;
  for (auto _ : state) {
    for (size_t i = 0; i < frames.size(); ++i) {
      const tcpgrade::FrameAnalysis* analysis = analyses[i] ? &*analyses[i] : nullptr;
      tcpgrade::append_tsv_line(out, {frames[i], analysis, frames.front().timestamp});
      if (out.size() > (1 << 16)) out.clear();
    }
  }
  per_frame(state, frames.size());
}
BENCHMARK(BM_TsvLine)->Unit(benchmark::kMillisecond);

// Grading every connection against the scenario (select: each), the capture read once.
void BM_Matching(benchmark::State& state) {
  tcpgrade::Scenario scenario = tcpgrade::load_scenario(scenario_path);
  tcpgrade::CaptureContents contents = tcpgrade::read_capture(capture_path);
  for (auto _ : state) {
    state.PauseTiming();
    tcpgrade::CaptureContents copy = contents;
    state.ResumeTiming();
    benchmark::DoNotOptimize(tcpgrade::check_capture(scenario, std::move(copy)));
  }
  per_frame(state, contents.frames);
}
BENCHMARK(BM_Matching)->Unit(benchmark::kMillisecond);

// check's judging stage alone: each conversation of the capture (read and analysed
// beforehand) graded against the scenario, keeping failed checks only, as `check` does for
// its text report.
void BM_GradeConversations(benchmark::State& state) {
  tcpgrade::Scenario scenario = tcpgrade::load_scenario(scenario_path);
  const std::vector<tcpgrade::ScenarioVariant> variants = tcpgrade::scenario_variants(scenario);
  const tcpgrade::CaptureContents contents = tcpgrade::read_capture(capture_path);
  for (auto _ : state)
    for (const tcpgrade::CapturedConversation& c : contents.conversations) {
      std::vector<tcpgrade::RootCause> causes;
      benchmark::DoNotOptimize(tcpgrade::grade_conversation(
          scenario, variants, c, contents, nullptr, causes, tcpgrade::CheckDetail::failures));
    }
  per_frame(state, contents.frames);
}
BENCHMARK(BM_GradeConversations)->Unit(benchmark::kMillisecond);

// check's report-writing stage alone: the text of every graded conversation (its ladder and
// table of frames), as the spool renders it.
void BM_RenderConversationText(benchmark::State& state) {
  tcpgrade::Scenario scenario = tcpgrade::load_scenario(scenario_path);
  const std::vector<tcpgrade::ScenarioVariant> variants = tcpgrade::scenario_variants(scenario);
  const tcpgrade::CaptureContents contents = tcpgrade::read_capture(capture_path);
  std::vector<tcpgrade::ConversationResult> graded;
  for (const tcpgrade::CapturedConversation& c : contents.conversations) {
    std::vector<tcpgrade::RootCause> causes;
    graded.push_back(tcpgrade::grade_conversation(scenario, variants, c, contents, nullptr, causes,
                                                  tcpgrade::CheckDetail::failures));
  }
  size_t bytes = 0;
  for (auto _ : state)
    for (const tcpgrade::ConversationResult& result : graded)
      bytes += tcpgrade::render_text_conversation(result).size();
  benchmark::DoNotOptimize(bytes);
  per_frame(state, contents.frames);
}
BENCHMARK(BM_RenderConversationText)->Unit(benchmark::kMillisecond);

// `check` of a `select: each` scenario as the command runs it: read, analyse, keep each
// conversation's segments until its close, grade it then, drop it.
void BM_CheckStreaming(benchmark::State& state) {
  tcpgrade::Scenario scenario = tcpgrade::load_scenario(scenario_path);
  size_t graded = 0;
  tcpgrade::ConversationSink sink = [&graded](tcpgrade::ConversationResult&&) { ++graded; };
  uint64_t frames = 0;
  for (auto _ : state) {
    tcpgrade::Report report = tcpgrade::check_capture_streaming(scenario, capture_path, {}, sink,
                                                                tcpgrade::CheckDetail::failures);
    frames = report.capture_frames;
    benchmark::DoNotOptimize(report);
  }
  benchmark::DoNotOptimize(graded);
  per_frame(state, frames);
}
BENCHMARK(BM_CheckStreaming)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  // Our own flags first; the rest is Google Benchmark's.
  std::vector<char*> rest{argv[0]};
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--capture") == 0 && i + 1 < argc)
      capture_path = argv[++i];
    else if (std::strcmp(argv[i], "--scenario") == 0 && i + 1 < argc)
      scenario_path = argv[++i];
    else
      rest.push_back(argv[i]);
  }
  int count = static_cast<int>(rest.size());
  benchmark::Initialize(&count, rest.data());
  if (benchmark::ReportUnrecognizedArguments(count, rest.data())) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
