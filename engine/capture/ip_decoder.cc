#include "capture/ip_decoder.h"

#include <algorithm>

namespace tcpgrade {
namespace {

constexpr uint8_t protocol_ipip = 4, protocol_ipv6_in_ip = 41;
constexpr int max_ip_nesting = 4;

IpResult fail(DecodeStatus status, const char* problem) { return {status, problem, 0}; }

IpResult decode_ipv4(ByteReader& reader, NetworkLayer& ip, uint32_t bytes_left) {
  uint8_t version_ihl = 0, tos = 0, ttl = 0, protocol = 0;
  uint16_t total_length = 0, id = 0, fragment = 0, checksum = 0;
  ByteReader start = reader;
  if (!reader.read_u8(version_ihl) || !reader.read_u8(tos) || !reader.read_u16(total_length) ||
      !reader.read_u16(id) || !reader.read_u16(fragment) || !reader.read_u8(ttl) ||
      !reader.read_u8(protocol) || !reader.read_u16(checksum))
    return fail(DecodeStatus::truncated, "IPv4 header cut by the snap length");
  uint32_t header_length = (version_ihl & 0x0f) * 4u;
  if (header_length < 20) return fail(DecodeStatus::malformed, "IPv4 header length below 20");
  ip.src.family = ip.dst.family = 4;
  std::fill(ip.src.bytes.begin(), ip.src.bytes.end(), 0);
  std::fill(ip.dst.bytes.begin(), ip.dst.bytes.end(), 0);
  if (!reader.read_bytes(ip.src.bytes.data(), 4) || !reader.read_bytes(ip.dst.bytes.data(), 4))
    return fail(DecodeStatus::truncated, "IPv4 header cut by the snap length");
  ip.version = 4;
  ip.protocol = protocol;
  ip.ttl = ttl;
  ip.ip_id = id;
  ip.dont_fragment = fragment & 0x4000;
  ip.is_fragment = (fragment & 0x2000) || (fragment & 0x1fff);
  ip.header_length = header_length;
  // Total length 0 is what TSO / big TCP super-frames carry: the packet runs to the frame's end.
  ip.total_length = total_length == 0 ? bytes_left : total_length;
  reader = start;
  if (!reader.skip(header_length))
    return fail(DecodeStatus::truncated, "IPv4 options cut by the snap length");
  if (ip.total_length < header_length || bytes_left < header_length)
    return fail(DecodeStatus::malformed, "IPv4 total length shorter than its header");
  // A total length beyond the frame is not believed past the frame's end (as Wireshark).
  return {DecodeStatus::ok, nullptr, std::min(ip.total_length, bytes_left) - header_length};
}

bool is_ipv6_extension(uint8_t next) {
  // Hop-by-hop, routing, fragment, destination options, AH, mobility, HIP, shim6.
  return next == 0 || next == 43 || next == 44 || next == 60 || next == 51 || next == 135 ||
         next == 139 || next == 140;
}

// Hop-by-hop options may hold a Jumbo Payload (RFC 2675), as big TCP super-frames do.
bool find_jumbo_length(ByteReader options, uint32_t& jumbo) {
  while (options.remaining() > 0) {
    uint8_t type = 0, length = 0;
    if (!options.read_u8(type)) return false;
    if (type == 0) continue;  // Pad1
    if (!options.read_u8(length)) return false;
    if (type == 0xc2 && length == 4) return options.read_u32(jumbo);
    if (!options.skip(length)) return false;
  }
  return false;
}

IpResult decode_ipv6(ByteReader& reader, NetworkLayer& ip, uint32_t bytes_left) {
  uint32_t first_word = 0;
  uint16_t payload_length = 0;
  uint8_t next = 0, hop_limit = 0;
  if (!reader.read_u32(first_word) || !reader.read_u16(payload_length) || !reader.read_u8(next) ||
      !reader.read_u8(hop_limit))
    return fail(DecodeStatus::truncated, "IPv6 header cut by the snap length");
  ip.src.family = ip.dst.family = 6;
  if (!reader.read_bytes(ip.src.bytes.data(), 16) || !reader.read_bytes(ip.dst.bytes.data(), 16))
    return fail(DecodeStatus::truncated, "IPv6 header cut by the snap length");
  ip.version = 6;
  ip.ttl = hop_limit;
  ip.ip_id = 0;
  ip.dont_fragment = false;
  ip.is_fragment = false;
  uint32_t payload = payload_length;
  uint32_t header_length = 40;
  // Walk extension headers; the walk is bounded by the bytes present.
  while (is_ipv6_extension(next)) {
    uint8_t following = 0, length_field = 0;
    ByteReader header_start = reader;
    if (!reader.read_u8(following) || !reader.read_u8(length_field))
      return fail(DecodeStatus::truncated, "IPv6 extension header cut by the snap length");
    uint32_t length = next == 51 ? (length_field + 2u) * 4u : (length_field + 1u) * 8u;
    if (next == 44) {  // fragment header: fixed 8 bytes
      length = 8;
      uint16_t offset_flags = 0;
      if (!reader.read_u16(offset_flags))
        return fail(DecodeStatus::truncated, "IPv6 fragment header cut by the snap length");
      if ((offset_flags & 0xfff8) || (offset_flags & 1)) ip.is_fragment = true;
    }
    if (next == 0 && payload_length == 0) {
      ByteReader options = header_start;
      options.skip(2);
      uint32_t jumbo = 0;
      if (find_jumbo_length(options.take(length - 2), jumbo))
        payload = std::min(jumbo, 0xffffffffu - 40);
    }
    reader = header_start;
    if (!reader.skip(length))
      return fail(DecodeStatus::truncated, "IPv6 extension header cut by the snap length");
    header_length += length;
    next = following;
  }
  // No length said (payload length 0 without a jumbo option): the packet runs to the frame's end.
  if (payload_length == 0 && payload == 0 && bytes_left > 40) payload = bytes_left - 40;
  ip.protocol = next;
  ip.header_length = header_length;
  ip.total_length = 40 + payload;
  if (payload + 40 < header_length)
    return fail(DecodeStatus::malformed, "IPv6 payload length shorter than its extension headers");
  if (bytes_left < header_length)
    return fail(DecodeStatus::malformed, "IPv6 extension headers run past the frame");
  return {DecodeStatus::ok, nullptr, std::min(40 + payload, bytes_left) - header_length};
}

}  // namespace

IpResult decode_ip(ByteReader& reader, NetworkLayer& ip, uint32_t reported_length) {
  for (int depth = 0;; ++depth) {
    uint32_t bytes_left = reported_length;
    ByteReader peek = reader;
    uint8_t first = 0;
    if (!peek.read_u8(first))
      return fail(DecodeStatus::truncated, "IP header cut by the snap length");
    IpResult result;
    if (first >> 4 == 4) {
      result = decode_ipv4(reader, ip, bytes_left);
    } else if (first >> 4 == 6) {
      result = decode_ipv6(reader, ip, bytes_left);
    } else {
      return fail(DecodeStatus::malformed, "IP version is neither 4 nor 6");
    }
    bool tunnel = ip.protocol == protocol_ipip || ip.protocol == protocol_ipv6_in_ip;
    if (result.status != DecodeStatus::ok || !tunnel || ip.is_fragment) return result;
    if (depth + 1 >= max_ip_nesting)
      return fail(DecodeStatus::malformed, "IP-in-IP nested too deep");
    // The inner packet is the one TCP belongs to; keep only the bytes the outer one covers.
    reader = reader.take(result.transport_length);
    reported_length = result.transport_length;
  }
}

}  // namespace tcpgrade
