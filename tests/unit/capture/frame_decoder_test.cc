// Link types, IPv4/IPv6, TCP options and snap-length truncation, decoded frame by frame.
#include "capture/frame_decoder.h"

#include <gtest/gtest.h>
#include <pcap/dlt.h>

#include "support/packet_builder.h"

namespace tcpgrade {
namespace {

using testing::Bytes;
using testing::Segment;

DecodedFrame decode(int dlt, const Bytes& bytes, uint32_t wire_length = 0) {
  RawFrame raw;
  raw.number = 1;
  raw.captured_length = static_cast<uint32_t>(bytes.size());
  raw.wire_length = wire_length ? wire_length : raw.captured_length;
  raw.bytes = bytes;
  return decode_frame(dlt, raw);
}

Segment lab_syn() {
  Segment s;
  s.seq = 0x3c8a1f27;
  s.flags = tcp_flag::syn;
  s.window = 65495;
  s.options = testing::cat({testing::mss_option(65495),
                            testing::sack_perm_option(),
                            {8, 10, 0x9a, 0xe5, 0xe0, 0x81, 0, 0, 0, 0},
                            testing::ws_option(7)});
  return s;
}

void expect_lab_syn(const DecodedFrame& frame) {
  ASSERT_TRUE(frame.has_tcp) << (frame.problem ? frame.problem : "");
  EXPECT_EQ(frame.status, DecodeStatus::ok);
  EXPECT_EQ(frame.tcp.src_port, 53802);
  EXPECT_EQ(frame.tcp.dst_port, 8002);
  EXPECT_EQ(frame.tcp.seq, 0x3c8a1f27u);
  EXPECT_EQ(frame.tcp.flags, tcp_flag::syn);
  EXPECT_EQ(frame.tcp.window, 65495);
  EXPECT_EQ(frame.tcp.header_length, 40);
  EXPECT_EQ(frame.tcp.payload_length, 0u);
  EXPECT_EQ(frame.tcp.options.mss, 65495);
  EXPECT_TRUE(frame.tcp.options.sack_permitted);
  EXPECT_EQ(frame.tcp.options.tsval, 2598756481u);
  EXPECT_EQ(frame.tcp.options.tsecr, 0u);
  EXPECT_EQ(frame.tcp.options.window_scale, 7);
}

TEST(FrameDecoder, EthernetLoopbackAsTcpdumpWritesIt) {
  Bytes frame = testing::ethernet(testing::ip_packet(lab_syn()), false);
  EXPECT_EQ(frame.size(), 74u);  // frame 1 of the lab
  DecodedFrame decoded = decode(DLT_EN10MB, frame);
  expect_lab_syn(decoded);
  EXPECT_EQ(to_string(decoded.ip.src), "127.0.0.1");
  EXPECT_EQ(decoded.ip.version, 4);
  EXPECT_TRUE(decoded.ip.dont_fragment);
}

TEST(FrameDecoder, AeAndReservedBitsAreDecodedAndNamedAsWiresharkDoes) {
  Segment s;
  s.flags = tcp_flag::ack | tcp_flag::ae | 0x200;  // AE plus one reserved bit
  DecodedFrame decoded = decode(DLT_EN10MB, testing::ethernet(testing::ip_packet(s), false));
  ASSERT_TRUE(decoded.has_tcp);
  EXPECT_EQ(decoded.tcp.flags, 0x310);
  EXPECT_EQ(flag_names(decoded.tcp.flags), "ACK, AE, Reserved");
  EXPECT_EQ(flag_names(0xe00), "Reserved");
  EXPECT_EQ(flag_names(0), "<None>");
}

TEST(FrameDecoder, VlanAndQinQTagsAreWalked) {
  DecodedFrame decoded =
      decode(DLT_EN10MB, testing::ethernet(testing::ip_packet(lab_syn()), false, {100, 200}));
  expect_lab_syn(decoded);
  ASSERT_EQ(decoded.ip.vlan_count, 2);
  EXPECT_EQ(decoded.ip.vlan_ids[0], 100);
  EXPECT_EQ(decoded.ip.vlan_ids[1], 200);
}

TEST(FrameDecoder, EveryLinkTypeAStudentMayProduce) {
  Bytes ip = testing::ip_packet(lab_syn());
  expect_lab_syn(decode(113, testing::linux_sll(ip, false)));
  expect_lab_syn(decode(276, testing::linux_sll2(ip, false)));
  expect_lab_syn(decode(DLT_NULL, testing::bsd_null(ip, false)));
  expect_lab_syn(decode(DLT_NULL, testing::bsd_null(ip, false, /*big_endian=*/true)));
  expect_lab_syn(decode(DLT_LOOP, testing::bsd_loop(ip, false)));
  expect_lab_syn(decode(DLT_RAW, ip));
  expect_lab_syn(decode(DLT_IPV4, ip));
}

TEST(FrameDecoder, Ipv6OnEveryLinkType) {
  Segment s = lab_syn();
  s.ipv6 = true;
  s.src = s.dst = "::1";
  Bytes ip = testing::ip_packet(s);
  for (const DecodedFrame& frame :
       {decode(DLT_EN10MB, testing::ethernet(ip, true)), decode(113, testing::linux_sll(ip, true)),
        decode(276, testing::linux_sll2(ip, true)), decode(DLT_NULL, testing::bsd_null(ip, true)),
        decode(DLT_LOOP, testing::bsd_loop(ip, true)), decode(DLT_IPV6, ip)}) {
    expect_lab_syn(frame);
    EXPECT_EQ(frame.ip.version, 6);
    EXPECT_EQ(to_string(frame.ip.src), "::1");
  }
}

TEST(FrameDecoder, Ipv6ExtensionHeadersAreWalked) {
  Segment s = lab_syn();
  s.ipv6 = true;
  s.src = s.dst = "::1";
  Bytes ip = testing::ip_packet(s);
  // Insert a hop-by-hop header (8 bytes, PadN) and a destination options header before TCP.
  Bytes with_ext(ip.begin(), ip.begin() + 40);
  with_ext[6] = 0;  // next: hop-by-hop
  Bytes hop = {60, 0, 1, 4, 0, 0, 0, 0};
  Bytes dest = {6, 0, 1, 4, 0, 0, 0, 0};
  with_ext.insert(with_ext.end(), hop.begin(), hop.end());
  with_ext.insert(with_ext.end(), dest.begin(), dest.end());
  with_ext.insert(with_ext.end(), ip.begin() + 40, ip.end());
  uint16_t payload = static_cast<uint16_t>(with_ext.size() - 40);
  with_ext[4] = payload >> 8;
  with_ext[5] = payload & 0xff;
  DecodedFrame frame = decode(DLT_IPV6, with_ext);
  expect_lab_syn(frame);
  EXPECT_EQ(frame.ip.header_length, 56u);
}

TEST(FrameDecoder, Ipv4OptionsAreSkipped) {
  Bytes ip = testing::ip_packet(lab_syn());
  Bytes with_options(ip.begin(), ip.begin() + 20);
  with_options[0] = 0x46;  // IHL 6: four bytes of options
  Bytes nops = {1, 1, 1, 0};
  with_options.insert(with_options.end(), nops.begin(), nops.end());
  with_options.insert(with_options.end(), ip.begin() + 20, ip.end());
  uint16_t total = static_cast<uint16_t>(with_options.size());
  with_options[2] = total >> 8;
  with_options[3] = total & 0xff;
  DecodedFrame frame = decode(DLT_RAW, with_options);
  expect_lab_syn(frame);
  EXPECT_EQ(frame.ip.header_length, 24u);
}

TEST(FrameDecoder, FragmentsAreFlaggedNotDecodedAsTcp) {
  Segment s = lab_syn();
  s.fragment_field = 0x2000;  // more fragments
  DecodedFrame frame = decode(DLT_RAW, testing::ip_packet(s));
  EXPECT_TRUE(frame.ip.is_fragment);
  EXPECT_FALSE(frame.has_tcp);
  EXPECT_EQ(frame.status, DecodeStatus::ok);
}

TEST(FrameDecoder, LenComesFromTheIpHeaderNotTheEthernetPadding) {
  Segment s;
  s.payload = {'h', 'i'};
  Bytes frame = testing::ethernet(testing::ip_packet(s), false);
  frame.resize(60 > frame.size() ? 60 : frame.size() + 6, 0);  // padding / trailer
  DecodedFrame decoded = decode(DLT_EN10MB, frame);
  ASSERT_TRUE(decoded.has_tcp);
  EXPECT_EQ(decoded.tcp.payload_length, 2u);
  EXPECT_EQ(decoded.tcp.payload.size(), 2u);
}

TEST(FrameDecoder, SnapLength60CutsTheOptionsAndInventsNothing) {
  Bytes full = testing::ethernet(testing::ip_packet(lab_syn()), false);
  Bytes cut(full.begin(), full.begin() + 60);  // tcpdump -s 60
  DecodedFrame frame = decode(DLT_EN10MB, cut, static_cast<uint32_t>(full.size()));
  ASSERT_TRUE(frame.has_tcp);
  EXPECT_EQ(frame.status, DecodeStatus::truncated);
  EXPECT_STREQ(frame.problem, "TCP options cut by the snap length");
  EXPECT_FALSE(frame.tcp.options_complete);
  EXPECT_EQ(frame.tcp.options.mss, 65495);  // bytes 54..57 were captured
  EXPECT_TRUE(frame.tcp.options.sack_permitted);
  EXPECT_FALSE(frame.tcp.options.tsval.has_value());  // cut: unknown, not zero
  EXPECT_FALSE(frame.tcp.options.window_scale.has_value());
  EXPECT_EQ(frame.tcp.seq, 0x3c8a1f27u);
}

TEST(FrameDecoder, SnapLengthInsideTheTcpHeaderLeavesNoSegment) {
  Bytes full = testing::ethernet(testing::ip_packet(lab_syn()), false);
  Bytes cut(full.begin(), full.begin() + 40);
  DecodedFrame frame = decode(DLT_EN10MB, cut, static_cast<uint32_t>(full.size()));
  EXPECT_FALSE(frame.has_tcp);
  EXPECT_EQ(frame.status, DecodeStatus::truncated);
  EXPECT_STREQ(frame.problem, "TCP header cut by the snap length");
  EXPECT_EQ(to_string(frame.ip.dst), "127.0.0.1");
}

TEST(FrameDecoder, PayloadCutBySnapLengthKeepsLenFromIp) {
  Segment s;
  s.payload.assign(100, 'x');
  Bytes full = testing::ethernet(testing::ip_packet(s), false);
  Bytes cut(full.begin(), full.begin() + 80);
  DecodedFrame frame = decode(DLT_EN10MB, cut, static_cast<uint32_t>(full.size()));
  ASSERT_TRUE(frame.has_tcp);
  EXPECT_EQ(frame.tcp.payload_length, 100u);
  EXPECT_EQ(frame.tcp.payload_captured, 26u);
  EXPECT_STREQ(frame.problem, "TCP payload cut by the snap length");
}

TEST(FrameDecoder, HostileLengthsAreMalformedNotCrashes) {
  Bytes ip = testing::ip_packet(lab_syn());
  Bytes bad_ihl = ip;
  bad_ihl[0] = 0x43;
  EXPECT_EQ(decode(DLT_RAW, bad_ihl).status, DecodeStatus::malformed);
  Bytes short_total = ip;
  short_total[2] = 0;
  short_total[3] = 10;
  EXPECT_EQ(decode(DLT_RAW, short_total).status, DecodeStatus::malformed);
  Bytes bad_offset = ip;
  bad_offset[32] = 0x20;  // TCP data offset 2
  DecodedFrame frame = decode(DLT_RAW, bad_offset);
  EXPECT_EQ(frame.status, DecodeStatus::malformed);
  EXPECT_FALSE(frame.has_tcp);
  Bytes version = ip;
  version[0] = 0x55;
  EXPECT_EQ(decode(DLT_RAW, version).status, DecodeStatus::malformed);
}

TEST(FrameDecoder, NonIpFramesAreNotTcp) {
  Bytes arp(42, 0);
  arp[12] = 0x08;
  arp[13] = 0x06;
  DecodedFrame frame = decode(DLT_EN10MB, arp);
  EXPECT_EQ(frame.status, DecodeStatus::ok);
  EXPECT_EQ(frame.ip.version, 0);
  EXPECT_FALSE(frame.has_tcp);
  EXPECT_EQ(decode(DLT_EN10MB, Bytes(5, 0)).status, DecodeStatus::truncated);
}

TEST(FrameDecoder, IpInIpReachesTheInnerTcp) {
  Bytes inner = testing::ip_packet(lab_syn());
  Segment outer_shape;
  Bytes outer = testing::ip_packet(outer_shape);
  Bytes tunnel(outer.begin(), outer.begin() + 20);
  tunnel[9] = 4;  // IP-in-IP
  uint16_t total = static_cast<uint16_t>(20 + inner.size());
  tunnel[2] = total >> 8;
  tunnel[3] = total & 0xff;
  tunnel.insert(tunnel.end(), inner.begin(), inner.end());
  expect_lab_syn(decode(DLT_RAW, tunnel));
}

}  // namespace
}  // namespace tcpgrade
