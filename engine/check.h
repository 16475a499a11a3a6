// Grades a capture against a scenario: picks the conversation, finds root causes, aligns the
// expected frames with the captured ones, judges every field, stream and claim.
#pragma once

#include <string>

#include "captured_conversation.h"
#include "report.h"
#include "scenario.h"

namespace tcpgrade {

// Throws CaptureError when the capture holds no TCP at all (nothing to grade).
Report check_capture(const Scenario& scenario, CaptureContents contents);

}  // namespace tcpgrade
