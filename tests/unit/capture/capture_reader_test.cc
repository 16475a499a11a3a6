// Opening captures: formats and precisions, and every way a student's file can be bad.
#include "capture/capture_reader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <optional>

#include "analysis/capture_pipeline.h"
#include "capture/decoded_frame.h"
#include "support/packet_builder.h"

namespace tcpgrade {
namespace {

using testing::Bytes;
using testing::Record;

std::vector<Record> two_frames() {
  testing::Segment s;
  Record a{1700000000, 123456789, testing::ethernet(testing::ip_packet(s), false), 0};
  s.seq = 1;
  Record b{1700000001, 5, testing::ethernet(testing::ip_packet(s), false), 0};
  return {a, b};
}

std::string error_of(const std::string& path) {
  try {
    CaptureReader reader(path);
  } catch (const CaptureError& error) {
    return error.what();
  }
  return "";
}

TEST(CaptureReader, MicrosecondPcap) {
  std::string path = testing::write_temp_file("micro.pcap", testing::pcap_file(1, two_frames()));
  CaptureReader reader(path);
  RawFrame frame;
  ASSERT_TRUE(reader.next(frame));
  EXPECT_EQ(frame.number, 1u);
  EXPECT_EQ(frame.timestamp.sec, 1700000000);
  EXPECT_EQ(frame.timestamp.nsec, 123456000u);  // microsecond file: last digits are zero
  ASSERT_TRUE(reader.next(frame));
  EXPECT_EQ(frame.number, 2u);
  EXPECT_FALSE(reader.next(frame));
  EXPECT_FALSE(reader.warning());
}

TEST(CaptureReader, NanosecondPcapKeepsNanoseconds) {
  std::string path =
      testing::write_temp_file("nano.pcap", testing::pcap_file(1, two_frames(), true));
  CaptureReader reader(path);
  RawFrame frame;
  ASSERT_TRUE(reader.next(frame));
  EXPECT_EQ(frame.timestamp.nsec, 123456789u);
  ASSERT_TRUE(reader.next(frame));
  EXPECT_EQ(frame.timestamp.nsec, 5u);
}

TEST(CaptureReader, Pcapng) {
  std::string path = testing::write_temp_file("f.pcapng", testing::pcapng_file(1, two_frames()));
  CaptureReader reader(path);
  EXPECT_EQ(reader.link_type(), 1);
  RawFrame frame;
  ASSERT_TRUE(reader.next(frame));
  EXPECT_EQ(frame.timestamp.sec, 1700000000);
  EXPECT_EQ(frame.timestamp.nsec, 123456789u);
  EXPECT_EQ(frame.captured_length, 54u);
  ASSERT_TRUE(reader.next(frame));
  EXPECT_FALSE(reader.next(frame));
}

TEST(CaptureReader, FileCutShortMidRecordKeepsTheFramesBefore) {
  Bytes file = testing::pcap_file(1, two_frames());
  file.erase(file.end() - 10, file.end());
  std::string path = testing::write_temp_file("cut.pcap", file);
  CaptureReader reader(path);
  RawFrame frame;
  ASSERT_TRUE(reader.next(frame));
  EXPECT_FALSE(reader.next(frame));
  ASSERT_TRUE(reader.warning());
  EXPECT_EQ(*reader.warning(),
            path +
                ": file cut short at byte 94 (frame 2 incomplete: truncated dump file; tried "
                "to read 54 captured bytes, only got 44); using the 1 frame before it");
}

// A pcapng interface block of `linktype` (its snap length, if_tsresol 9), then `records` as
// enhanced packet blocks of interface `interface`: what mergecap appends for a second capture.
Bytes second_interface(uint16_t linktype, const std::vector<Record>& records, uint32_t interface) {
  Bytes blocks = testing::pcapng_file(linktype, records);
  blocks.erase(blocks.begin(), blocks.begin() + 28);  // the section header
  for (size_t at = 32; at + 12 <= blocks.size();) {   // after the interface block
    uint32_t length = blocks[at + 4] | blocks[at + 5] << 8 | blocks[at + 6] << 16;
    blocks[at + 8] = static_cast<uint8_t>(interface);
    at += length;
  }
  return blocks;
}

std::vector<Record> raw_ip_frames() {
  testing::Segment s;
  return {Record{1700000002, 7, testing::ip_packet(s), 0}};
}

// libpcap stops at the second interface of another link type; tshark reads both: so do we.
TEST(CaptureReader, PcapngFramesDecodeWithTheirOwnInterfacesLinkType) {
  // mergecap of a `-i lo` and a `-i any` capture: a second interface, Linux SLL2, after frame 2.
  Bytes file = testing::pcapng_file(1, two_frames());
  testing::Segment s;
  Bytes sll2 = second_interface(
      276, {Record{1700000003, 0, testing::linux_sll2(testing::ip_packet(s), false), 0}}, 1);
  file.insert(file.end(), sll2.begin(), sll2.end());
  std::string path = testing::write_temp_file("merged.pcapng", file);
  CapturePipeline pipeline(path);
  DecodedFrame frame;
  std::optional<FrameAnalysis> analysis;
  int tcp = 0;
  while (pipeline.next(frame, analysis)) tcp += frame.has_tcp;
  EXPECT_EQ(pipeline.frames(), 3u);
  EXPECT_EQ(tcp, 3) << "a frame of the SLL2 interface was not decoded as SLL2";
  EXPECT_FALSE(pipeline.reader().warning());
  EXPECT_EQ(pipeline.reader().link_type(), 1);  // the first interface's
}

// Issue 18: two LINKTYPE_RAW (101) interfaces were "mixed link types" to libpcap (12 != 101).
TEST(CaptureReader, PcapngWithTwoRawIpInterfacesReadsBoth) {
  Bytes file = testing::pcapng_file(101, raw_ip_frames());
  Bytes second = second_interface(101, raw_ip_frames(), 1);
  Bytes third = second_interface(12, raw_ip_frames(), 2);
  file.insert(file.end(), second.begin(), second.end());
  file.insert(file.end(), third.begin(), third.end());
  std::string path = testing::write_temp_file("raw-twice.pcapng", file);
  CaptureReader reader(path);
  RawFrame frame;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(reader.next(frame)) << "frame " << i + 1;
    EXPECT_EQ(frame.link_type, 12) << "frame " << i + 1;  // DLT_RAW
    EXPECT_EQ(frame.timestamp.sec, 1700000002);
    EXPECT_EQ(frame.timestamp.nsec, 7u);
  }
  EXPECT_FALSE(reader.next(frame));
  EXPECT_FALSE(reader.warning());
}

TEST(CaptureReader, PcapngFrameOfAnUndescribedInterfaceEndsTheFramesWithAWarning) {
  Bytes file = testing::pcapng_file(1, two_frames());
  Bytes stray = second_interface(1, two_frames(), 5);
  file.insert(file.end(), stray.begin() + 32, stray.end());  // packets without their interface
  std::string path = testing::write_temp_file("stray.pcapng", file);
  CaptureReader reader(path);
  RawFrame frame;
  ASSERT_TRUE(reader.next(frame));
  ASSERT_TRUE(reader.next(frame));
  EXPECT_FALSE(reader.next(frame));
  ASSERT_TRUE(reader.warning());
  EXPECT_EQ(*reader.warning(), path +
                                   ": malformed block at byte 236 (frame 3 incomplete: a frame "
                                   "of interface 5, which no block describes); using the 2 "
                                   "frames before it");
}

TEST(CaptureReader, PcapngCutShortKeepsTheFramesBefore) {
  Bytes file = testing::pcapng_file(1, two_frames());
  file.resize(file.size() - 10);
  std::string path = testing::write_temp_file("cut.pcapng", file);
  CaptureReader reader(path);
  RawFrame frame;
  ASSERT_TRUE(reader.next(frame));
  EXPECT_FALSE(reader.next(frame));
  ASSERT_TRUE(reader.warning());
  EXPECT_EQ(*reader.warning(), path +
                                   ": file cut short at byte 148 (frame 2 incomplete: a block "
                                   "of 88 bytes cut short); using the 1 frame before it");
}

TEST(CaptureReader, ErrorsNameTheFileAndTheCause) {
  EXPECT_EQ(error_of("/nonexistent/x.pcap"),
            "/nonexistent/x.pcap: cannot open: No such file or directory");
  std::string empty = testing::write_temp_file("empty.pcap", {});
  EXPECT_EQ(error_of(empty), empty + ": empty file (0 bytes), not a capture");
  std::string text = testing::write_temp_file("essay.pcap", Bytes(100, 'a'));
  EXPECT_EQ(error_of(text), text + ": not a pcap or pcapng capture (unknown file format)");
  std::string header_only = testing::write_temp_file("short.pcap", {0xd4, 0xc3, 0xb2, 0xa1, 2});
  EXPECT_EQ(error_of(header_only),
            header_only + ": capture file cut short inside its file header (5 bytes)");
  std::string dir = ::testing::TempDir();
  EXPECT_EQ(error_of(dir), dir + ": is a directory");
}

// A device or a /proc file has no size to stat: what libpcap could read says what it is.
TEST(CaptureReader, FilesWithoutASizeAreNamedByWhatCouldBeRead) {
  EXPECT_EQ(error_of("/dev/null"), "/dev/null: empty file (0 bytes), not a capture");
  // stat() says 0 bytes, but reading fails: the cause is the read error, not emptiness.
  EXPECT_EQ(error_of("/proc/self/mem"), "/proc/self/mem: cannot read: Input/output error");
  // stat() says 0 bytes, but the file has text in it.
  EXPECT_EQ(error_of("/proc/self/status"),
            "/proc/self/status: not a pcap or pcapng capture (unknown file format)");
}

// grade opens each submission once and hands its child the descriptor: read from it, named
// in messages as the path would be, and left open for its owner.
TEST(CaptureReader, ReadsAnOpenDescriptorAndNamesTheFileAsGiven) {
  std::string path = testing::write_temp_file("fd.pcap", testing::pcap_file(1, two_frames()));
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  {
    CaptureReader reader(fd, "class/alice.pcap");
    EXPECT_EQ(reader.path(), "class/alice.pcap");
    RawFrame frame;
    ASSERT_TRUE(reader.next(frame));
    EXPECT_EQ(frame.timestamp.sec, 1700000000);
    ASSERT_TRUE(reader.next(frame));
    EXPECT_FALSE(reader.next(frame));
  }
  EXPECT_NE(::fcntl(fd, F_GETFD), -1) << "the reader closed its caller's descriptor";
  ::close(fd);
  std::string text = testing::write_temp_file("essay-fd.pcap", Bytes(100, 'a'));
  fd = ::open(text.c_str(), O_RDONLY | O_CLOEXEC);
  try {
    CaptureReader reader(fd, "class/bob.pcap");
    ADD_FAILURE() << "expected an error";
  } catch (const CaptureError& error) {
    EXPECT_EQ(std::string(error.what()),
              "class/bob.pcap: not a pcap or pcapng capture (unknown file format)");
  }
  ::close(fd);
  std::string empty = testing::write_temp_file("empty-fd.pcap", {});
  fd = ::open(empty.c_str(), O_RDONLY | O_CLOEXEC);
  try {
    CapturePipeline pipeline(fd, "class/carol.pcap");
    ADD_FAILURE() << "expected an error";
  } catch (const CaptureError& error) {
    EXPECT_EQ(std::string(error.what()), "class/carol.pcap: empty file (0 bytes), not a capture");
  }
  ::close(fd);
}

TEST(CapturePipeline, UnsupportedLinkTypeIsAClearError) {
  std::string path =
      testing::write_temp_file("usb.pcap", testing::pcap_file(189, {Record{0, 0, Bytes(20), 0}}));
  try {
    CapturePipeline pipeline(path);
    FAIL() << "expected an error";
  } catch (const CaptureError& error) {
    EXPECT_EQ(std::string(error.what()),
              path +
                  ": link type USB_LINUX (189) not supported (supported: Ethernet, "
                  "Linux cooked SLL and SLL2, BSD NULL/LOOP, raw IP, PPP, Cisco HDLC, IP over "
                  "InfiniBand, ARCnet)");
  }
}

}  // namespace
}  // namespace tcpgrade

namespace tcpgrade {
namespace {

// The file offset of the 8-byte value of isb_ifdrop in the first interface statistics block of
// a little-endian pcapng (what dumpcap writes), or 0.
size_t ifdrop_value_offset(const std::string& bytes) {
  auto u32 = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<uint8_t>(bytes[at])) |
           static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 1])) << 8 |
           static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 2])) << 16 |
           static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 3])) << 24;
  };
  for (size_t at = 0; at + 12 <= bytes.size();) {
    uint32_t type = u32(at), length = u32(at + 4);
    if (length < 12) return 0;
    if (type == 5)
      for (size_t option = at + 8 + 12; option + 4 <= at + length - 4;) {
        uint32_t code = u32(option) & 0xffff, size = u32(option) >> 16;
        if (code == 0) break;
        if (code == 5 && size == 8) return option + 4;
        option += 4 + (size + 3) / 4 * 4;
      }
    at += length;
  }
  return 0;
}

uint64_t read_to_end(const std::string& path, std::optional<uint64_t>& dropped) {
  CaptureReader reader(path);
  RawFrame frame;
  uint64_t frames = 0;
  while (reader.next(frame)) ++frames;
  dropped = reader.dropped();
  return frames;
}

TEST(CaptureReader, PcapngDropCounterIsRead) {
  const std::string original =
      std::string(TCPGRADE_SOURCE_DIR) + "/tests/data/captures/matrix-dumpcap.pcapng";
  std::ifstream in(original, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::optional<uint64_t> dropped;
  EXPECT_EQ(read_to_end(original, dropped), 13u);
  EXPECT_EQ(dropped, std::optional<uint64_t>(0));  // dumpcap's counter, zero here
  size_t at = ifdrop_value_offset(bytes);
  ASSERT_NE(at, 0u);
  bytes[at] = 14;  // little-endian 14
  std::string patched = ::testing::TempDir() + "dropped14.pcapng";
  std::ofstream(patched, std::ios::binary) << bytes;
  EXPECT_EQ(read_to_end(patched, dropped), 13u);
  EXPECT_EQ(dropped, std::optional<uint64_t>(14));
  // A pcap file has no such counter.
  EXPECT_EQ(
      read_to_end(std::string(TCPGRADE_SOURCE_DIR) + "/tests/data/captures/lab-lo.pcap", dropped),
      12u);
  EXPECT_FALSE(dropped.has_value());
}

}  // namespace
}  // namespace tcpgrade
