// Decodes the TCP header and every option. Options the snap length cut stay unknown: a value
// is only ever what the capture holds.
#pragma once

#include "capture/decoded_frame.h"
#include "util/byte_reader.h"

namespace tcpgrade {

struct TcpResult {
  DecodeStatus status = DecodeStatus::ok;
  const char* problem = nullptr;
  // The fixed header was read and its lengths agree with IP: a segment to analyse, even when
  // options or payload were cut or an option was malformed.
  bool segment_valid = false;
};

// Reader stands at the TCP header; transport_length is what the IP header says TCP spans.
TcpResult decode_tcp(ByteReader& reader, uint32_t transport_length, TcpHeader& tcp);

// Decodes an options block (exposed for tests). Sets options.malformed on a bad length.
void decode_tcp_options(ByteReader options, TcpOptions& out);

}  // namespace tcpgrade
