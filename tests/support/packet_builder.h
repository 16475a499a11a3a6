// Builds small captures byte by byte for the tests: TCP segments in IPv4 or IPv6, wrapped in
// any link type, written as pcap (micro or nano) or pcapng.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tcpgrade::testing {

using Bytes = std::vector<uint8_t>;

struct Segment {
  bool ipv6 = false;
  std::string src = "127.0.0.1", dst = "127.0.0.1";
  uint16_t sport = 53802, dport = 8002;
  uint32_t seq = 0, ack = 0;
  uint16_t flags = 0x10;  // ACK
  uint16_t window = 512;
  Bytes options;  // raw option bytes, padded to 4 by the builder with NOPs
  Bytes payload;
  bool dont_fragment = true;
  uint16_t fragment_field = 0;  // IPv4 flags+offset override when non-zero
};

// Option encoders.
Bytes mss_option(uint16_t mss);
Bytes ws_option(uint8_t shift);
Bytes sack_perm_option();
Bytes ts_option(uint32_t tsval, uint32_t tsecr);  // NOP NOP TS, as Linux sends it
Bytes sack_option(std::vector<std::pair<uint32_t, uint32_t>> blocks);
Bytes cat(std::initializer_list<Bytes> parts);

Bytes ip_packet(const Segment& segment);  // IPv4 or IPv6 header + TCP header + payload
Bytes ethernet(const Bytes& ip, bool ipv6, std::vector<uint16_t> vlans = {});
Bytes linux_sll(const Bytes& ip, bool ipv6);
Bytes linux_sll2(const Bytes& ip, bool ipv6);
Bytes bsd_null(const Bytes& ip, bool ipv6, bool big_endian = false);
Bytes bsd_loop(const Bytes& ip, bool ipv6);

struct Record {
  int64_t sec = 1700000000;
  uint32_t nsec = 0;
  Bytes bytes;
  uint32_t wire_length = 0;  // 0: the bytes' size
};

// linktype is the file's LINKTYPE_ value (1 Ethernet, 113 SLL, 276 SLL2, 0 NULL, 108 LOOP,
// 101 RAW, 228 IPv4, 229 IPv6).
Bytes pcap_file(uint32_t linktype, const std::vector<Record>& records, bool nanoseconds = false,
                uint32_t snaplen = 262144);
Bytes pcapng_file(uint16_t linktype, const std::vector<Record>& records);

// Writes bytes to a fresh file under the test's temporary directory and returns its path.
std::string write_temp_file(const std::string& name, const Bytes& bytes);

// A lab-like Ethernet loopback session builder: frames on one connection with timestamps.
struct Frame {
  Segment segment;
  uint32_t usec = 0;
};
Bytes ethernet_capture(const std::vector<Frame>& frames);

}  // namespace tcpgrade::testing
