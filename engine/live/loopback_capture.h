// A live capture on the loopback interface for `tcpgrade live`: libpcap in immediate mode with
// the full snap length and a BPF filter for one port, written to a pcap file as tcpdump -w
// would, and watched frame by frame so the run can stop as soon as the connection has closed.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

struct pcap;
struct pcap_pkthdr;
struct pcap_dumper;

namespace tcpgrade {

// No permission to capture (no CAP_NET_RAW): `live` exits 77, a skip for CTest.
class CapturePermissionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class LoopbackCapture {
 public:
  // Starts capturing `tcp port PORT` on `interface` into `save_path`. Throws
  // CapturePermissionError, or std::runtime_error naming the interface and libpcap's reason.
  LoopbackCapture(const std::string& interface, uint16_t port, const std::string& save_path,
                  int buffer_bytes = 4 << 20);
  ~LoopbackCapture();
  LoopbackCapture(const LoopbackCapture&) = delete;
  LoopbackCapture& operator=(const LoopbackCapture&) = delete;

  // Reads what has arrived, waiting at most `wait_ms` for the first frame. Returns frames read.
  int poll(int wait_ms);
  // Both FINs sent and each acknowledged, or an RST: nothing more belongs to the connection.
  bool connection_closed() const { return reset_ || (fin_acked_[0] && fin_acked_[1]); }
  bool any_syn() const { return syn_seen_; }
  uint64_t frames() const { return frames_; }
  // Packets the kernel dropped (pcap_stats: ps_drop + ps_ifdrop).
  uint64_t drops();
  void close();  // flushes and closes the file; safe to call twice

 private:
  void observe(const unsigned char* bytes, uint32_t captured, uint32_t wire);
  static void on_packet(unsigned char* self, const ::pcap_pkthdr* header,
                        const unsigned char* bytes);

  pcap* handle_ = nullptr;
  pcap_dumper* dumper_ = nullptr;
  int link_type_ = 0;
  uint16_t port_ = 0;
  uint64_t frames_ = 0;
  bool syn_seen_ = false, reset_ = false;
  bool fin_sent_[2] = {false, false};  // [to server, to client]
  uint32_t fin_end_[2] = {0, 0};       // raw Seq just past each FIN
  bool fin_acked_[2] = {false, false};
};

}  // namespace tcpgrade
