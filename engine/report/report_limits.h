// How much of one conversation a report shows. A report is read by a student or a tool, and a
// capture far under every input limit (200,000 frames of one connection) would otherwise make
// a frame table of 200,000 rows and a check per frame: hundreds of megabytes no one reads, and
// more memory than grading took. Every format shows at most these many rows and checks per
// conversation and says what it left out (how many, how many of them not as expected, their
// frames and points); the verdict, the points, the failed-check count and the root causes
// stay complete and exact.
#pragma once

#include <cstddef>
#include <string>

#include "report/report.h"

namespace tcpgrade {

inline constexpr size_t max_report_rows = 2000;    // frame table rows per conversation
inline constexpr size_t max_report_checks = 2000;  // checks (text: mismatches) per conversation
inline constexpr size_t max_report_ranges = 64;    // runs in a text "frames 8, 9, 12–40" list

// `conversation` with at most max_report_rows rows and max_report_checks checks, the rest
// counted in its *_left_out fields. Copies only what it keeps.
ConversationResult bounded_conversation(const ConversationResult& conversation);
// The report with each conversation bounded; the rest copied as is.
Report bounded_report(const Report& report);

// 198000 → "198,000": counts people read.
std::string count_text(size_t n);

// "frame.unexpected.*" for "frame.unexpected.1234": the id up to its last dot, then '*'.
std::string check_id_family(const std::string& id);

// "… 198,000 more frames (frames 2001–200000), all as expected" and the like: the sentence
// naming what a bounded conversation left out, without the leading mark; empty when nothing.
std::string rows_left_out_text(const ConversationResult& conversation);
std::string checks_left_out_text(const ConversationResult& conversation);

}  // namespace tcpgrade
