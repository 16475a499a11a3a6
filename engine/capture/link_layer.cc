#include "capture/link_layer.h"

#include <pcap/dlt.h>

namespace tcpgrade {
namespace {

constexpr uint16_t ethertype_ipv4 = 0x0800, ethertype_ipv6 = 0x86dd, ethertype_vlan = 0x8100,
                   ethertype_qinq = 0x88a8, ethertype_qinq_old = 0x9100;
constexpr int dlt_linux_sll = 113, dlt_linux_sll2 = 276, dlt_ipoib = 242, dlt_arcnet_linux = 129;
constexpr uint16_t ppp_ipv4 = 0x0021, ppp_ipv6 = 0x0057, ppp_mpls = 0x0281,
                   ppp_mpls_multicast = 0x0283;
constexpr uint16_t ethertype_mpls = 0x8847, ethertype_mpls_multicast = 0x8848;
constexpr int max_mpls_labels = 16;

// An MPLS label stack: labels up to the bottom-of-stack bit; what follows has no type field,
// so only an IP version nibble makes it IP (a pseudowire carries Ethernet instead).
LinkResult mpls(ByteReader& reader) {
  for (int label = 0; label < max_mpls_labels; ++label) {
    uint32_t entry = 0;
    if (!reader.read_u32(entry)) return LinkResult::truncated;
    if (entry & 0x100) {
      ByteReader peek = reader;
      uint8_t first = 0;
      if (!peek.read_u8(first)) return LinkResult::truncated;
      return first >> 4 == 4 || first >> 4 == 6 ? LinkResult::ip : LinkResult::not_ip;
    }
  }
  return LinkResult::not_ip;
}

LinkResult by_ethertype(uint16_t ethertype, ByteReader& reader) {
  if (ethertype == ethertype_mpls || ethertype == ethertype_mpls_multicast) return mpls(reader);
  return ethertype == ethertype_ipv4 || ethertype == ethertype_ipv6 ? LinkResult::ip
                                                                    : LinkResult::not_ip;
}

// Raw-IP link types (and loopback headers naming an IP family) promise an IP header: a wrong
// version nibble is then a malformed packet, which the IP decoder reports.
LinkResult expect_ip(const ByteReader& reader) {
  return reader.remaining() > 0 ? LinkResult::ip : LinkResult::truncated;
}

LinkResult ethernet(ByteReader& reader, NetworkLayer& ip) {
  uint16_t ethertype = 0;
  if (!reader.skip(12) || !reader.read_u16(ethertype)) return LinkResult::truncated;
  // 802.1Q and QinQ tags: record the outer two ids, skip any further ones.
  while (ethertype == ethertype_vlan || ethertype == ethertype_qinq ||
         ethertype == ethertype_qinq_old) {
    uint16_t tci = 0;
    if (!reader.read_u16(tci) || !reader.read_u16(ethertype)) return LinkResult::truncated;
    if (ip.vlan_count < 2) ip.vlan_ids[ip.vlan_count++] = tci & 0x0fff;
  }
  return by_ethertype(ethertype, reader);
}

LinkResult linux_sll(ByteReader& reader) {
  uint16_t protocol = 0;
  if (!reader.skip(14) || !reader.read_u16(protocol)) return LinkResult::truncated;
  return by_ethertype(protocol, reader);
}

LinkResult linux_sll2(ByteReader& reader) {
  uint16_t protocol = 0;
  if (!reader.read_u16(protocol) || !reader.skip(18)) return LinkResult::truncated;
  return by_ethertype(protocol, reader);
}

// BSD NULL: an address family in the byte order of the host that wrote the file.
LinkResult bsd_null(ByteReader& reader) {
  uint32_t family = 0;
  if (!reader.read_u32_le(family)) return LinkResult::truncated;
  if (family & 0xffff0000u) family = __builtin_bswap32(family);  // written big-endian
  // AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24 (NetBSD/OpenBSD), 28 (FreeBSD),
  // 30 (Darwin).
  if (family == 2 || family == 10 || family == 24 || family == 28 || family == 30)
    return expect_ip(reader);
  return LinkResult::not_ip;
}

// OpenBSD LOOP: like NULL but always in network byte order.
LinkResult bsd_loop(ByteReader& reader) {
  uint32_t family = 0;
  if (!reader.read_u32(family)) return LinkResult::truncated;
  if (family == 2 || family == 10 || family == 24 || family == 28 || family == 30)
    return expect_ip(reader);
  return LinkResult::not_ip;
}

LinkResult by_ppp_protocol(uint16_t protocol, ByteReader& reader) {
  if (protocol == ppp_mpls || protocol == ppp_mpls_multicast) return mpls(reader);
  return protocol == ppp_ipv4 || protocol == ppp_ipv6 ? LinkResult::ip : LinkResult::not_ip;
}

// PPP: optional address/control bytes (0xff 0x03), then a one- or two-byte protocol.
LinkResult ppp(ByteReader& reader) {
  ByteReader peek = reader;
  uint8_t first = 0, second = 0;
  if (!peek.read_u8(first) || !peek.read_u8(second)) return LinkResult::truncated;
  if (first == 0xff && second == 0x03) reader.skip(2);
  uint8_t high = 0, low = 0;
  if (!reader.read_u8(high)) return LinkResult::truncated;
  if (high & 1) return by_ppp_protocol(high, reader);  // protocol field compressed to one byte
  if (!reader.read_u8(low)) return LinkResult::truncated;
  return by_ppp_protocol(static_cast<uint16_t>(high << 8 | low), reader);
}

// Cisco HDLC: address, control, then an Ethertype. PPP-in-HDLC files may hold either framing.
LinkResult cisco_hdlc(ByteReader& reader) {
  ByteReader peek = reader;
  uint8_t address = 0;
  if (!peek.read_u8(address)) return LinkResult::truncated;
  if (address == 0xff) return ppp(reader);
  uint16_t ethertype = 0;
  if (!reader.skip(2) || !reader.read_u16(ethertype)) return LinkResult::truncated;
  return by_ethertype(ethertype, reader);
}

// IP over InfiniBand as Linux captures it: two 20-byte hardware addresses (flags, QPN, GID),
// then RFC 4391's Ethertype and two reserved bytes.
LinkResult ipoib(ByteReader& reader) {
  uint16_t ethertype = 0;
  if (!reader.skip(40) || !reader.read_u16(ethertype) || !reader.skip(2))
    return LinkResult::truncated;
  return by_ethertype(ethertype, reader);
}

// Linux ARCnet: source, destination, offset, protocol; RFC 1201 protocols add a split flag
// and a sequence number (and 4 more bytes for an exception packet).
LinkResult arcnet_linux(ByteReader& reader) {
  constexpr uint8_t rfc1201_ip = 0xd4, rfc1201_ipv6 = 0xc4, rfc1051_ip = 0xf0;
  uint8_t protocol = 0;
  if (!reader.skip(4) || !reader.read_u8(protocol)) return LinkResult::truncated;
  if (protocol == rfc1051_ip) return LinkResult::ip;
  if (protocol != rfc1201_ip && protocol != rfc1201_ipv6) return LinkResult::not_ip;
  uint8_t split = 0;
  if (!reader.read_u8(split)) return LinkResult::truncated;
  if (split == 0xff && !reader.skip(4)) return LinkResult::truncated;
  if (!reader.skip(2)) return LinkResult::truncated;
  return expect_ip(reader);
}

}  // namespace

bool link_type_supported(int dlt) {
  switch (dlt) {
    case DLT_EN10MB:
    case dlt_linux_sll:
    case dlt_linux_sll2:
    case DLT_NULL:
    case DLT_LOOP:
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
    case DLT_PPP:
    case DLT_PPP_SERIAL:
    case DLT_C_HDLC:
    case dlt_ipoib:
    case dlt_arcnet_linux:
      return true;
    default:
      return false;
  }
}

LinkResult strip_link_layer(int dlt, ByteReader& reader, NetworkLayer& ip) {
  switch (dlt) {
    case DLT_EN10MB:
      return ethernet(reader, ip);
    case dlt_linux_sll:
      return linux_sll(reader);
    case dlt_linux_sll2:
      return linux_sll2(reader);
    case DLT_NULL:
      return bsd_null(reader);
    case DLT_LOOP:
      return bsd_loop(reader);
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
      return expect_ip(reader);
    case DLT_PPP:
      return ppp(reader);
    case DLT_PPP_SERIAL:
    case DLT_C_HDLC:
      return cisco_hdlc(reader);
    case dlt_ipoib:
      return ipoib(reader);
    case dlt_arcnet_linux:
      return arcnet_linux(reader);
    default:
      return LinkResult::not_ip;
  }
}

}  // namespace tcpgrade
