#include "check/frame_alignment.h"

#include <gtest/gtest.h>

#include <random>

namespace tcpgrade {
namespace {

// Expected frames and segments are letters; a pair costs 0 when the letters agree.
std::vector<AlignedPair> align(const std::string& expected, const std::string& captured,
                               const std::string& noise = "", std::vector<bool> required = {}) {
  std::vector<ExpectedSlot> slots;
  for (size_t i = 0; i < expected.size(); ++i)
    slots.push_back({i, 0, required.empty() ? true : bool(required[i])});
  AlignmentCosts costs;
  costs.pair = [&](size_t s, size_t g) { return expected[s] == captured[g] ? 0 : 6; };
  costs.unexpected = [&](size_t g) { return noise.find(captured[g]) != std::string::npos ? 0 : 3; };
  return align_frames(slots.size(), slots, captured.size(), costs);
}

std::string show(const std::vector<AlignedPair>& pairs) {
  std::string out;
  for (const AlignedPair& p : pairs) out += p.slot < 0 ? "+" : p.segment < 0 ? "-" : "=";
  return out;
}

TEST(FrameAlignment, IdenticalSequencesPairOneToOne) {
  EXPECT_EQ(show(align("SAA", "SAA")), "===");
}

TEST(FrameAlignment, MissingFrameIsPlacedWhereItWasDue) {
  std::vector<AlignedPair> pairs = align("SHA", "SA");
  EXPECT_EQ(show(pairs), "=-=");
  EXPECT_EQ(pairs[1].slot, 1);
}

TEST(FrameAlignment, UnexpectedAndNoiseFrames) {
  EXPECT_EQ(show(align("SA", "SXA")), "=+=");
  EXPECT_EQ(show(align("SA", "SDA", "D")), "=+=");
}

TEST(FrameAlignment, OptionalSlotsCostNothingWhenAbsent) {
  std::vector<AlignedPair> pairs = align("SOA", "SA", "", {true, false, true});
  EXPECT_EQ(show(pairs), "==");
}

TEST(FrameAlignment, RestIgnoreMarksOnlyTrailingSegmentsBeyondLast) {
  std::vector<ExpectedSlot> slots = {{0, 0, true}, {1, 0, true}};
  std::string expected = "SA", captured = "SXAYZ";
  AlignmentCosts costs;
  costs.pair = [&](size_t s, size_t g) { return expected[s] == captured[g] ? 0 : 6; };
  costs.unexpected = [](size_t) { return 3; };
  costs.free_after_last = true;
  std::vector<AlignedPair> pairs = align_frames(slots.size(), slots, captured.size(), costs);
  ASSERT_EQ(show(pairs), "=+=++");
  EXPECT_FALSE(pairs[1].beyond_last);  // X sits between expected frames: still unexpected
  EXPECT_TRUE(pairs[3].beyond_last);
  EXPECT_TRUE(pairs[4].beyond_last);
}

TEST(FrameAlignment, RelaxedOrderPairsFramesInAnyOrder) {
  std::vector<ExpectedSlot> slots = {{0, 0, true}, {1, 0, true}, {2, 0, true}, {3, 0, false}};
  std::string expected = "SAFO", captured = "FXSA";
  AlignmentCosts costs;
  costs.pair = [&](size_t s, size_t g) { return expected[s] == captured[g] ? 0 : 6; };
  costs.unexpected = [](size_t) { return 3; };
  std::vector<AlignedPair> pairs =
      align_frames_unordered(slots.size(), slots, captured.size(), costs);
  ASSERT_EQ(show(pairs), "=+==");  // capture order; the optional O is not missed
  EXPECT_EQ(pairs[0].slot, 2);     // F
  EXPECT_EQ(pairs[2].slot, 0);     // S
  EXPECT_EQ(pairs[3].slot, 1);     // A

  std::string fewer = "SF";  // A is missing: placed after S, the slot before it
  costs.pair = [&](size_t s, size_t g) { return expected[s] == fewer[g] ? 0 : 6; };
  pairs = align_frames_unordered(slots.size(), slots, fewer.size(), costs);
  ASSERT_EQ(show(pairs), "=-=");
  EXPECT_EQ(pairs[1].slot, 1);
}

TEST(FrameAlignment, RepeatsUnrollUpToMax) {
  Scenario scenario;
  ExpectedFrame data;
  data.id = "data";
  data.repeat_min = 1;
  data.repeat_max = 3;
  scenario.frames.push_back(data);
  std::vector<ExpectedSlot> slots = unroll_repeats(scenario);
  ASSERT_EQ(slots.size(), 3u);
  EXPECT_TRUE(slots[0].required);
  EXPECT_FALSE(slots[1].required);
  EXPECT_EQ(slots[2].copy, 2);
}

// align_frames_free searches a band of the table only: whenever it answers, the answer must be
// align_frames' own, pair by pair; it must answer whenever the alignment costs nothing.
TEST(FrameAlignment, FreeAlignmentIsTheFullSearchsWhenItCostsNothing) {
  std::mt19937 random(8);
  int answered = 0;
  for (int round = 0; round < 20000; ++round) {
    // Letters from a small alphabet so that look-alikes (retransmitted copies, duplicate ACKs)
    // and ties are common; D and R are noise.
    const std::string alphabet = "SAHDR";
    std::string expected, captured;
    size_t slots = 1 + random() % 6, segments = random() % 9;
    for (size_t i = 0; i < slots; ++i) expected += alphabet[random() % 3];
    for (size_t j = 0; j < segments; ++j) captured += alphabet[random() % alphabet.size()];
    if (round % 2) {  // half the rounds: the expected frames with noise between them
      captured.clear();
      for (char c : expected) {
        while (random() % 3 == 0) captured += alphabet[3 + random() % 2];
        captured += c;
      }
      segments = captured.size();
    }
    std::vector<ExpectedSlot> slot_info;
    for (size_t i = 0; i < slots; ++i) slot_info.push_back({i, 0, true});
    AlignmentCosts costs;
    costs.pair = [&](size_t s, size_t g) { return expected[s] == captured[g] ? 0 : 6; };
    costs.unexpected = [&](size_t g) { return captured[g] == 'D' || captured[g] == 'R' ? 0 : 3; };
    std::vector<AlignedPair> full = align_frames(slots, slot_info, segments, costs);
    bool free = true;
    for (const AlignedPair& p : full)
      free = free && p.segment >= 0 &&
             (p.slot >= 0 ? costs.pair(p.slot, p.segment) == 0 : costs.unexpected(p.segment) == 0);
    std::optional<std::vector<AlignedPair>> banded =
        align_frames_free(slots, slot_info, segments, costs);
    ASSERT_EQ(banded.has_value(), free) << expected << " / " << captured;
    if (!banded) continue;
    ++answered;
    ASSERT_EQ(banded->size(), full.size()) << expected << " / " << captured;
    for (size_t k = 0; k < full.size(); ++k) {
      EXPECT_EQ((*banded)[k].slot, full[k].slot) << expected << " / " << captured;
      EXPECT_EQ((*banded)[k].segment, full[k].segment) << expected << " / " << captured;
    }
  }
  EXPECT_GT(answered, 5000);
}

}  // namespace
}  // namespace tcpgrade
