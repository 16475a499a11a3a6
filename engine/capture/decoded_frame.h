// One flat view of a captured frame, decoded once: link layer, IP, TCP and its options.
// Decode status is data: a frame cut short keeps what was readable and says what was not.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace tcpgrade {

enum class DecodeStatus : uint8_t { ok, truncated, malformed };

const char* to_string(DecodeStatus status);

struct Timestamp {
  int64_t sec = 0;
  uint32_t nsec = 0;
  int64_t total_ns() const { return sec * 1'000'000'000 + nsec; }
};

struct IpAddress {
  uint8_t family = 0;  // 4 or 6; 0 when absent
  std::array<uint8_t, 16> bytes{};
  bool operator==(const IpAddress&) const = default;
  auto operator<=>(const IpAddress&) const = default;
};

std::string to_string(const IpAddress& address);

// TCP header flag bits as on the wire (byte 13, plus the AE/NS bit from byte 12 as 0x100).
namespace tcp_flag {
inline constexpr uint16_t fin = 0x001, syn = 0x002, rst = 0x004, psh = 0x008, ack = 0x010,
                          urg = 0x020, ece = 0x040, cwr = 0x080, ae = 0x100, reserved = 0xe00;
}

// Wireshark's names for a flag set, e.g. "SYN, ACK" or "FIN, PSH, ACK".
std::string flag_names(uint16_t flags);
// The same, made once per flag set seen: for the tsv line and the frame table, which name the
// flags of every frame. Valid until the next call with flags beyond TCP's 12 bits.
const std::string& cached_flag_names(uint16_t flags);

struct SackBlock {
  uint32_t left = 0, right = 0;
};

// An option as it appeared in the header, kept by kind and length in header order.
struct OptionEntry {
  uint8_t kind = 0;
  uint8_t length = 0;  // 1 for NOP/EOL
};

namespace tcp_option {
inline constexpr uint8_t eol = 0, nop = 1, mss = 2, window_scale = 3, sack_permitted = 4, sack = 5,
                         timestamps = 8, md5 = 19, user_timeout = 28, tcp_ao = 29, mptcp = 30,
                         fast_open = 34, experimental_a = 253, experimental_b = 254;
}

struct TcpOptions {
  std::optional<uint16_t> mss;
  std::optional<uint8_t> window_scale;  // shift as sent (may exceed 14; Wireshark caps at 14)
  bool sack_permitted = false;
  std::optional<uint32_t> tsval;
  std::optional<uint32_t> tsecr;
  std::array<SackBlock, 4> sack{};
  uint8_t sack_count = 0;
  bool fast_open = false;  // TFO option present (cookie request when cookie_length 0)
  uint8_t fast_open_cookie_length = 0;
  std::optional<uint8_t> mptcp_subtype;
  std::array<OptionEntry, 40> entries{};  // 40 bytes of options hold at most 40 entries
  uint8_t entry_count = 0;
  bool malformed = false;  // an option length ran past the header or was invalid
};

struct TcpHeader {
  uint16_t src_port = 0, dst_port = 0;
  uint32_t seq = 0, ack = 0;
  uint8_t header_length = 0;  // bytes, from the data offset field
  uint16_t flags = 0;
  uint16_t window = 0;  // raw, unscaled
  uint16_t checksum = 0;
  uint16_t urgent = 0;
  TcpOptions options;
  bool options_complete = true;      // false when the snap length cut the options
  uint32_t payload_length = 0;       // from the IP header's lengths, as Wireshark computes Len
  uint32_t payload_captured = 0;     // bytes of payload actually in the capture
  std::span<const uint8_t> payload;  // captured payload bytes (valid while the frame is)
};

enum class LinkType : uint8_t { ethernet, linux_sll, linux_sll2, bsd_null, bsd_loop, raw_ip };

struct NetworkLayer {
  uint8_t version = 0;  // 4 or 6, 0 when no IP was found
  IpAddress src, dst;
  uint8_t protocol = 0;  // IPv4 protocol / IPv6 last next-header
  uint8_t ttl = 0;       // TTL or hop limit
  uint16_t ip_id = 0;
  bool dont_fragment = false;
  bool is_fragment = false;    // a fragment (not reassembled); TCP is decoded only from offset 0
  uint32_t header_length = 0;  // IPv4 IHL*4, or IPv6 fixed + extension headers
  uint32_t total_length = 0;   // IPv4 total length, or IPv6 40 + payload length
  uint16_t vlan_ids[2] = {0, 0};
  uint8_t vlan_count = 0;
};

struct DecodedFrame {
  uint64_t number = 0;  // 1-based, Wireshark numbering
  Timestamp timestamp;
  uint32_t captured_length = 0;
  uint32_t wire_length = 0;
  NetworkLayer ip;
  bool has_tcp = false;
  TcpHeader tcp;
  DecodeStatus status = DecodeStatus::ok;
  // Why the status is not ok: a static string such as "TCP options cut by the snap length".
  const char* problem = nullptr;

  uint32_t tcp_payload_length() const { return has_tcp ? tcp.payload_length : 0; }
};

}  // namespace tcpgrade
