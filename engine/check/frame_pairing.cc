#include "check/frame_pairing.h"

#include <algorithm>

#include "check/block_judge.h"

namespace tcpgrade {

FrameTally PairMemo::tally(const ScenarioVariant& variant, size_t frame, const CapturedSegment& s,
                           size_t segment, const Relations& r) {
  const ExpectedFrame& e = variant.scenario.frames[frame];
  FrameTally* memo = slot(variant, frame, segment);
  if (!memo) return tally_frame(e, s, r);
  if (!memo->known) *memo = tally_frame(e, s, r);
  return *memo;
}

int PairMemo::cost(const ScenarioVariant& variant, size_t frame, const CapturedSegment& s,
                   size_t segment, const Relations& r, int cap) {
  const ExpectedFrame& e = variant.scenario.frames[frame];
  FrameTally* memo = slot(variant, frame, segment);
  if (memo && (memo->known || memo->cost >= cap)) return std::min(memo->cost, cap);
  FrameTally t = tally_frame(e, s, r, cap);
  if (memo && (t.known || t.cost > memo->cost)) *memo = t;
  return std::min(t.cost, cap);
}

FrameTally* PairMemo::slot(const ScenarioVariant& variant, size_t frame, size_t segment) {
  int from = frame < variant.source.size() ? variant.source[frame] : -1;
  if (from < 0 || (variant.refers_to_frames && refers_to_frames(variant.scenario.frames[frame])))
    return nullptr;
  size_t at = static_cast<size_t>(from) * segments_ + segment;
  if (at >= tallies_.size()) tallies_.resize(at + 1);
  return &tallies_[at];
}

Alignment align_conversation(const ScenarioVariant& variant, const CapturedConversation& c,
                             PairMemo& memo, const std::vector<LostSegment>& lost,
                             bool stopped_open) {
  const Scenario& scenario = variant.scenario;
  Alignment a;
  Relations& relations = a.relations;
  for (const CapturedSegment& s : c.segments)
    if ((s.flags & tcp_flag::syn) && !relations.isn[static_cast<int>(s.direction)])
      relations.isn[static_cast<int>(s.direction)] = s.seq_raw;

  a.slots = variant.slots;
  const std::vector<ExpectedSlot>& slots = a.slots;
  AlignmentCosts costs;
  costs.unexpected = [&](size_t segment) {
    return (c.segments[segment].analysis_flags & scenario.noise.tolerated_flags) ? 0 : 3;
  };
  // A pairing that costs more than leaving the slot missing and the segment unexpected is never
  // chosen, so its cost is worked out only that far: the same alignment, found sooner.
  costs.pair = [&](size_t slot, size_t segment) {
    int cap = costs.missing + costs.unexpected(segment) + 1;
    return memo.cost(variant, slots[slot].index, c.segments[segment], segment, relations, cap);
  };
  costs.free_after_last = scenario.noise.ignore_rest;
  // Blocks (transfer:, teardown:) claim runs of segments.
  bool any_block = false;
  for (const ExpectedSlot& slot : slots) any_block = any_block || scenario.frames[slot.index].block;
  if (any_block) {
    costs.block = [&](size_t slot) { return scenario.frames[slots[slot].index].block != nullptr; };
    costs.absorb = [&](size_t slot, size_t segment) {
      return block_absorb_cost(*scenario.frames[slots[slot].index].block, c.segments[segment]);
    };
  }
  const size_t end = c.segments.size();
  if (!lost.empty() || stopped_open)
    costs.missing_at = [&, end](size_t slot, size_t segment) {
      if (stopped_open && segment == end) return 0;  // due after the capture stopped
      if (lost.empty()) return costs.missing;
      return lost_for_frame(lost, scenario.frames[slots[slot].index], segment) ? 1 : costs.missing;
    };
  if (scenario.noise.strict_order) {
    // A capture that fits the variant (the common case) is aligned without the full search.
    auto free = align_frames_free(slots.size(), slots, c.segments.size(), costs);
    a.pairs = free ? std::move(*free) : align_frames(slots.size(), slots, c.segments.size(), costs);
  } else {
    a.pairs = align_frames_unordered(slots.size(), slots, c.segments.size(), costs);
  }

  // same_as needs the alignment: record each expected frame's first match, then judge.
  if (!variant.refers_to_frames) return a;
  for (const AlignedPair& p : a.pairs)
    if (p.slot >= 0 && p.segment >= 0 && slots[p.slot].copy == 0)
      relations.matched[scenario.frames[slots[p.slot].index].id] = &c.segments[p.segment];
  return a;
}

}  // namespace tcpgrade
