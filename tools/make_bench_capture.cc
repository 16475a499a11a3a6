// Writes large captures for tools/bench, deterministically, from the lab's own frames: every
// connection is LEARN.pcap's 12-frame exchange with its own client port and ISNs, so each one
// passes the lab's session scenario.
//
//   make_bench_capture LEARN.pcap OUT.pcap [--connections N] [--interleave K]
//                      [--ports P] [--retransmit-percent R] [--frame-gap-us G]
//   make_bench_capture LEARN.pcap --split DIR [--connections N] [--retransmit-percent R]
//
// One file: N connections, K open at a time, their frames interleaved round robin (as a busy
// server's capture looks), client ports taken from a pool of P so that ports are reused (a
// new SYN on the ports of a finished connection: Wireshark's new tcp.stream), and R percent
// of connections carrying a retransmitted body segment and a duplicate ACK after frame 9.
// Frames are G microseconds apart. --split writes N one-connection captures into DIR
// (a class of submissions for `tcpgrade grade`).
//
// Only the standard library: classic pcap is simple enough to read and write directly.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<uint8_t>;

uint16_t get16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
uint32_t get32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
         static_cast<uint32_t>(p[2]) << 8 | p[3];
}
void set16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
void set32(uint8_t* p, uint32_t v) {
  set16(p, static_cast<uint16_t>(v >> 16));
  set16(p + 2, static_cast<uint16_t>(v));
}
void put32le(Bytes& out, uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<uint8_t>(v >> shift));
}
void put16le(Bytes& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v));
  out.push_back(static_cast<uint8_t>(v >> 8));
}

uint16_t internet_checksum(const uint8_t* bytes, size_t length, uint32_t sum) {
  for (size_t i = 0; i + 1 < length; i += 2)
    sum += static_cast<uint32_t>(bytes[i] << 8 | bytes[i + 1]);
  if (length % 2) sum += static_cast<uint32_t>(bytes[length - 1] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

// A fixed sequence of pseudo-random numbers (splitmix64): the same file on every run.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// One frame of the lab capture, with what a connection changes in it located.
struct LabFrame {
  Bytes bytes;  // Ethernet + IPv4 + TCP as captured
  bool from_client = false;
  size_t tcp = 0;                           // offset of the TCP header
  uint32_t seq_offset = 0, ack_offset = 0;  // Seq/Ack minus the sender's/peer's ISN
  bool has_ack = false;
};

struct Lab {
  std::vector<LabFrame> frames;
  uint16_t client_port = 0;
};

Lab read_lab(const char* path) {
  std::ifstream in(path, std::ios::binary);
  Bytes file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (file.size() < 24 || file[0] != 0xd4 || file[1] != 0xc3 || file[2] != 0xb2 ||
      file[3] != 0xa1 || file[20] != 1) {
    std::fprintf(stderr, "make_bench_capture: %s: expected the lab's little-endian Ethernet pcap\n",
                 path);
    std::exit(2);
  }
  Lab lab;
  uint32_t isn[2] = {0, 0};  // client, server: from the SYN and SYN-ACK
  for (size_t at = 24; at + 16 <= file.size();) {
    uint32_t length = static_cast<uint32_t>(file[at + 8] | file[at + 9] << 8 | file[at + 10] << 16 |
                                            static_cast<uint32_t>(file[at + 11]) << 24);
    if (at + 16 + length > file.size()) break;
    LabFrame f;
    f.bytes.assign(file.begin() + static_cast<long>(at + 16),
                   file.begin() + static_cast<long>(at + 16 + length));
    at += 16 + length;
    f.tcp = 14 + static_cast<size_t>((f.bytes[14] & 0x0f) * 4);
    uint16_t src_port = get16(&f.bytes[f.tcp]);
    if (lab.frames.empty()) lab.client_port = src_port;
    f.from_client = src_port == lab.client_port;
    uint8_t flags = f.bytes[f.tcp + 13];
    uint32_t seq = get32(&f.bytes[f.tcp + 4]), ack = get32(&f.bytes[f.tcp + 8]);
    if (flags & 0x02) isn[f.from_client ? 0 : 1] = seq;
    f.has_ack = flags & 0x10;
    f.seq_offset = seq - isn[f.from_client ? 0 : 1];
    f.ack_offset = ack - isn[f.from_client ? 1 : 0];
    lab.frames.push_back(std::move(f));
  }
  if (lab.frames.size() != 12) {
    std::fprintf(stderr, "make_bench_capture: %s: expected the lab's 12 frames\n", path);
    std::exit(2);
  }
  return lab;
}

struct Options {
  const char* lab = nullptr;
  const char* out = nullptr;
  const char* split = nullptr;
  uint64_t connections = 200'000;
  uint64_t interleave = 64;
  uint64_t ports = 0;  // 0: 4 × interleave
  uint64_t retransmit_percent = 10;
  uint64_t frame_gap_us = 100;
};

// One connection being written: which lab frames, in which order, with its numbers.
struct Connection {
  std::vector<uint8_t> order;  // indexes into lab.frames
  size_t next = 0;
  uint16_t port = 0;
  uint32_t client_isn = 0, server_isn = 0;
};

Connection make_connection(uint64_t index, uint16_t port, uint64_t retransmit_percent) {
  Connection c;
  c.port = port;
  uint64_t r = mix(index);
  c.client_isn = static_cast<uint32_t>(r);
  c.server_isn = static_cast<uint32_t>(r >> 32);
  for (uint8_t i = 0; i < 12; ++i) {
    c.order.push_back(i);
    // After the client's ACK of the body (frame 9): the body again (a retransmission) and the
    // client's ACK again (a duplicate ACK), as when the first ACK was lost.
    if (i == 8 && mix(index ^ 0x5eed) % 100 < retransmit_percent) {
      c.order.push_back(7);
      c.order.push_back(8);
    }
  }
  return c;
}

void append_frame(Bytes& out, const Lab& lab, const Connection& c, uint8_t which, uint64_t micros) {
  const LabFrame& f = lab.frames[which];
  put32le(out, static_cast<uint32_t>(1728239400 + micros / 1'000'000));
  put32le(out, static_cast<uint32_t>(micros % 1'000'000));
  put32le(out, static_cast<uint32_t>(f.bytes.size()));
  put32le(out, static_cast<uint32_t>(f.bytes.size()));
  size_t start = out.size();
  out.insert(out.end(), f.bytes.begin(), f.bytes.end());
  uint8_t* tcp = &out[start + f.tcp];
  set16(tcp + (f.from_client ? 0 : 2), c.port);
  set32(tcp + 4, (f.from_client ? c.client_isn : c.server_isn) + f.seq_offset);
  if (f.has_ack) set32(tcp + 8, (f.from_client ? c.server_isn : c.client_isn) + f.ack_offset);
  set16(tcp + 16, 0);
  const uint8_t* ip = &out[start + 14];
  size_t tcp_length = f.bytes.size() - f.tcp;
  uint32_t pseudo = get16(ip + 12) + get16(ip + 14) + get16(ip + 16) + get16(ip + 18) + 6 +
                    static_cast<uint32_t>(tcp_length);
  set16(tcp + 16, internet_checksum(tcp, tcp_length, pseudo));
}

void file_header(Bytes& out) {
  put32le(out, 0xa1b2c3d4);
  put16le(out, 2);
  put16le(out, 4);
  put32le(out, 0);
  put32le(out, 0);
  put32le(out, 262144);
  put32le(out, 1);
}

bool write_all(FILE* file, Bytes& buffer) {
  bool ok = std::fwrite(buffer.data(), 1, buffer.size(), file) == buffer.size();
  buffer.clear();
  return ok;
}

int write_interleaved(const Lab& lab, const Options& o) {
  FILE* file = std::fopen(o.out, "wb");
  if (!file) {
    std::fprintf(stderr, "make_bench_capture: cannot write %s\n", o.out);
    return 1;
  }
  uint64_t pool = o.ports ? o.ports : 4 * o.interleave;
  std::vector<bool> in_use(pool, false);
  uint64_t port_cursor = 0;
  auto take_port = [&] {
    while (in_use[port_cursor % pool]) ++port_cursor;
    uint64_t slot = port_cursor++ % pool;
    in_use[slot] = true;
    return static_cast<uint16_t>(32768 + slot);
  };
  Bytes buffer;
  buffer.reserve(1 << 22);
  file_header(buffer);
  std::deque<Connection> open;
  uint64_t started = 0, frame = 0;
  bool ok = true;
  while (started < o.connections || !open.empty()) {
    while (open.size() < o.interleave && started < o.connections) {
      open.push_back(make_connection(started, take_port(), o.retransmit_percent));
      ++started;
    }
    // Round robin: the front connection sends its next frame and goes to the back.
    Connection c = std::move(open.front());
    open.pop_front();
    append_frame(buffer, lab, c, c.order[c.next++], 512345 + frame++ * o.frame_gap_us);
    if (c.next < c.order.size()) {
      open.push_back(std::move(c));
    } else {
      in_use[c.port - 32768] = false;
    }
    if (buffer.size() > (1 << 22) - 4096) ok = write_all(file, buffer) && ok;
  }
  ok = write_all(file, buffer) && ok;
  ok = std::fclose(file) == 0 && ok;
  if (!ok) {
    std::fprintf(stderr, "make_bench_capture: cannot write %s\n", o.out);
    return 1;
  }
  return 0;
}

int write_split(const Lab& lab, const Options& o) {
  for (uint64_t i = 0; i < o.connections; ++i) {
    Connection c =
        make_connection(i, static_cast<uint16_t>(32768 + i % 28000), o.retransmit_percent);
    Bytes buffer;
    file_header(buffer);
    uint64_t micros = 512345;
    for (uint8_t which : c.order) append_frame(buffer, lab, c, which, micros += 100);
    char name[64];
    std::snprintf(name, sizeof name, "/student%05llu.pcap", static_cast<unsigned long long>(i));
    std::string path = std::string(o.split) + name;
    FILE* file = std::fopen(path.c_str(), "wb");
    if (!file || !write_all(file, buffer) || std::fclose(file) != 0) {
      std::fprintf(stderr, "make_bench_capture: cannot write %s\n", path.c_str());
      return 1;
    }
  }
  return 0;
}

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: make_bench_capture LEARN.pcap OUT.pcap [--connections N] [--interleave K] "
               "[--ports P] [--retransmit-percent R] [--frame-gap-us G]\n"
               "       make_bench_capture LEARN.pcap --split DIR [--connections N] "
               "[--retransmit-percent R]\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::vector<const char*> positional;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto number = [&] {
      if (i + 1 >= argc) usage();
      char* end = nullptr;
      uint64_t v = std::strtoull(argv[++i], &end, 10);
      if (!end || *end) usage();
      return v;
    };
    if (arg == "--connections")
      o.connections = number();
    else if (arg == "--interleave")
      o.interleave = number();
    else if (arg == "--ports")
      o.ports = number();
    else if (arg == "--retransmit-percent")
      o.retransmit_percent = number();
    else if (arg == "--frame-gap-us")
      o.frame_gap_us = number();
    else if (arg == "--split" && i + 1 < argc)
      o.split = argv[++i];
    else if (arg.rfind("--", 0) == 0)
      usage();
    else
      positional.push_back(argv[i]);
  }
  if (positional.empty() || positional.size() > 2 ||
      (positional.size() == 2) == (o.split != nullptr))
    usage();
  uint64_t pool = o.ports ? o.ports : 4 * o.interleave;
  if (o.interleave == 0 || pool < o.interleave || pool > 32768) usage();
  o.lab = positional[0];
  Lab lab = read_lab(o.lab);
  if (o.split) return write_split(lab, o);
  o.out = positional[1];
  return write_interleaved(lab, o);
}
