#include "check/frame_alignment.h"

#include <algorithm>
#include <limits>
#include <optional>

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

namespace {

// The search over the cells (i, j) with low <= j - i <= high only; the others stay out of
// reach. `total` gets the cost of the alignment found (infinity when the band holds none).
std::vector<AlignedPair> search(size_t slots, const std::vector<ExpectedSlot>& slot_info,
                                size_t segments, const AlignmentCosts& costs, long low, long high,
                                int& total) {
  // cost[i][j]: cheapest alignment of the first i slots with the first j segments.
  constexpr int infinity = std::numeric_limits<int>::max() / 4;
  const size_t width = segments + 1;
  std::vector<int> cost((slots + 1) * width, infinity);
  enum Step : uint8_t { none, match, skip_slot, skip_segment };
  std::vector<uint8_t> step((slots + 1) * width, none);
  auto at = [width](size_t i, size_t j) { return i * width + j; };
  // Inside a block: block slot i-1 has claimed segments up to j-1 and may claim more.
  // `entered`: whether that run began at segment j-1 (else it went on from j-2).
  const bool blocks = static_cast<bool>(costs.absorb);
  std::vector<int> inside(blocks ? cost.size() : 0, infinity);
  std::vector<uint8_t> entered(blocks ? cost.size() : 0, 0);
  std::vector<uint8_t> is_block(slots, 0);
  if (blocks)
    for (size_t i = 0; i < slots; ++i) is_block[i] = costs.block(i);
  std::vector<int> unexpected(segments);
  for (size_t j = 0; j < segments; ++j) unexpected[j] = costs.unexpected(j);
  cost[0] = 0;
  for (size_t i = 0; i <= slots; ++i) {
    long first = std::max(0L, static_cast<long>(i) + low);
    long last = std::min(static_cast<long>(segments), static_cast<long>(i) + high);
    for (long jj = first; jj <= last; ++jj) {
      size_t j = static_cast<size_t>(jj);
      int best = cost[at(i, j)];
      uint8_t how = step[at(i, j)];
      if (i > 0 && j > 0 && is_block[i - 1]) {
        int fit = costs.absorb(i - 1, j - 1);
        if (fit >= 0) {
          int begin = cost[at(i - 1, j - 1)] < infinity ? cost[at(i - 1, j - 1)] + fit : infinity;
          // What a segment costs is the cost of beginning the run with it; going on is free.
          int go_on = inside[at(i, j - 1)];
          // On a tie a block begins as late as it can: what fits two blocks in a row (the
          // ACKs between a transfer and its close) goes to the first.
          inside[at(i, j)] = std::min(begin, go_on);
          entered[at(i, j)] = begin <= go_on;
        }
        // Leaving the block after segment j-1 costs nothing more.
        if (inside[at(i, j)] < best) best = inside[at(i, j)], how = match;
      } else if (i > 0 && j > 0 && cost[at(i - 1, j - 1)] < infinity) {
        int c = cost[at(i - 1, j - 1)] + costs.pair(i - 1, j - 1);
        if (c < best) best = c, how = match;
      }
      if (i > 0 && cost[at(i - 1, j)] < infinity) {
        int missing = costs.missing_at ? costs.missing_at(i - 1, j) : costs.missing;
        int c = cost[at(i - 1, j)] + (slot_info[i - 1].required ? missing : 0);
        if (c < best) best = c, how = skip_slot;
      }
      if (j > 0 && cost[at(i, j - 1)] < infinity) {
        int c = cost[at(i, j - 1)] + (i == slots && costs.free_after_last ? 0 : unexpected[j - 1]);
        // On a tie the later segment is the extra one: a retransmitted copy, not the original.
        // (Not in a block: what fits it is claimed, noise or not.)
        if (c <= best && best < infinity && how == match && !(i > 0 && is_block[i - 1]))
          best = c, how = skip_segment;
        else if (c < best)
          best = c, how = skip_segment;
      }
      cost[at(i, j)] = best;
      step[at(i, j)] = how;
    }
  }
  total = cost[at(slots, segments)];
  std::vector<AlignedPair> pairs;
  if (total >= infinity) return pairs;
  size_t i = slots, j = segments;
  while (i > 0 || j > 0) {
    if (step[at(i, j)] == match && is_block[i - 1]) {
      // The block's run, back to where it began.
      bool first;
      do {
        first = entered[at(i, j)];
        pairs.push_back({static_cast<int>(i - 1), static_cast<int>(j - 1)});
        --j;
      } while (!first);
      --i;
      continue;
    }
    switch (step[at(i, j)]) {
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

}  // namespace

std::vector<AlignedPair> align_frames(size_t slots, const std::vector<ExpectedSlot>& slot_info,
                                      size_t segments, const AlignmentCosts& costs) {
  int total = 0;
  return search(slots, slot_info, segments, costs, -static_cast<long>(slots),
                static_cast<long>(segments), total);
}

std::optional<std::vector<AlignedPair>> align_frames_free(
    size_t slots, const std::vector<ExpectedSlot>& slot_info, size_t segments,
    const AlignmentCosts& costs) {
  if (costs.free_after_last || costs.absorb || segments < slots) return std::nullopt;
  long noise = 0;
  for (size_t j = 0; j < segments; ++j) noise += costs.unexpected(j) == 0;
  for (const ExpectedSlot& slot : slot_info)
    if (!slot.required) return std::nullopt;
  if (static_cast<long>(segments - slots) > noise) return std::nullopt;
  int total = 0;
  std::vector<AlignedPair> pairs = search(slots, slot_info, segments, costs, 0, noise, total);
  if (total != 0) return std::nullopt;
  return pairs;
}

std::vector<AlignedPair> align_frames_unordered(size_t slots,
                                                const std::vector<ExpectedSlot>& slot_info,
                                                size_t segments, const AlignmentCosts& costs) {
  struct Candidate {
    int cost;
    size_t slot, segment;
  };
  std::vector<Candidate> candidates;
  for (size_t i = 0; i < slots; ++i)
    for (size_t j = 0; j < segments; ++j) {
      int cost = costs.pair(i, j);
      int leave = (slot_info[i].required ? costs.missing : 0) + costs.unexpected(j);
      if (cost < leave) candidates.push_back({cost, i, j});
    }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.cost < b.cost; });
  std::vector<int> slot_of(segments, -1), segment_of(slots, -1);
  for (const Candidate& c : candidates)
    if (slot_of[c.segment] < 0 && segment_of[c.slot] < 0) {
      slot_of[c.segment] = static_cast<int>(c.slot);
      segment_of[c.slot] = static_cast<int>(c.segment);
    }
  size_t last_paired = 0;  // one past the last segment any slot took
  for (size_t j = 0; j < segments; ++j)
    if (slot_of[j] >= 0) last_paired = j + 1;
  // Order key: a segment sorts at 2j+1; a missing slot right after the segment of the
  // nearest slot before it that was paired (or first of all).
  std::vector<std::pair<long, AlignedPair>> keyed;
  for (size_t j = 0; j < segments; ++j)
    keyed.push_back({2 * static_cast<long>(j) + 1,
                     {slot_of[j], static_cast<int>(j),
                      slot_of[j] < 0 && j >= last_paired && costs.free_after_last}});
  long anchor = 0;
  for (size_t i = 0; i < slots; ++i) {
    if (segment_of[i] >= 0) {
      anchor = 2 * static_cast<long>(segment_of[i]) + 2;
      continue;
    }
    if (slot_info[i].required) keyed.push_back({anchor, {static_cast<int>(i), -1, false}});
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<AlignedPair> pairs;
  for (const auto& [key, pair] : keyed) pairs.push_back(pair);
  return pairs;
}

}  // namespace tcpgrade
