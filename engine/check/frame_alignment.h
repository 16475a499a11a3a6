// Aligns the scenario's expected frames with a conversation's captured segments, the way a
// diff aligns lines: the cheapest sequence of matches, missing frames and unexpected frames.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "analysis/captured_conversation.h"
#include "scenario/scenario.h"

namespace tcpgrade {

// One expected slot after repeats are unrolled: frame `index` of the scenario, copy `copy`.
struct ExpectedSlot {
  size_t index = 0;
  int copy = 0;          // 0 for the first occurrence
  bool required = true;  // false for optional frames and repeats beyond min
};

std::vector<ExpectedSlot> unroll_repeats(const Scenario& scenario);

struct AlignedPair {
  int slot = -1;             // index into the slots, -1: a captured segment no slot claims
  int segment = -1;          // index into the conversation's segments, -1: a slot the capture lacks
  bool beyond_last = false;  // an unclaimed segment after the last slot, under `rest: ignore`
};

struct AlignmentCosts {
  // Cost of pairing slot s with segment g: mismatching fields, weighted.
  std::function<int(size_t slot, size_t segment)> pair;
  // Cost of leaving segment g unclaimed: 0 for noise the scenario tolerates.
  std::function<int(size_t segment)> unexpected;
  int missing = 5;  // a required slot without a segment
  // When set, what a required slot missing before segment g costs instead of `missing`: less
  // where the capture lost the frame it expects (lost_for_frame), so the slot is reported
  // missing rather than paired with the frame after the loss.
  std::function<int(size_t slot, size_t segment)> missing_at;
  bool free_after_last = false;  // segments after the last slot cost nothing (`rest: ignore`)
  // Blocks (transfer:, teardown:): a block slot claims a run of one or more segments instead
  // of one. `block(s)` says whether slot s is one; `absorb(s, g)` what beginning the block's
  // run with segment g costs (going on with it is free), or -1 when g does not fit the block.
  // Unset: no slot is a block.
  std::function<bool(size_t slot)> block;
  std::function<int(size_t slot, size_t segment)> absorb;
};

// In capture order, with missing slots placed where they were due; a block slot appears once
// per segment it claims.
std::vector<AlignedPair> align_frames(size_t slots, const std::vector<ExpectedSlot>& slot_info,
                                      size_t segments, const AlignmentCosts& costs);

// align_frames' alignment when it costs nothing, found by searching only where such an
// alignment can lie (every slot paired in order, only tolerated noise left over: the segment
// index runs ahead of the slot index by at most the number of noise segments); nullopt when it
// costs something, or when slots are optional or `rest: ignore` makes leftovers free. Any
// cheaper-than-nothing alternative does not exist, and every free cell the full search would
// reach lies in that band, so the answer is the same, pairing by pairing.
std::optional<std::vector<AlignedPair>> align_frames_free(
    size_t slots, const std::vector<ExpectedSlot>& slot_info, size_t segments,
    const AlignmentCosts& costs);

// `order: relaxed`: the expected frames may come in any order. Each slot takes the cheapest
// free segment, cheapest pairs first, when pairing costs less than leaving both unmatched.
// Pairs come in capture order, missing slots after the segment of the slot before them.
std::vector<AlignedPair> align_frames_unordered(size_t slots,
                                                const std::vector<ExpectedSlot>& slot_info,
                                                size_t segments, const AlignmentCosts& costs);

}  // namespace tcpgrade
