// Writes LEARN.pcap, the capture of the lab "TCP Handshake Lab – Deep Dive", rebuilt from the
// facts its per-frame table states: the original file is not available. The output is what
// `tcpdump -i lo tcp port 8002 -w LEARN.pcap` writes on Linux while `curl http://127.0.0.1:8002/`
// fetches index.html from `python3 -m http.server 8002`: 12 frames, byte for byte the same on
// every run.
//
// Usage: make_learn_pcap OUT.pcap
//
// Only the standard library: the classic pcap format is a 24-byte file header and a 16-byte
// header per record, simple enough to write directly.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string_view>
#include <vector>

namespace {

using Bytes = std::vector<uint8_t>;

// Network byte order, for the Ethernet, IPv4 and TCP headers.
void put8(Bytes& out, uint8_t value) { out.push_back(value); }
void put16(Bytes& out, uint16_t value) {
  out.push_back(static_cast<uint8_t>(value >> 8));
  out.push_back(static_cast<uint8_t>(value));
}
void put32(Bytes& out, uint32_t value) {
  put16(out, static_cast<uint16_t>(value >> 16));
  put16(out, static_cast<uint16_t>(value));
}
void set16(Bytes& out, size_t at, uint16_t value) {
  out[at] = static_cast<uint8_t>(value >> 8);
  out[at + 1] = static_cast<uint8_t>(value);
}

// Little endian, for the pcap headers: tcpdump writes them in host order, and the lab ran on
// x86. Written byte by byte so the file is the same on any host.
void put32le(Bytes& out, uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<uint8_t>(value >> shift));
}
void put16le(Bytes& out, uint16_t value) {
  out.push_back(static_cast<uint8_t>(value));
  out.push_back(static_cast<uint8_t>(value >> 8));
}

// The Internet checksum (RFC 1071) of `bytes`, continuing from a partial `sum`.
uint16_t internet_checksum(const uint8_t* bytes, size_t length, uint32_t sum = 0) {
  for (size_t i = 0; i + 1 < length; i += 2)
    sum += static_cast<uint32_t>(bytes[i] << 8 | bytes[i + 1]);
  if (length % 2) sum += static_cast<uint32_t>(bytes[length - 1] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

// ---- The lab's facts ----------------------------------------------------------------------

constexpr uint32_t loopback = 0x7f000001;  // 127.0.0.1, both ends
constexpr uint16_t client_port = 53802;    // curl's ephemeral port in the document
constexpr uint16_t server_port = 8002;     // python3 -m http.server 8002

// Initial sequence numbers are random on Linux; fixed here so the file is deterministic.
// Wireshark shows Seq/Ack relative to them, which is all the document reports.
constexpr uint32_t client_isn = 0x3c8a1f27;
constexpr uint32_t server_isn = 0xb41d6e05;

// Loopback's MTU (65536) is above the largest IPv4 packet, so Linux announces MSS
// 65535 - 40 = 65495 on both ends, and a window scale of 7 (WS=128).
constexpr uint16_t loopback_mss = 65495;
constexpr uint8_t window_shift = 7;

// The kernel's millisecond timestamp clock (TSval) at the SYN, from the document. Both ends
// show the same value because Linux derives the per-connection offset from the addresses,
// identical on 127.0.0.1 <-> 127.0.0.1.
constexpr uint32_t ts0 = 2598756481;

// The capture's first frame: Sunday 6 October 2024, 18:30:00.512345 UTC. The response's Date
// header below is the same second.
constexpr uint32_t epoch_seconds = 1728239400;
constexpr uint32_t epoch_micros = 512345;

// What curl 7.81.0 (Ubuntu 22.04) sends for `curl http://127.0.0.1:8002/`.
constexpr std::string_view request =
    "GET / HTTP/1.1\r\n"
    "Host: 127.0.0.1:8002\r\n"
    "User-Agent: curl/7.81.0\r\n"
    "Accept: */*\r\n"
    "\r\n";
static_assert(request.size() == 78, "frame 4: Len=78");

// What http.server writes before the body, in one segment: status line and headers in
// BaseHTTPRequestHandler's order. RFC 7231 dates are always 29 characters, so the length
// depends only on the Python version in the Server header: "Python/3.10.12" would make 186
// bytes; Ubuntu 22.04's Python 3.10.6 gives the document's 185.
constexpr std::string_view response_head =
    "HTTP/1.0 200 OK\r\n"
    "Server: SimpleHTTP/0.6 Python/3.10.6\r\n"
    "Date: Sun, 06 Oct 2024 18:30:00 GMT\r\n"
    "Content-type: text/html\r\n"
    "Content-Length: 33\r\n"
    "Last-Modified: Sun, 06 Oct 2024 18:27:41 GMT\r\n"
    "\r\n";
static_assert(response_head.size() == 185, "frame 6: Len=185");

// index.html as served: the one line, and the two newlines the editor left (frame 8: Len=33).
constexpr std::string_view body = "<h1>TCP HANDSHAKE Learning</h1>\n\n";
static_assert(body.size() == 33, "frame 8: Len=33");

enum class Side { client, server };

constexpr uint8_t FIN = 0x01, SYN = 0x02, PSH = 0x08, ACK = 0x10;

struct Frame {
  uint32_t micros;  // since the first frame
  Side from;
  uint8_t flags;
  uint32_t seq, ack;  // relative, as the document shows them (ack ignored without ACK)
  uint16_t window;    // raw; scaled by 128 once the handshake is done
  uint16_t ip_id;
  uint32_t tsval, tsecr;
  std::string_view payload;
};

// Linux IP IDs on loopback (DF set): a connected socket counts up from a random start, one per
// packet; the SYN-ACK, sent before the server's socket exists, carries 0. The server socket
// starts its own counter. Window 512 is 65536 bytes at WS=128, what Linux advertises on lo.
constexpr uint16_t cid = 0x5c3a, sid = 0xa1f4;
// One frame a line, in columns, like Wireshark's packet list.
// clang-format off
constexpr Frame frames[] = {
    // us    from          flags      seq  ack  win    ip_id    tsval    tsecr    payload
    {0,      Side::client, SYN,       0,   0,   65495, cid,     ts0,     0,       {}},
    {16,     Side::server, SYN | ACK, 0,   1,   65483, 0,       ts0,     ts0,     {}},
    {24,     Side::client, ACK,       1,   1,   512,   cid + 1, ts0,     ts0,     {}},
    {98,     Side::client, PSH | ACK, 1,   1,   512,   cid + 2, ts0,     ts0,     request},
    {105,    Side::server, ACK,       1,   79,  512,   sid,     ts0,     ts0,     {}},
    {1190,   Side::server, PSH | ACK, 1,   79,  512,   sid + 1, ts0 + 1, ts0,     response_head},
    {1214,   Side::client, ACK,       79,  186, 512,   cid + 3, ts0 + 1, ts0 + 1, {}},
    {1262,   Side::server, PSH | ACK, 186, 79,  512,   sid + 2, ts0 + 1, ts0 + 1, body},
    {1270,   Side::client, ACK,       79,  219, 512,   cid + 4, ts0 + 1, ts0 + 1, {}},
    {1341,   Side::server, FIN | ACK, 219, 79,  512,   sid + 3, ts0 + 1, ts0 + 1, {}},
    {1389,   Side::client, FIN | ACK, 79,  220, 512,   cid + 5, ts0 + 1, ts0 + 1, {}},
    {1402,   Side::server, ACK,       220, 80,  512,   sid + 4, ts0 + 1, ts0 + 1, {}},
};
// clang-format on

// ---- Headers ------------------------------------------------------------------------------

// On `-i lo` Linux gives loopback frames an Ethernet header with zero MACs.
void ethernet_header(Bytes& out) {
  for (int i = 0; i < 12; ++i) put8(out, 0);
  put16(out, 0x0800);  // IPv4
}

void ipv4_header(Bytes& out, uint16_t total_length, uint16_t ip_id) {
  size_t start = out.size();
  put8(out, 0x45);  // version 4, 20-byte header
  put8(out, 0);     // DSCP/ECN
  put16(out, total_length);
  put16(out, ip_id);
  put16(out, 0x4000);  // DF: TCP does path MTU discovery
  put8(out, 64);       // Linux's default TTL
  put8(out, 6);        // TCP
  put16(out, 0);       // checksum, filled below
  put32(out, loopback);
  put32(out, loopback);
  set16(out, start + 10, internet_checksum(&out[start], 20));
}

// Linux's option order in a SYN and SYN-ACK: MSS, SACK_PERM, TS, NOP, WS (20 bytes).
// After the handshake only the timestamps remain, aligned by two NOPs (12 bytes).
constexpr uint8_t NOP = 1, MSS = 2, WS = 3, SACK_PERM = 4, TS = 8;

Bytes tcp_options(const Frame& f) {
  Bytes options;
  auto timestamps = [&] {
    put8(options, TS);
    put8(options, 10);
    put32(options, f.tsval);
    put32(options, f.tsecr);
  };
  if (!(f.flags & SYN)) {
    put8(options, NOP);
    put8(options, NOP);
    timestamps();
    return options;
  }
  put8(options, MSS);
  put8(options, 4);
  put16(options, loopback_mss);
  put8(options, SACK_PERM);
  put8(options, 2);
  timestamps();
  put8(options, NOP);
  put8(options, WS);
  put8(options, 3);
  put8(options, window_shift);
  return options;
}

// The TCP header, options and payload, with the checksum over the IPv4 pseudo header.
void tcp_segment(Bytes& out, const Frame& f) {
  bool from_client = f.from == Side::client;
  uint32_t own_isn = from_client ? client_isn : server_isn;
  uint32_t peer_isn = from_client ? server_isn : client_isn;
  Bytes options = tcp_options(f);

  size_t start = out.size();
  put16(out, from_client ? client_port : server_port);
  put16(out, from_client ? server_port : client_port);
  put32(out, own_isn + f.seq);
  put32(out, (f.flags & ACK) ? peer_isn + f.ack : 0);
  put8(out, static_cast<uint8_t>((20 + options.size()) / 4 << 4));  // data offset in words
  put8(out, f.flags);
  put16(out, f.window);
  put16(out, 0);  // checksum, filled below
  put16(out, 0);  // urgent pointer
  out.insert(out.end(), options.begin(), options.end());
  out.insert(out.end(), f.payload.begin(), f.payload.end());

  size_t length = out.size() - start;
  uint32_t pseudo = (loopback >> 16) + (loopback & 0xffff);  // source address
  pseudo += (loopback >> 16) + (loopback & 0xffff);          // destination address
  pseudo += 6 + static_cast<uint32_t>(length);               // protocol, TCP length
  set16(out, start + 16, internet_checksum(&out[start], length, pseudo));
}

Bytes frame_bytes(const Frame& f) {
  Bytes tcp;
  tcp_segment(tcp, f);
  Bytes frame;
  ethernet_header(frame);
  ipv4_header(frame, static_cast<uint16_t>(20 + tcp.size()), f.ip_id);
  frame.insert(frame.end(), tcp.begin(), tcp.end());
  return frame;
}

// ---- pcap ---------------------------------------------------------------------------------

// Classic pcap as tcpdump writes it: microsecond magic, version 2.4, its default snap length
// 262144, link type 1 (Ethernet).
void pcap_file_header(Bytes& out) {
  put32le(out, 0xa1b2c3d4);
  put16le(out, 2);
  put16le(out, 4);
  put32le(out, 0);  // thiszone
  put32le(out, 0);  // sigfigs
  put32le(out, 262144);
  put32le(out, 1);
}

void pcap_record(Bytes& out, const Frame& f, const Bytes& frame) {
  uint32_t micros = epoch_micros + f.micros;
  put32le(out, epoch_seconds + micros / 1000000);
  put32le(out, micros % 1000000);
  put32le(out, static_cast<uint32_t>(frame.size()));  // captured whole: far below the snap length
  put32le(out, static_cast<uint32_t>(frame.size()));
  out.insert(out.end(), frame.begin(), frame.end());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_learn_pcap OUT.pcap\n");
    return 2;
  }
  Bytes file;
  pcap_file_header(file);
  for (const Frame& f : frames) pcap_record(file, f, frame_bytes(f));

  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(file.data()), static_cast<std::streamsize>(file.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "make_learn_pcap: cannot write %s\n", argv[1]);
    return 1;
  }
  return 0;
}
