// The physical limit tools/bench measures tcpgrade against: libpcap's own read loop,
// pcap_next_ex over every frame of a capture and nothing else. Prints frames and captured
// bytes, so the loop has a result.
//
// Usage: pcap_read_loop CAPTURE
#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: pcap_read_loop CAPTURE\n");
    return 2;
  }
  char error[PCAP_ERRBUF_SIZE];
  pcap_t* pcap = pcap_open_offline(argv[1], error);
  if (!pcap) {
    std::fprintf(stderr, "pcap_read_loop: %s: %s\n", argv[1], error);
    return 2;
  }
  uint64_t frames = 0, bytes = 0;
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  int status;
  while ((status = pcap_next_ex(pcap, &header, &data)) == 1) {
    ++frames;
    bytes += header->caplen;
  }
  if (status == PCAP_ERROR)
    std::fprintf(stderr, "pcap_read_loop: %s: %s\n", argv[1], pcap_geterr(pcap));
  pcap_close(pcap);
  std::printf("%llu frames, %llu bytes\n", static_cast<unsigned long long>(frames),
              static_cast<unsigned long long>(bytes));
  return status == PCAP_ERROR ? 1 : 0;
}
