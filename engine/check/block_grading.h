// A block's place in the grading of a conversation: the run of segments the alignment let it
// claim, and its verdict as report checks whose points the scenario fixes (a block scores once,
// its points split over its properties, however many segments it claimed).
#pragma once

#include <string>
#include <vector>

#include "check/block_judge.h"
#include "check/frame_alignment.h"

namespace tcpgrade {

// Whether pairs[at] is the first pair of a block's run (a block's pairs are consecutive).
bool starts_block_run(const std::vector<AlignedPair>& pairs, size_t at);

// The segments of the run that starts at pairs[at], in capture order.
std::vector<size_t> block_run(const std::vector<AlignedPair>& pairs, size_t at);

// The block's checks: ids "block.ID.FIELD", named "ID (frames 6–1430): FIELD".
std::vector<CheckResult> block_check_results(const ExpectedFrame& e, const BlockVerdict& v,
                                             const std::string& visibility);

// The points and failures block_check_results would give, without their texts.
struct BlockScore {
  double points = 0;
  size_t failed = 0;
};
BlockScore block_score(const ExpectedFrame& e, const BlockVerdict& v);

}  // namespace tcpgrade
