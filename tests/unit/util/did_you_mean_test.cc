#include "util/did_you_mean.h"

#include <gtest/gtest.h>

namespace tcpgrade {
namespace {

TEST(DidYouMean, EditDistance) {
  EXPECT_EQ(edit_distance("flag", "flags"), 1u);
  EXPECT_EQ(edit_distance("SYN", "syn"), 0u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(DidYouMean, SuggestsOnlyNearWords) {
  std::vector<std::string> keys = {"seq", "ack", "flags", "teaches", "window_scaled"};
  EXPECT_EQ(did_you_mean("flag", keys), "; did you mean 'flags'?");
  EXPECT_EQ(did_you_mean("teach", keys), "; did you mean 'teaches'?");
  EXPECT_EQ(did_you_mean("window_scale", keys), "; did you mean 'window_scaled'?");
  EXPECT_EQ(did_you_mean("sq", keys), "; did you mean 'seq'?");
  EXPECT_EQ(did_you_mean("xyz", keys), "");
  EXPECT_EQ(did_you_mean("sequence", keys), "");
  EXPECT_EQ(did_you_mean("", keys), "");
}

TEST(DidYouMean, TiesGoToTheFirstCandidate) {
  EXPECT_EQ(closest_word("ab", {"abc", "abd"}), "abc");
}

}  // namespace
}  // namespace tcpgrade
