// Pairs a variant's expected frames with a conversation's segments: the costs the alignment
// weighs (field_judge's tallies, memoised per source frame and segment, so every variant of
// the scenario shares them) and the alignment itself, with the relations same_as needs.
#pragma once

#include <vector>

#include "analysis/captured_conversation.h"
#include "check/field_judge.h"
#include "check/frame_alignment.h"
#include "check/lost_frames.h"
#include "check/scenario_variants.h"

namespace tcpgrade {

// A variant's expected frames aligned with a conversation's segments.
struct Alignment {
  std::vector<ExpectedSlot> slots;
  std::vector<AlignedPair> pairs;
  Relations relations;
};

// The tallies of pairing one conversation's segments with the scenario's frames, by source
// frame (ScenarioVariant::source) and segment, worked out once for every variant: the
// alignment weighs each pairing, the score and the report judge the chosen ones again.
class PairMemo {
 public:
  PairMemo(size_t segments, size_t sources) : segments_(segments), tallies_(segments * sources) {}

  // The tally of frame `frame` of `variant` with segment `segment`.
  FrameTally tally(const ScenarioVariant& variant, size_t frame, const CapturedSegment& s,
                   size_t segment, const Relations& r);

  // The cost of the pairing, or `cap` when it costs at least that (the alignment never pairs
  // a slot and a segment that cost more than leaving both: missing plus unexpected).
  int cost(const ScenarioVariant& variant, size_t frame, const CapturedSegment& s, size_t segment,
           const Relations& r, int cap);

 private:
  // A frame that refers to other frames (same_as) has no memo: its checks depend on the
  // relations at hand.
  FrameTally* slot(const ScenarioVariant& variant, size_t frame, size_t segment);

  size_t segments_;
  std::vector<FrameTally> tallies_;
};

// `lost`: what the capture lost (find_lost_segments); a slot that expects a lost frame costs
// less to leave missing there, so one lost frame is one missing frame, not a chain of
// mismatches. `stopped_open`: the capture stopped while the connection was open (tcpdump -c, an
// early Ctrl-C), so the slots after its last segment cost nothing to leave missing: the frames
// captured are matched to the start of the exchange, not stretched over its end.
Alignment align_conversation(const ScenarioVariant& variant, const CapturedConversation& c,
                             PairMemo& memo, const std::vector<LostSegment>& lost = {},
                             bool stopped_open = false);

}  // namespace tcpgrade
