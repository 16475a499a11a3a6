// The one grading driver: turns the conversations of a capture into a Report. Whether the
// capture was read whole (check_capture) or one conversation at a time (check_capture_streaming,
// for scenarios that grade every connection), the rules over conversations are the same and
// live here once: which conversation is graded (first, best, each), the wrong-port stand-in
// graded at zero, the other connections listed once each, the root causes merged in stream
// order, claims, points summed and rounded, and the report's header. The two feeders differ only
// in how conversations reach the driver and who keeps them alive.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "analysis/captured_conversation.h"
#include "capture/capture_limits.h"
#include "check/conversation_grader.h"
#include "check/scenario_variants.h"
#include "report/report.h"
#include "scenario/scenario.h"

namespace tcpgrade {

using ConversationSink = std::function<void(ConversationResult&&)>;
// Told, whenever it rises, the lowest stream number the capture is not yet done with: every
// conversation graded later has this number or a higher one (the one exception, the wrong-port
// stand-in graded at the end, comes only when no other conversation was graded). A sink can
// then write results in stream order as it goes, without an index of every stream.
using StreamsDoneSink = std::function<void(uint32_t lowest_unfinished_stream)>;

// Throws CaptureError when the capture holds no TCP at all (nothing to grade).
Report check_capture(const Scenario& scenario, CaptureContents contents);
// With the scenario's variants worked out already (grade: once for the class).
Report check_capture(const Scenario& scenario, const std::vector<ScenarioVariant>& variants,
                     CaptureContents contents);

// Whether check_capture_streaming grades this scenario as check_capture does: it grades every
// connection (`select: each` or `all`) and makes no claims about particular frames.
bool can_check_streaming(const Scenario& scenario);

// Grades the capture one conversation at a time: a conversation is graded as soon as the
// capture is done with it (closed and past its linger time, its ports reused by a new SYN, or
// the file ended) and its segments are freed, so memory follows the connections open at once.
// The graded conversations go to `on_conversation` in the order they finish instead of into
// Report::conversations (the report counts them in streamed_conversations and
// streamed_failed_checks); all else is check_capture's report. One difference: a frame that
// comes after its conversation finished is graded as a conversation of its own under the same
// stream number, as the tracker reports it. Throws CaptureError on an unreadable file or one
// without TCP, LimitError naming the limit when one is passed.
Report check_capture_streaming(const Scenario& scenario,
                               const std::vector<ScenarioVariant>& variants,
                               const std::string& path, const CaptureLimits& limits,
                               const ConversationSink& on_conversation,
                               CheckDetail detail = CheckDetail::all,
                               const StreamsDoneSink* on_streams_done = nullptr);
Report check_capture_streaming(const Scenario& scenario, const std::string& path,
                               const CaptureLimits& limits, const ConversationSink& on_conversation,
                               CheckDetail detail = CheckDetail::all);

}  // namespace tcpgrade
