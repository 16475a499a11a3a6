// Every TCP option kind, and options that lie about their length.
#include <gtest/gtest.h>

#include "capture/tcp_decoder.h"

namespace tcpgrade {
namespace {

TcpOptions parse(std::vector<uint8_t> bytes) {
  TcpOptions options;
  decode_tcp_options(ByteReader(bytes), options);
  return options;
}

TEST(TcpOptions, LinuxSynOptions) {
  TcpOptions o = parse({2, 4, 0xff, 0xd7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7});
  EXPECT_EQ(o.mss, 65495);
  EXPECT_TRUE(o.sack_permitted);
  EXPECT_EQ(o.tsval, 1u);
  EXPECT_EQ(o.tsecr, 2u);
  EXPECT_EQ(o.window_scale, 7);
  ASSERT_EQ(o.entry_count, 5);
  EXPECT_EQ(o.entries[0].kind, 2);
  EXPECT_EQ(o.entries[3].kind, 1);
  EXPECT_EQ(o.entries[4].kind, 3);
  EXPECT_FALSE(o.malformed);
}

TEST(TcpOptions, SackBlocks) {
  TcpOptions o = parse({1, 1, 5, 18, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0, 40});
  ASSERT_EQ(o.sack_count, 2);
  EXPECT_EQ(o.sack[0].left, 10u);
  EXPECT_EQ(o.sack[0].right, 20u);
  EXPECT_EQ(o.sack[1].left, 30u);
  EXPECT_EQ(o.sack[1].right, 40u);
}

TEST(TcpOptions, FastOpenCookieAndRequest) {
  EXPECT_TRUE(parse({34, 2}).fast_open);
  EXPECT_EQ(parse({34, 2}).fast_open_cookie_length, 0);
  TcpOptions cookie = parse({34, 10, 1, 2, 3, 4, 5, 6, 7, 8});
  EXPECT_TRUE(cookie.fast_open);
  EXPECT_EQ(cookie.fast_open_cookie_length, 8);
  TcpOptions experimental = parse({254, 4, 0xf9, 0x89});
  EXPECT_TRUE(experimental.fast_open);
}

TEST(TcpOptions, MptcpSubtypeAndUnknownKindsAreKept) {
  TcpOptions o = parse({30, 4, 0x01, 0x81, 99, 3, 0, 0});
  EXPECT_EQ(o.mptcp_subtype, 0);  // MP_CAPABLE
  ASSERT_EQ(o.entry_count, 3);
  EXPECT_EQ(o.entries[1].kind, 99);
  EXPECT_EQ(o.entries[1].length, 3);
  EXPECT_EQ(o.entries[2].kind, 0);  // EOL ends the list
}

TEST(TcpOptions, LengthsThatLieAreMalformed) {
  EXPECT_TRUE(parse({2, 0}).malformed);              // length below 2
  EXPECT_TRUE(parse({2, 40, 1, 1}).malformed);       // runs past the header
  EXPECT_TRUE(parse({8, 6, 0, 0, 0, 0}).malformed);  // timestamps must be 10
  EXPECT_TRUE(parse({2}).malformed);                 // no length byte
  TcpOptions wrong_mss = parse({2, 3, 0});
  EXPECT_TRUE(wrong_mss.malformed);
  EXPECT_FALSE(wrong_mss.mss.has_value());
}

TEST(TcpOptions, FortyNopsFit) {
  TcpOptions o = parse(std::vector<uint8_t>(40, 1));
  EXPECT_EQ(o.entry_count, 40);
  EXPECT_FALSE(o.malformed);
}

}  // namespace
}  // namespace tcpgrade
