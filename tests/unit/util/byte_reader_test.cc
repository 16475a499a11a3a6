#include "util/byte_reader.h"

#include <gtest/gtest.h>

#include <vector>

namespace tcpgrade {
namespace {

TEST(ByteReader, ReadsNetworkOrder) {
  std::vector<uint8_t> bytes = {0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 0x01};
  ByteReader reader(bytes);
  uint16_t u16 = 0;
  uint32_t u32 = 0;
  uint8_t u8 = 0;
  ASSERT_TRUE(reader.read_u16(u16));
  EXPECT_EQ(u16, 0x1234);
  ASSERT_TRUE(reader.read_u32(u32));
  EXPECT_EQ(u32, 0xdeadbeefu);
  ASSERT_TRUE(reader.read_u8(u8));
  EXPECT_EQ(u8, 1);
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(ByteReader, RefusesToReadPastTheEndAndDoesNotMove) {
  std::vector<uint8_t> bytes = {1, 2, 3};
  ByteReader reader(bytes);
  uint32_t u32 = 7;
  EXPECT_FALSE(reader.read_u32(u32));
  EXPECT_EQ(u32, 7u);
  EXPECT_EQ(reader.offset(), 0u);
  EXPECT_FALSE(reader.skip(4));
  EXPECT_TRUE(reader.skip(3));
  uint8_t u8 = 0;
  EXPECT_FALSE(reader.read_u8(u8));
}

TEST(ByteReader, TakeClampsToWhatIsPresent) {
  std::vector<uint8_t> bytes = {1, 2, 3, 4, 5};
  ByteReader reader(bytes);
  reader.skip(1);
  bool complete = true;
  ByteReader sub = reader.take(10, &complete);
  EXPECT_FALSE(complete);
  EXPECT_EQ(sub.remaining(), 4u);
  EXPECT_EQ(reader.remaining(), 0u);
  ByteReader again(bytes);
  ByteReader exact = again.take(2, &complete);
  EXPECT_TRUE(complete);
  EXPECT_EQ(exact.remaining(), 2u);
  EXPECT_EQ(again.remaining(), 3u);
}

TEST(ByteReader, LittleEndianForBsdLoopback) {
  std::vector<uint8_t> bytes = {2, 0, 0, 0};
  ByteReader reader(bytes);
  uint32_t family = 0;
  ASSERT_TRUE(reader.read_u32_le(family));
  EXPECT_EQ(family, 2u);
}

}  // namespace
}  // namespace tcpgrade
