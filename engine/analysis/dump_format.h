// Renders decoded, analysed frames the way `tcpgrade dump` prints them: tshark-style summary
// lines, TSV (dump_tsv.cc, the hot path) or JSON Lines carrying every field. Pure functions of
// their inputs.
#pragma once

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>

#include "analysis/frame_analysis.h"
#include "capture/decoded_frame.h"

namespace tcpgrade {

// One frame as dump sees it: analysis is null for frames without a TCP segment.
struct DumpRow {
  const DecodedFrame& frame;
  const FrameAnalysis* analysis;
  Timestamp first_timestamp;  // of frame 1: times are shown relative to it, as tshark does
};

// The "Info" part of tshark's summary line: "53802 → 8002 [SYN] Seq=0 Win=65495 Len=0 MSS=...".
std::string tcp_info(const DecodedFrame& frame, const FrameAnalysis* analysis);

void append_text_line(fmt::memory_buffer& out, const DumpRow& row);
void append_tsv_header(fmt::memory_buffer& out);
void append_tsv_line(fmt::memory_buffer& out, const DumpRow& row);
nlohmann::ordered_json frame_to_json(const DumpRow& row);

void append_summary_header(fmt::memory_buffer& out);
void append_summary_line(fmt::memory_buffer& out, const ConversationSummary& summary);

// "frame cut at 60 of 74 bytes by the snap length" style explanation of a non-ok status.
std::string describe_problem(const DecodedFrame& frame);

}  // namespace tcpgrade
