#include "live/loopback_capture.h"

#include <fmt/format.h>
#include <pcap/pcap.h>
#include <poll.h>

#include "capture/capture_reader.h"
#include "capture/decoded_frame.h"
#include "capture/frame_decoder.h"

namespace tcpgrade {

LoopbackCapture::LoopbackCapture(const std::string& interface, uint16_t port,
                                 const std::string& save_path, int buffer_bytes)
    : port_(port) {
  char error[PCAP_ERRBUF_SIZE] = "";
  handle_ = pcap_create(interface.c_str(), error);
  if (!handle_) throw std::runtime_error(fmt::format("cannot capture on {}: {}", interface, error));
  pcap_set_snaplen(handle_, 262144);
  pcap_set_immediate_mode(handle_, 1);  // frames reach us at once: stopping early loses none
  pcap_set_buffer_size(handle_, buffer_bytes);
  pcap_set_timeout(handle_, 10);
  int status = pcap_activate(handle_);
  if (status == PCAP_ERROR_PERM_DENIED || status == PCAP_ERROR_PROMISC_PERM_DENIED) {
    std::string reason = pcap_geterr(handle_);
    pcap_close(handle_);
    handle_ = nullptr;
    throw CapturePermissionError(
        fmt::format("no permission to capture on {} ({}): run as root or give tcpgrade CAP_NET_RAW",
                    interface, reason));
  }
  if (status < 0) {
    std::string reason = pcap_geterr(handle_);
    pcap_close(handle_);
    handle_ = nullptr;
    throw std::runtime_error(fmt::format("cannot capture on {}: {}", interface, reason));
  }
  link_type_ = pcap_datalink(handle_);
  bpf_program program{};
  std::string filter = fmt::format("tcp port {}", port);
  if (pcap_compile(handle_, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0 ||
      pcap_setfilter(handle_, &program) != 0) {
    std::string reason = pcap_geterr(handle_);
    pcap_freecode(&program);
    pcap_close(handle_);
    handle_ = nullptr;
    throw std::runtime_error(
        fmt::format("cannot filter '{}' on {}: {}", filter, interface, reason));
  }
  pcap_freecode(&program);
  pcap_setnonblock(handle_, 1, error);
  dumper_ = pcap_dump_open(handle_, save_path.c_str());
  if (!dumper_) {
    std::string reason = pcap_geterr(handle_);
    pcap_close(handle_);
    handle_ = nullptr;
    throw std::runtime_error(fmt::format("{}: cannot write the capture: {}", save_path, reason));
  }
}

LoopbackCapture::~LoopbackCapture() {
  close();
  if (handle_) pcap_close(handle_);
}

void LoopbackCapture::on_packet(unsigned char* self, const pcap_pkthdr* header,
                                const unsigned char* bytes) {
  auto* capture = reinterpret_cast<LoopbackCapture*>(self);
  if (capture->dumper_)
    pcap_dump(reinterpret_cast<unsigned char*>(capture->dumper_), header, bytes);
  capture->observe(bytes, header->caplen, header->len);
}

void LoopbackCapture::observe(const unsigned char* bytes, uint32_t captured, uint32_t wire) {
  ++frames_;
  RawFrame raw;
  raw.number = frames_;
  raw.captured_length = captured;
  raw.wire_length = wire;
  raw.bytes = std::span<const uint8_t>(bytes, captured);
  DecodedFrame frame = decode_frame(link_type_, raw);
  if (!frame.has_tcp) return;
  const TcpHeader& tcp = frame.tcp;
  int to_client = tcp.src_port == port_ ? 1 : 0;  // direction index: 0 to the server
  if (tcp.flags & tcp_flag::syn) syn_seen_ = true;
  if (tcp.flags & tcp_flag::rst) reset_ = true;
  if (tcp.flags & tcp_flag::fin) {
    fin_sent_[to_client] = true;
    fin_end_[to_client] = tcp.seq + tcp.payload_length + 1;
  }
  // An ACK from the other side that covers the FIN (modulo 2^32).
  int other = 1 - to_client;
  if ((tcp.flags & tcp_flag::ack) && fin_sent_[other] &&
      static_cast<int32_t>(tcp.ack - fin_end_[other]) >= 0)
    fin_acked_[other] = true;
}

int LoopbackCapture::poll(int wait_ms) {
  if (!handle_) return 0;
  int fd = pcap_get_selectable_fd(handle_);
  if (fd >= 0 && wait_ms > 0) {
    pollfd p{fd, POLLIN, 0};
    ::poll(&p, 1, wait_ms);
  }
  int total = 0;
  for (;;) {
    int n = pcap_dispatch(handle_, -1, &LoopbackCapture::on_packet,
                          reinterpret_cast<unsigned char*>(this));
    if (n <= 0) break;
    total += n;
  }
  if (dumper_) pcap_dump_flush(dumper_);
  return total;
}

uint64_t LoopbackCapture::drops() {
  pcap_stat stats{};
  if (!handle_ || pcap_stats(handle_, &stats) != 0) return 0;
  return static_cast<uint64_t>(stats.ps_drop) + stats.ps_ifdrop;
}

void LoopbackCapture::close() {
  if (dumper_) {
    pcap_dump_close(dumper_);
    dumper_ = nullptr;
  }
}

}  // namespace tcpgrade
