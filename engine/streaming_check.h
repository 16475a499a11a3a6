// Grades a capture one conversation at a time, for scenarios that grade every connection
// (`select: each` or `all`) and make no claims about particular frames: a conversation is
// graded as soon as the capture is done with it (the tracker finished it: closed and past its
// linger time, its ports reused by a new SYN, or the file ended) and its segments are freed.
// Memory follows the connections open at once, not the size of the file.
//
// The result is check_capture's on the same capture: the same conversations, checks, root
// causes (in the order check_capture gives them), other connections and totals; only the
// graded conversations go to `on_conversation`, in the order they finish, instead of into
// Report::conversations (the report counts them in streamed_conversations and
// streamed_failed_checks). One difference: a frame that comes after its conversation finished
// (more than the linger time after the close, without a SYN) is graded as a conversation of
// its own under the same stream number, as the tracker reports it.
#pragma once

#include <functional>
#include <string>

#include "captured_conversation.h"
#include "check.h"
#include "report.h"
#include "scenario.h"

namespace tcpgrade {

// Whether check_capture_streaming grades this scenario as check_capture does.
bool can_check_streaming(const Scenario& scenario);

// Throws CaptureError on an unreadable file or one without TCP, std::runtime_error naming the
// limit when one is passed. `detail`: which checks the conversations handed on keep.
Report check_capture_streaming(const Scenario& scenario, const std::string& path,
                               const CaptureLimits& limits,
                               const std::function<void(ConversationResult&&)>& on_conversation,
                               CheckDetail detail = CheckDetail::all);

}  // namespace tcpgrade
