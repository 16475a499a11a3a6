// The alignment's blocks: a block slot claims a run of segments (frame_alignment.h).
#include <gtest/gtest.h>

#include "check/frame_alignment.h"

namespace tcpgrade {
namespace {

// Expected frames are letters; 'T' is a block that claims segments 'd' (data) and 'a' (ACKs),
// 'F' a block that claims 'f' (FIN) and 'a'. Other letters pair one to one when they agree:
// an expected 'a' is a frame that wants an ACK.
std::vector<AlignedPair> align(const std::string& expected, const std::string& captured) {
  std::vector<ExpectedSlot> slots;
  for (size_t i = 0; i < expected.size(); ++i) slots.push_back({i, 0, true});
  AlignmentCosts costs;
  costs.pair = [&](size_t s, size_t g) { return expected[s] == captured[g] ? 0 : 6; };
  costs.unexpected = [&](size_t g) { return captured[g] == 'n' ? 0 : 3; };
  costs.block = [&](size_t s) { return expected[s] == 'T' || expected[s] == 'F'; };
  costs.absorb = [&](size_t s, size_t g) {
    char c = captured[g];
    // An ACK ('a') fits both blocks, but a run that begins with one costs 1.
    if (expected[s] == 'T') return c == 'd' ? 0 : c == 'a' ? 1 : -1;
    return c == 'f' ? 0 : c == 'a' ? 1 : -1;
  };
  return align_frames(slots.size(), slots, captured.size(), costs);
}

// One character per pair: the slot's expected letter, '+' unclaimed, '-' missing.
std::string show(const std::vector<AlignedPair>& pairs, const std::string& expected) {
  std::string out;
  for (const AlignedPair& p : pairs)
    out += p.slot < 0 ? '+' : p.segment < 0 ? '-' : expected[static_cast<size_t>(p.slot)];
  return out;
}

TEST(BlockAlignment, BlockClaimsTheWholeRunOfDataAndAcks) {
  std::string expected = "SRTF";
  EXPECT_EQ(show(align(expected, "SRdadadddaaffa"), expected), "SRTTTTTTTTTFFF");
}

TEST(BlockAlignment, EveryPairOfTheRunNamesTheBlockSlotInCaptureOrder) {
  std::vector<AlignedPair> pairs = align("ST", "Sdad");
  ASSERT_EQ(pairs.size(), 4u);
  for (size_t k = 1; k < 4; ++k) {
    EXPECT_EQ(pairs[k].slot, 1);
    EXPECT_EQ(pairs[k].segment, static_cast<int>(k));
  }
}

TEST(BlockAlignment, ABlockWithNothingToClaimIsMissing) {
  std::string expected = "STF";
  EXPECT_EQ(show(align(expected, "Sffa"), expected), "S-FFF");
}

TEST(BlockAlignment, ASegmentThatFitsNoBlockEndsItAndIsUnexpected) {
  std::string expected = "STF";
  // 'x' fits nothing: the transfer ends before it, the teardown starts after it.
  EXPECT_EQ(show(align(expected, "Sddxfa"), expected), "STT+FF");
}

TEST(BlockAlignment, TheFrameAfterABlockStillPairsOneToOne) {
  std::string expected = "STE";
  EXPECT_EQ(show(align(expected, "SdadaE"), expected), "STTTTE");
}

TEST(BlockAlignment, ToleratedNoiseInsideTheRunIsClaimedByTheBlock) {
  // An 'a' is noise-free to leave, but the block claims what fits it.
  std::string expected = "ST";
  EXPECT_EQ(show(align(expected, "Sdaa"), expected), "STTT");
}

TEST(BlockAlignment, ABlockDoesNotTakeAnAckAFrameWants) {
  // Cut after the handshake's ACK: the close would begin with it, but the frame wants it.
  std::string expected = "SaF";
  EXPECT_EQ(show(align(expected, "Sa"), expected), "Sa-");
}

TEST(BlockAlignment, ARunThatBeganGoesOnThroughAcksForFree) {
  // The ACKs before the FIN-carrying data stay in the transfer: they cost nothing once it began.
  std::string expected = "STF";
  EXPECT_EQ(show(align(expected, "Sdaadafa"), expected), "STTTTTFF");
}

TEST(BlockAlignment, TheBandedSearchStepsAsideForBlocks) {
  std::vector<ExpectedSlot> slots = {{0, 0, true}, {1, 0, true}};
  AlignmentCosts costs;
  costs.pair = [](size_t, size_t) { return 0; };
  costs.unexpected = [](size_t) { return 0; };
  costs.block = [](size_t s) { return s == 1; };
  costs.absorb = [](size_t, size_t) { return 0; };
  EXPECT_FALSE(align_frames_free(2, slots, 5, costs).has_value());
}

}  // namespace
}  // namespace tcpgrade
