// The tsv line's cells: numbers at every length boundary of the digit writers,
// addresses and names, compared with what fmt writes.
#include "analysis/dump_format.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tcpgrade {
namespace {

std::vector<std::string> cells(const DecodedFrame& frame, const FrameAnalysis* analysis,
                               Timestamp first = {}) {
  fmt::memory_buffer out;
  append_tsv_line(out, {frame, analysis, first});
  std::string_view line(out.data(), out.size());
  EXPECT_TRUE(!line.empty() && line.back() == '\n');
  line.remove_suffix(1);
  std::vector<std::string> result;
  for (size_t start = 0;;) {
    size_t tab = line.find('\t', start);
    result.emplace_back(line.substr(start, tab - start));
    if (tab == std::string_view::npos) return result;
    start = tab + 1;
  }
}

DecodedFrame tcp_frame(uint32_t seq, uint32_t ack) {
  DecodedFrame frame;
  frame.number = 7;
  frame.ip.version = 4;
  frame.ip.src.family = frame.ip.dst.family = 4;
  frame.ip.src.bytes = {10, 0, 255, 1};
  frame.ip.dst.bytes = {192, 168, 0, 100};
  frame.has_tcp = true;
  frame.tcp.seq = seq;
  frame.tcp.ack = ack;
  frame.tcp.flags = tcp_flag::ack;
  return frame;
}

constexpr size_t column_seq_raw = 17, column_ack_raw = 18;

TEST(DumpFormat, NumbersAtEveryLengthMatchFmt) {
  std::vector<uint32_t> values = {0, 9, 10, 99, 100, 999, 1000, 9999, 4294967295u};
  for (uint32_t power = 10'000; power <= 1'000'000'000; power *= 10) {
    values.push_back(power - 1);
    values.push_back(power);
    values.push_back(power + 1);
    values.push_back(power + power / 2 + 7);
  }
  for (uint32_t value : values) {
    std::vector<std::string> line = cells(tcp_frame(value, ~value), nullptr);
    ASSERT_GT(line.size(), column_ack_raw);
    EXPECT_EQ(line[column_seq_raw], fmt::format("{}", value));
    EXPECT_EQ(line[column_ack_raw], fmt::format("{}", ~value));
  }
}

TEST(DumpFormat, SixtyFourBitNumbersMatchFmt) {
  for (uint64_t value :
       {uint64_t{4294967296}, uint64_t{99'999'999'999}, uint64_t{100'000'000'000'000},
        uint64_t{1'234'567'890'123'456'789}, UINT64_MAX}) {
    DecodedFrame frame = tcp_frame(0, 0);
    frame.number = value;
    EXPECT_EQ(cells(frame, nullptr)[0], fmt::format("{}", value));
  }
}

TEST(DumpFormat, TimesAddressesAndNames) {
  DecodedFrame frame = tcp_frame(1, 2);
  frame.timestamp = {1728239400, 5};
  FrameAnalysis analysis;
  analysis.stream = 12345678;
  analysis.direction = Direction::server_to_client;
  analysis.phase = Phase::teardown;
  analysis.window_scaled = -1;
  analysis.window_shift = -2;
  std::vector<std::string> line = cells(frame, &analysis, {1728239399, 999'999'999});
  EXPECT_EQ(line[0], "7");
  EXPECT_EQ(line[1], "1728239400.000000005");
  EXPECT_EQ(line[2], "0.000000006");
  EXPECT_EQ(line[3], "12345678");
  EXPECT_EQ(line[4], "server→client");
  EXPECT_EQ(line[5], "teardown");
  EXPECT_EQ(line[7], "10.0.255.1");
  EXPECT_EQ(line[9], "192.168.0.100");
  EXPECT_EQ(line[22], "-1");
  EXPECT_EQ(line[23], "-2");
  EXPECT_EQ(line[34], "ok");
  // Before the first frame: a negative relative time.
  line = cells(frame, &analysis, {1728239401, 0});
  EXPECT_EQ(line[2], "-0.999999995");
}

TEST(DumpFormat, Ipv6AddressesAsInetNtop) {
  DecodedFrame frame = tcp_frame(0, 0);
  frame.ip.version = 6;
  frame.ip.src.family = frame.ip.dst.family = 6;
  frame.ip.src.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  frame.ip.dst.bytes = {};
  frame.ip.dst.bytes[15] = 1;
  std::vector<std::string> line = cells(frame, nullptr);
  EXPECT_EQ(line[7], "2001:db8::1");
  EXPECT_EQ(line[9], "::1");
}

}  // namespace
}  // namespace tcpgrade
