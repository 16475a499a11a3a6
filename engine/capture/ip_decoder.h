// Decodes the IPv4 or IPv6 header (options, extension headers) and finds the transport
// payload. Lengths come from the IP header, as Wireshark takes them, not from the capture.
#pragma once

#include "capture/decoded_frame.h"
#include "util/byte_reader.h"

namespace tcpgrade {

struct IpResult {
  DecodeStatus status = DecodeStatus::ok;
  const char* problem = nullptr;
  // Transport bytes the IP header says are there (may exceed what was captured).
  uint32_t transport_length = 0;
};

// Reader stands at the IP header; on return it stands at the transport header.
// IP-in-IP (IPv4 or IPv6 inside either) is followed to the innermost header.
// reported_length: bytes from the IP header to the frame's end on the wire (not as captured).
IpResult decode_ip(ByteReader& reader, NetworkLayer& ip, uint32_t reported_length);

}  // namespace tcpgrade
