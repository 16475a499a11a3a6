// Limits that keep capture reading safe on hostile input: a student's file cannot make
// tcpgrade hold more than these. Crossing one throws LimitError naming the file, the limit and
// the option that raises it, e.g. "big.pcap: more than 10000000 frames (limit --max-frames)".
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>

namespace tcpgrade {

struct CaptureLimits {
  uint64_t max_frames = 10'000'000;  // frames per capture
  // TCP conversations open at once (seen and not yet closed by FINs or a RST); the total over
  // a capture is unbounded. Each open one costs about 1.4 KB in check and record: at
  // 1,000,000 a SYN flood reached --max-memory's 1 GiB first (issue 18 item 10); at 250,000
  // check peaks near 340 MB, so this limit is the one named.
  size_t max_connections = 250'000;
  size_t max_payload_per_conversation = 16 << 20;  // payload bytes kept for reassembly
};

// A limit was passed: the input is too big for the configured limits, not broken.
class LimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace tcpgrade
