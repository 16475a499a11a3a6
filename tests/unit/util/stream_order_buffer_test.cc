#include "util/stream_order_buffer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tcpgrade {
namespace {

std::vector<std::string> released_below(StreamOrderBuffer& buffer, uint32_t lowest) {
  std::vector<std::string> out;
  buffer.release_below(lowest, [&out](uint32_t stream, const std::string& text) {
    out.push_back(std::to_string(stream) + ":" + text);
  });
  return out;
}

TEST(StreamOrderBuffer, ReleasesInStreamOrderOnlyBelowTheLowestUnfinished) {
  StreamOrderBuffer buffer(1 << 20);
  buffer.add(3, "c");
  buffer.add(1, "a");
  buffer.add(7, "g");
  // Stream 2 is still open: 1 may leave, 3 and 7 wait.
  EXPECT_EQ(released_below(buffer, 2), (std::vector<std::string>{"1:a"}));
  EXPECT_EQ(buffer.waiting_count(), 2u);
  buffer.add(2, "b");
  EXPECT_EQ(released_below(buffer, 7), (std::vector<std::string>{"2:b", "3:c"}));
  EXPECT_EQ(released_below(buffer, 7), std::vector<std::string>{});
  EXPECT_EQ(released_below(buffer, UINT32_MAX), (std::vector<std::string>{"7:g"}));
  EXPECT_EQ(buffer.waiting_count(), 0u);
  EXPECT_EQ(buffer.waiting_bytes(), 0u);
}

TEST(StreamOrderBuffer, OneStreamsTextsKeepTheirOrder) {
  StreamOrderBuffer buffer(1 << 20);
  buffer.add(5, "first");
  buffer.add(4, "x");
  buffer.add(5, "second");
  EXPECT_EQ(released_below(buffer, 6), (std::vector<std::string>{"4:x", "5:first", "5:second"}));
}

TEST(StreamOrderBuffer, SaysWhenMoreThanTheLimitWaitsAndGivesAllBack) {
  StreamOrderBuffer buffer(10);
  buffer.add(9, "12345");
  buffer.add(8, "12345");
  EXPECT_FALSE(buffer.over_limit());  // exactly the limit
  buffer.add(20, "1");
  EXPECT_TRUE(buffer.over_limit());
  std::vector<uint32_t> streams;
  buffer.release_all(
      [&streams](uint32_t stream, const std::string&) { streams.push_back(stream); });
  EXPECT_EQ(streams, (std::vector<uint32_t>{8, 9, 20}));
  EXPECT_FALSE(buffer.over_limit());
  EXPECT_EQ(buffer.waiting_bytes(), 0u);
}

}  // namespace
}  // namespace tcpgrade
