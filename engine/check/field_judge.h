// Judges one expected frame against one captured segment, field by field: direction, flags,
// phase, the numbers (relative and raw Seq/Ack, Len, window), the TCP options and the payload.
// One walk over the checks serves both the report (judge_frame, with texts) and the alignment
// and scores (tally_frame, counts only), so the two always count the same checks.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/captured_conversation.h"
#include "check/matcher_eval.h"
#include "scenario/scenario.h"

namespace tcpgrade {

// What relational matchers resolve against: the ISNs, and which segment each expected frame
// was paired with (same_as).
struct Relations {
  std::optional<uint32_t> isn[2];                         // raw ISN per direction, from the SYNs
  std::map<std::string, const CapturedSegment*> matched;  // expected id → its segment
};

// One field's check with its texts.
struct Judged {
  std::string field;
  MatchOutcome outcome;
  std::string hint;
  int weight = 1;
};

// Every check of the frame, in report order.
std::vector<Judged> judge_frame(const ExpectedFrame& e, const CapturedSegment& s,
                                const Relations& r);

// The same checks counted without their texts: how many, how many pass, and the failures
// weighted (the alignment's cost of pairing the two).
struct FrameTally {
  int judged = 0, passed = 0, cost = 0;
  bool known = false;  // complete, not stopped at the cap
  int stop_at = std::numeric_limits<int>::max();
  bool all_passed() const { return passed == judged; }
  bool enough() const { return cost >= stop_at; }
};

// With `stop_at`, the tally may stop (incomplete) once its cost reaches it: the alignment only
// needs to know that a pairing costs that much.
FrameTally tally_frame(const ExpectedFrame& e, const CapturedSegment& s, const Relations& r,
                       int stop_at = std::numeric_limits<int>::max());

// Whether one of the frame's numbers is the same as another frame's (same_as).
bool refers_to_frames(const ExpectedFrame& e);

}  // namespace tcpgrade
