#include "packet_builder.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace tcpgrade::testing {
namespace {

void put16(Bytes& out, uint16_t v) {
  out.push_back(v >> 8);
  out.push_back(v & 0xff);
}
void put32(Bytes& out, uint32_t v) {
  put16(out, v >> 16);
  put16(out, v & 0xffff);
}
void put32le(Bytes& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back((v >> (8 * i)) & 0xff);
}
void put16le(Bytes& out, uint16_t v) {
  out.push_back(v & 0xff);
  out.push_back(v >> 8);
}
void put64le(Bytes& out, uint64_t v) {
  put32le(out, v & 0xffffffff);
  put32le(out, v >> 32);
}

uint32_t checksum_add(const uint8_t* data, size_t size, uint32_t sum = 0) {
  for (size_t i = 0; i + 1 < size; i += 2) sum += data[i] << 8 | data[i + 1];
  if (size % 2) sum += data[size - 1] << 8;
  return sum;
}
uint16_t checksum_fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

Bytes address_bytes(const std::string& text, bool ipv6) {
  Bytes out(ipv6 ? 16 : 4);
  if (inet_pton(ipv6 ? AF_INET6 : AF_INET, text.c_str(), out.data()) != 1)
    throw std::invalid_argument("bad address " + text);
  return out;
}

}  // namespace

Bytes mss_option(uint16_t mss) { return {2, 4, uint8_t(mss >> 8), uint8_t(mss)}; }
Bytes ws_option(uint8_t shift) { return {1, 3, 3, shift}; }
Bytes sack_perm_option() { return {4, 2}; }
Bytes ts_option(uint32_t tsval, uint32_t tsecr) {
  Bytes out = {1, 1, 8, 10};
  put32(out, tsval);
  put32(out, tsecr);
  return out;
}
Bytes sack_option(std::vector<std::pair<uint32_t, uint32_t>> blocks) {
  Bytes out = {1, 1, 5, uint8_t(2 + 8 * blocks.size())};
  for (auto [left, right] : blocks) {
    put32(out, left);
    put32(out, right);
  }
  return out;
}
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

Bytes ip_packet(const Segment& s) {
  Bytes options = s.options;
  while (options.size() % 4) options.push_back(1);
  Bytes tcp;
  put16(tcp, s.sport);
  put16(tcp, s.dport);
  put32(tcp, s.seq);
  put32(tcp, s.ack);
  tcp.push_back(static_cast<uint8_t>(((20 + options.size()) / 4) << 4 | ((s.flags >> 8) & 0x0f)));
  tcp.push_back(s.flags & 0xff);
  put16(tcp, s.window);
  put16(tcp, 0);  // checksum, filled below
  put16(tcp, 0);
  tcp.insert(tcp.end(), options.begin(), options.end());
  tcp.insert(tcp.end(), s.payload.begin(), s.payload.end());

  Bytes src = address_bytes(s.src, s.ipv6), dst = address_bytes(s.dst, s.ipv6);
  uint32_t sum = checksum_add(src.data(), src.size());
  sum = checksum_add(dst.data(), dst.size(), sum);
  sum += 6 + static_cast<uint32_t>(tcp.size());
  sum = checksum_add(tcp.data(), tcp.size(), sum);
  uint16_t tcp_checksum = checksum_fold(sum);
  tcp[16] = tcp_checksum >> 8;
  tcp[17] = tcp_checksum & 0xff;

  Bytes ip;
  if (s.ipv6) {
    put32(ip, 0x60000000);
    put16(ip, static_cast<uint16_t>(tcp.size()));
    ip.push_back(6);
    ip.push_back(64);
  } else {
    ip.push_back(0x45);
    ip.push_back(0);
    put16(ip, static_cast<uint16_t>(20 + tcp.size()));
    put16(ip, 0x1234);
    put16(ip, s.fragment_field ? s.fragment_field : (s.dont_fragment ? 0x4000 : 0));
    ip.push_back(64);
    ip.push_back(6);
    put16(ip, 0);
  }
  ip.insert(ip.end(), src.begin(), src.end());
  ip.insert(ip.end(), dst.begin(), dst.end());
  if (!s.ipv6) {
    uint16_t ip_checksum = checksum_fold(checksum_add(ip.data(), 20));
    ip[10] = ip_checksum >> 8;
    ip[11] = ip_checksum & 0xff;
  }
  ip.insert(ip.end(), tcp.begin(), tcp.end());
  return ip;
}

Bytes ethernet(const Bytes& ip, bool ipv6, std::vector<uint16_t> vlans) {
  Bytes out(12, 0);
  for (uint16_t vlan : vlans) {
    put16(out, 0x8100);
    put16(out, vlan);
  }
  put16(out, ipv6 ? 0x86dd : 0x0800);
  out.insert(out.end(), ip.begin(), ip.end());
  return out;
}

Bytes linux_sll(const Bytes& ip, bool ipv6) {
  Bytes out;
  put16(out, 0);    // packet type: to us
  put16(out, 772);  // ARPHRD_LOOPBACK
  put16(out, 6);
  out.insert(out.end(), 8, 0);
  put16(out, ipv6 ? 0x86dd : 0x0800);
  out.insert(out.end(), ip.begin(), ip.end());
  return out;
}

Bytes linux_sll2(const Bytes& ip, bool ipv6) {
  Bytes out;
  put16(out, ipv6 ? 0x86dd : 0x0800);
  put16(out, 0);
  put32(out, 1);    // interface index
  put16(out, 772);  // ARPHRD_LOOPBACK
  out.push_back(0);
  out.push_back(6);
  out.insert(out.end(), 8, 0);
  out.insert(out.end(), ip.begin(), ip.end());
  return out;
}

Bytes bsd_null(const Bytes& ip, bool ipv6, bool big_endian) {
  Bytes out;
  uint32_t family = ipv6 ? 30 : 2;
  if (big_endian)
    put32(out, family);
  else
    put32le(out, family);
  out.insert(out.end(), ip.begin(), ip.end());
  return out;
}

Bytes bsd_loop(const Bytes& ip, bool ipv6) {
  Bytes out;
  put32(out, ipv6 ? 24 : 2);
  out.insert(out.end(), ip.begin(), ip.end());
  return out;
}

Bytes pcap_file(uint32_t linktype, const std::vector<Record>& records, bool nanoseconds,
                uint32_t snaplen) {
  Bytes out;
  put32le(out, nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4);
  put16le(out, 2);
  put16le(out, 4);
  put32le(out, 0);
  put32le(out, 0);
  put32le(out, snaplen);
  put32le(out, linktype);
  for (const Record& r : records) {
    put32le(out, static_cast<uint32_t>(r.sec));
    put32le(out, nanoseconds ? r.nsec : r.nsec / 1000);
    uint32_t captured = static_cast<uint32_t>(std::min<size_t>(r.bytes.size(), snaplen));
    put32le(out, captured);
    put32le(out, r.wire_length ? r.wire_length : static_cast<uint32_t>(r.bytes.size()));
    out.insert(out.end(), r.bytes.begin(), r.bytes.begin() + captured);
  }
  return out;
}

Bytes pcapng_file(uint16_t linktype, const std::vector<Record>& records) {
  Bytes out;
  // Section header block.
  put32le(out, 0x0a0d0d0a);
  put32le(out, 28);
  put32le(out, 0x1a2b3c4d);
  put16le(out, 1);
  put16le(out, 0);
  put64le(out, ~0ull);
  put32le(out, 28);
  // Interface description block with if_tsresol = 9 (nanoseconds).
  put32le(out, 1);
  put32le(out, 32);
  put16le(out, linktype);
  put16le(out, 0);
  put32le(out, 262144);
  put16le(out, 9);  // if_tsresol
  put16le(out, 1);
  out.push_back(9);
  out.insert(out.end(), 3, 0);
  put16le(out, 0);  // opt_endofopt
  put16le(out, 0);
  put32le(out, 32);
  for (const Record& r : records) {
    uint32_t padded = static_cast<uint32_t>((r.bytes.size() + 3) / 4 * 4);
    uint32_t length = 32 + padded;
    put32le(out, 6);
    put32le(out, length);
    put32le(out, 0);
    uint64_t ns = static_cast<uint64_t>(r.sec) * 1000000000ull + r.nsec;
    put32le(out, ns >> 32);
    put32le(out, ns & 0xffffffff);
    put32le(out, static_cast<uint32_t>(r.bytes.size()));
    put32le(out, r.wire_length ? r.wire_length : static_cast<uint32_t>(r.bytes.size()));
    out.insert(out.end(), r.bytes.begin(), r.bytes.end());
    out.insert(out.end(), padded - r.bytes.size(), 0);
    put32le(out, length);
  }
  return out;
}

std::string write_temp_file(const std::string& name, const Bytes& bytes) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tcpgrade-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path path = dir / name;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot write " + path.string());
  if (!bytes.empty()) std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
  return path.string();
}

Bytes ethernet_capture(const std::vector<Frame>& frames) {
  std::vector<Record> records;
  for (const Frame& frame : frames) {
    Record record;
    record.nsec = frame.usec * 1000;
    record.bytes = ethernet(ip_packet(frame.segment), frame.segment.ipv6);
    records.push_back(record);
  }
  return pcap_file(1, records);
}

}  // namespace tcpgrade::testing
