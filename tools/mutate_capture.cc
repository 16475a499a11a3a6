// Derives a broken capture from a good one, the way students break theirs: a frame dropped or
// swapped, a flag, port, option or window changed, the snap length cut, a retransmission
// inserted, FIN replaced by RST, the capture started late. The mutation tests check that each
// one is caught by a specific check and explained by a specific hint.
//
// Usage: mutate_capture IN.pcap OUT.pcap MUTATION
//   drop:N  swap:N:M  flags:N:HEX  port:P  no-mss:N  window:N:W  snaplen:L  retransmit:N
//   fin-to-rst:N  late-start:N (drop frames before N)  stop-after:N (keep frames 1..N, as
//   tcpdump -c N)
// Frames are numbered from 1 as in Wireshark. Supports Ethernet + IPv4 + TCP frames; drop, swap
// late-start and stop-after, which only move whole records, take any link type (an -i any capture).
#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct Packet {
  pcap_pkthdr header;
  std::vector<uint8_t> bytes;
};

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "mutate_capture: %s\n", message.c_str());
  std::exit(2);
}

constexpr size_t ethernet_length = 14;

size_t tcp_offset(const Packet& p) {
  if (p.bytes.size() < ethernet_length + 20) fail("frame too short for IPv4");
  return ethernet_length + (p.bytes[ethernet_length] & 0x0f) * 4u;
}

uint16_t get16(const std::vector<uint8_t>& b, size_t at) {
  return static_cast<uint16_t>(b[at] << 8 | b[at + 1]);
}
void put16(std::vector<uint8_t>& b, size_t at, uint16_t v) {
  b[at] = v >> 8;
  b[at + 1] = v & 0xff;
}

// Recomputes the TCP checksum over the pseudo header so tools that verify it stay quiet.
void fix_tcp_checksum(Packet& p) {
  size_t ip = ethernet_length, tcp = tcp_offset(p);
  size_t total = get16(p.bytes, ip + 2);
  if (ip + total > p.bytes.size()) return;  // cut by the snap length: leave as captured
  size_t tcp_length = total - (tcp - ip);
  uint32_t sum = 0;
  for (size_t i = 0; i < 8; i += 2) sum += get16(p.bytes, ip + 12 + i);
  sum += 6 + static_cast<uint32_t>(tcp_length);
  put16(p.bytes, tcp + 16, 0);
  for (size_t i = 0; i + 1 < tcp_length; i += 2) sum += get16(p.bytes, tcp + i);
  if (tcp_length % 2) sum += p.bytes[tcp + tcp_length - 1] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  put16(p.bytes, tcp + 16, static_cast<uint16_t>(~sum));
}

size_t frame_index(const std::vector<Packet>& packets, const std::string& text) {
  size_t n = std::stoul(text);
  if (n < 1 || n > packets.size()) fail("no frame " + text);
  return n - 1;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t colon; (colon = text.find(':', start)) != std::string::npos; start = colon + 1)
    parts.push_back(text.substr(start, colon - start));
  parts.push_back(text.substr(start));
  return parts;
}

void mutate(std::vector<Packet>& packets, int& snaplen, const std::string& mutation) {
  std::vector<std::string> a = split(mutation);
  const std::string& kind = a[0];
  auto need = [&](size_t count) {
    if (a.size() != count + 1)
      fail("mutation " + kind + " takes " + std::to_string(count) + " argument(s)");
  };
  if (kind == "drop") {
    need(1);
    packets.erase(packets.begin() + frame_index(packets, a[1]));
  } else if (kind == "swap") {
    need(2);
    std::swap(packets[frame_index(packets, a[1])], packets[frame_index(packets, a[2])]);
  } else if (kind == "flags") {
    need(2);
    Packet& p = packets[frame_index(packets, a[1])];
    p.bytes[tcp_offset(p) + 13] = static_cast<uint8_t>(std::stoul(a[2], nullptr, 16));
    fix_tcp_checksum(p);
  } else if (kind == "port") {
    need(1);
    uint16_t port = static_cast<uint16_t>(std::stoul(a[1]));
    uint16_t server = get16(packets.front().bytes, tcp_offset(packets.front()) + 2);
    for (Packet& p : packets) {
      size_t tcp = tcp_offset(p);
      if (get16(p.bytes, tcp) == server) put16(p.bytes, tcp, port);
      if (get16(p.bytes, tcp + 2) == server) put16(p.bytes, tcp + 2, port);
      fix_tcp_checksum(p);
    }
  } else if (kind == "no-mss") {
    need(1);
    Packet& p = packets[frame_index(packets, a[1])];
    size_t tcp = tcp_offset(p), end = tcp + (p.bytes[tcp + 12] >> 4) * 4u;
    for (size_t i = tcp + 20; i < end && i + 1 < p.bytes.size();) {
      uint8_t option = p.bytes[i];
      if (option == 0) break;
      if (option == 1) {
        ++i;
        continue;
      }
      uint8_t length = p.bytes[i + 1];
      if (length < 2) break;
      if (option == 2)
        for (size_t k = 0; k < length; ++k) p.bytes[i + k] = 1;  // NOPs keep the layout
      i += length;
    }
    fix_tcp_checksum(p);
  } else if (kind == "window") {
    need(2);
    Packet& p = packets[frame_index(packets, a[1])];
    put16(p.bytes, tcp_offset(p) + 14, static_cast<uint16_t>(std::stoul(a[2])));
    fix_tcp_checksum(p);
  } else if (kind == "snaplen") {
    need(1);
    snaplen = std::stoi(a[1]);
    for (Packet& p : packets)
      if (p.bytes.size() > static_cast<size_t>(snaplen)) {
        p.bytes.resize(snaplen);
        p.header.caplen = snaplen;
      }
  } else if (kind == "retransmit") {
    need(1);
    size_t index = frame_index(packets, a[1]);
    Packet copy = packets[index];
    copy.header.ts.tv_usec += 200000;  // an RTO later
    if (copy.header.ts.tv_usec >= 1000000) {
      copy.header.ts.tv_sec += 1;
      copy.header.ts.tv_usec -= 1000000;
    }
    packets.insert(packets.begin() + index + 1, copy);
  } else if (kind == "fin-to-rst") {
    need(1);
    Packet& p = packets[frame_index(packets, a[1])];
    uint8_t& flags = p.bytes[tcp_offset(p) + 13];
    flags = static_cast<uint8_t>((flags & ~0x01) | 0x04);
    packets.resize(frame_index(packets, a[1]) + 1);  // nothing follows an RST
    fix_tcp_checksum(p);
  } else if (kind == "late-start") {
    need(1);
    packets.erase(packets.begin(), packets.begin() + frame_index(packets, a[1]));
  } else if (kind == "stop-after") {  // what tcpdump -c N keeps: the first N frames
    need(1);
    packets.resize(frame_index(packets, a[1]) + 1);
  } else {
    fail("unknown mutation " + kind);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) fail("usage: mutate_capture IN.pcap OUT.pcap MUTATION");
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_t* in =
      pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_MICRO, errbuf);
  if (!in) fail(std::string(argv[1]) + ": " + errbuf);
  int link_type = pcap_datalink(in);
  std::string kind = std::string(argv[3]).substr(0, std::string(argv[3]).find(':'));
  bool whole_records =
      kind == "drop" || kind == "swap" || kind == "late-start" || kind == "stop-after";
  if (link_type != DLT_EN10MB && !whole_records)
    fail(std::string(argv[1]) + ": Ethernet captures only");
  int snaplen = pcap_snapshot(in);
  std::vector<Packet> packets;
  pcap_pkthdr* header;
  const u_char* data;
  while (pcap_next_ex(in, &header, &data) == 1)
    packets.push_back({*header, std::vector<uint8_t>(data, data + header->caplen)});
  pcap_close(in);
  if (packets.empty()) fail(std::string(argv[1]) + ": no frames");
  try {
    mutate(packets, snaplen, argv[3]);
  } catch (const std::exception&) {
    fail(std::string("bad mutation ") + argv[3]);
  }
  pcap_t* dead =
      pcap_open_dead_with_tstamp_precision(link_type, snaplen, PCAP_TSTAMP_PRECISION_MICRO);
  pcap_dumper_t* out = pcap_dump_open(dead, argv[2]);
  if (!out) fail(std::string(argv[2]) + ": " + pcap_geterr(dead));
  for (Packet& p : packets) {
    p.header.caplen = static_cast<bpf_u_int32>(p.bytes.size());
    pcap_dump(reinterpret_cast<u_char*>(out), &p.header, p.bytes.data());
  }
  pcap_dump_close(out);
  pcap_close(dead);
  return 0;
}
