// `review`: a student's write-up of a capture, graded against that capture. The write-up's
// statements (scenario/writeup_reader) become claims judged by check/claim_judge, plus the
// checks claims do not cover (Next Seq, frame length, ports, options, what the payload holds,
// which frame an ACK acknowledges), in the same Report as `check`: check ids
// `review.packet7.phase`, points, root causes. Findings of the write-up as a whole: packets
// numbered with an offset, lines pasted from another capture, absolute numbers.
#pragma once

#include <string>

#include "analysis/captured_conversation.h"
#include "report/report.h"
#include "scenario/scenario.h"
#include "scenario/writeup_reader.h"

namespace tcpgrade {

namespace writeup_cause {
inline constexpr const char* numbering_offset = "writeup-numbering-offset";
inline constexpr const char* pasted_lines = "writeup-pasted-lines";
}  // namespace writeup_cause

// `text` is the write-up, `writeup_name` names it in the report and in errors. `scenario`,
// when given, chooses the conversation (its `conversation:`) and names the report. Throws
// WriteupError naming the write-up when it cannot be read, CaptureError when the capture holds
// no TCP.
Report review_writeup(const std::string& text, const std::string& writeup_name,
                      CaptureContents contents, const Scenario* scenario = nullptr,
                      const WriteupLimits& limits = {});

}  // namespace tcpgrade
