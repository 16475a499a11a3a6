#include "frame_alignment.h"

#include <algorithm>
#include <limits>

namespace tcpgrade {

namespace {
constexpr int max_repeat_unrolled = 64;  // a repeat beyond this is capped, not unrolled
}

std::vector<ExpectedSlot> unroll_repeats(const Scenario& scenario) {
  std::vector<ExpectedSlot> slots;
  for (size_t i = 0; i < scenario.frames.size(); ++i) {
    const ExpectedFrame& frame = scenario.frames[i];
    int copies = std::clamp(frame.repeat_max, 1, max_repeat_unrolled);
    for (int copy = 0; copy < copies; ++copy)
      slots.push_back({i, copy, !frame.optional && copy < frame.repeat_min});
  }
  return slots;
}

std::vector<AlignedPair> align_frames(size_t slots, const std::vector<ExpectedSlot>& slot_info,
                                      size_t segments, const AlignmentCosts& costs) {
  // cost[i][j]: cheapest alignment of the first i slots with the first j segments.
  constexpr int infinity = std::numeric_limits<int>::max() / 4;
  std::vector<std::vector<int>> cost(slots + 1, std::vector<int>(segments + 1, infinity));
  enum Step : uint8_t { none, match, skip_slot, skip_segment };
  std::vector<std::vector<uint8_t>> step(slots + 1, std::vector<uint8_t>(segments + 1, none));
  std::vector<int> unexpected(segments);
  for (size_t j = 0; j < segments; ++j) unexpected[j] = costs.unexpected(j);
  cost[0][0] = 0;
  for (size_t i = 0; i <= slots; ++i) {
    for (size_t j = 0; j <= segments; ++j) {
      int best = cost[i][j];
      uint8_t how = step[i][j];
      if (i > 0 && j > 0 && cost[i - 1][j - 1] < infinity) {
        int c = cost[i - 1][j - 1] + costs.pair(i - 1, j - 1);
        if (c < best) best = c, how = match;
      }
      if (i > 0 && cost[i - 1][j] < infinity) {
        int c = cost[i - 1][j] + (slot_info[i - 1].required ? costs.missing : 0);
        if (c < best) best = c, how = skip_slot;
      }
      if (j > 0 && cost[i][j - 1] < infinity) {
        int c = cost[i][j - 1] + (i == slots && costs.free_after_last ? 0 : unexpected[j - 1]);
        // On a tie the later segment is the extra one: a retransmitted copy, not the original.
        if (c <= best && best < infinity && how == match) best = c, how = skip_segment;
        else if (c < best) best = c, how = skip_segment;
      }
      cost[i][j] = best;
      step[i][j] = how;
    }
  }
  std::vector<AlignedPair> pairs;
  size_t i = slots, j = segments;
  while (i > 0 || j > 0) {
    switch (step[i][j]) {
      case match:
        pairs.push_back({static_cast<int>(i - 1), static_cast<int>(j - 1)});
        --i, --j;
        break;
      case skip_slot:
        if (slot_info[i - 1].required) pairs.push_back({static_cast<int>(i - 1), -1});
        --i;
        break;
      default:
        pairs.push_back({-1, static_cast<int>(j - 1), i == slots && costs.free_after_last});
        --j;
        break;
    }
  }
  std::reverse(pairs.begin(), pairs.end());
  return pairs;
}

}  // namespace tcpgrade
