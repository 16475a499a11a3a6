// The result of grading one capture against one scenario: a plain value that every renderer
// (text, JSON, JUnit, ...) turns into output. Nothing here prints.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/frame_analysis.h"
#include "util/process_log.h"

namespace tcpgrade {

inline constexpr int report_schema_version = 1;

enum class CheckStatus : uint8_t {
  pass,
  fail,
  unverifiable,  // the capture cannot tell (options cut by the snap length, frame missing...)
};
const char* to_string(CheckStatus status);

struct CheckResult {
  std::string id;    // stable: "frame.syn.flags", "stream.response", "claim.frame7-phase"
  std::string name;  // for people: "SYN (frame 1): flags"
  CheckStatus status = CheckStatus::pass;
  double points = 0, max_points = 0;
  uint64_t frame = 0;       // capture frame number (Wireshark numbering), 0 when none
  std::string expected_id;  // the scenario's frame id, stream id or claim id
  std::string field;        // "flags", "seq", "options.mss", "payload", ...
  std::string expected, actual;
  std::string hint;           // the likely cause, in the lab's words
  std::string root_cause;     // id of the root cause that explains this failure, if any
  std::string teaches;        // the scenario's sentence for this frame
  std::string scenario_hint;  // the instructor's advice for this frame (`hint:`), if any
  std::string visibility = "visible";
};

// One cause that explains many failures: said once, at the top.
struct RootCause {
  std::string id;  // "handshake-not-captured", "connection-refused", "wrong-port", ...
  std::string title;
  std::string explanation;
};

// A row of the per-frame table: a captured frame, or an expected frame the capture lacks.
struct FrameRow {
  uint64_t frame = 0;       // 0: expected but missing
  std::string expected_id;  // empty: not in the scenario (noise or unexpected)
  bool ok = true;
  bool graded = true;  // false: listed for context only (claims-only scenario, `rest: ignore`)
  Direction direction = Direction::client_to_server;
  uint16_t flags = 0;
  uint32_t seq = 0, ack = 0, len = 0;
  bool has_ack = false;
  std::string note;  // "noise: duplicate ACK", "unexpected", "missing", ...
};

// The Expected column: the scenario's frame id and the note, "syn-ack (missing)".
std::string expected_label(const FrameRow& row);

struct ConversationResult {
  uint32_t stream = 0;
  std::string client, server;  // "127.0.0.1:53802"
  std::string state, history;
  std::vector<std::string> variants;  // the `either:` variants graded (the best-fitting ones)
  std::vector<FrameRow> rows;
  std::vector<CheckResult> checks;
  // Checks passed and counted but not kept in `checks` (CheckDetail::failures: the text report
  // shows only what did not pass): how many, and their points.
  size_t passed_not_kept = 0;
  double points_not_kept = 0, max_points_not_kept = 0;
  // Rows and checks left out of a bounded report (bounded_conversation, report/report_limits.h):
  // how many, how many of them not as expected, their points and the frames they span.
  size_t rows_left_out = 0, rows_left_out_not_ok = 0;
  uint64_t rows_left_out_first = 0, rows_left_out_last = 0;  // frame numbers, 0 when none
  size_t checks_left_out = 0, failed_checks_left_out = 0;
  double points_left_out = 0, max_points_left_out = 0;
  std::string failed_left_out_like;  // "frame.unexpected.*": the first failed check left out
};

// A score for people: at most two decimals, trailing zeros dropped ("13.57", "14", "1.5").
// JSON and Gradescope keep the exact value.
std::string format_points(double value);

// A program `tcpgrade live` ran, quoted in the report when the run went wrong.
struct Report {
  std::string command = "check";  // what made it: "check", or "review" (a write-up's)
  std::string scenario;           // name
  std::string scenario_title;
  std::string scenario_file;  // as given on the command line
  std::string capture_file;
  uint64_t capture_frames = 0;
  std::vector<std::string> warnings;  // e.g. the file was cut short
  std::vector<std::string> notes;     // e.g. how a live capture was made
  std::vector<ProcessLog> processes;  // live: server and client, when the run went wrong
  std::vector<RootCause> root_causes;
  std::vector<ConversationResult> conversations;  // graded ones
  std::vector<std::string> other_conversations;   // listed, not graded
  std::vector<CheckResult> claims;
  double points = 0, max_points = 0;
  // Conversations graded and handed on one at a time (streaming_check), not held above:
  // how many, and their checks not passed.
  size_t streamed_conversations = 0, streamed_failed_checks = 0;

  bool passed() const;
  size_t failed_checks() const;
  // Every check in report order: each conversation's, then the claims.
  std::vector<const CheckResult*> all_checks() const;
};

}  // namespace tcpgrade
