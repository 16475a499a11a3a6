// Grading one capture, the way `check`, `live` and every child of `grade` do it: the capture
// is read whole, or one conversation at a time when the scenario grades every connection and
// the caller takes conversations as they come; running out of memory under the cap becomes an
// error naming the file. The caller owns the deadline (it also covers loading the scenario).
#pragma once

#include <string>
#include <vector>

#include "analysis/capture_fingerprint.h"
#include "check/capture_grader.h"
#include "check/grading_limits.h"
#include "report/report.h"
#include "scenario/scenario.h"

namespace tcpgrade {

struct GradeRequest {
  const Scenario& scenario;
  const GradingLimits& limits;
  std::string capture{};  // a path, or "-" for standard input
  std::string subject{};  // the capture as errors name it; empty: `capture`
  int capture_fd = -1;    // when open already (grade: opened once, safely): read, not `capture`
  // Worked out already (grade: once for the whole class); null: worked out here.
  const std::vector<ScenarioVariant>* variants = nullptr;
  // When set, and the scenario grades every connection (can_check_streaming), conversations are
  // handed here as they are graded instead of kept in the report: memory then follows the
  // connections open at once.
  const ConversationSink* on_conversation = nullptr;
  // With on_conversation: told how far the capture is done (see StreamsDoneSink).
  const StreamsDoneSink* on_streams_done = nullptr;
  CheckDetail detail = CheckDetail::all;  // for the conversations handed on
  // When set (grade's children, with capture_fd): the capture's print (copy detection), taken
  // from the contents read for grading, so the file is read and held once. Left alone when the
  // capture cannot be read.
  CapturePrint* print = nullptr;
};

// Throws CaptureError (unreadable, no TCP) and LimitError (a limit passed, memory included).
Report grade_capture(const GradeRequest& request);

}  // namespace tcpgrade
