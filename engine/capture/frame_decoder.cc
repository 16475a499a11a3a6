#include "capture/frame_decoder.h"

#include <new>
#include <type_traits>

#include "capture/ip_decoder.h"
#include "capture/link_layer.h"
#include "capture/tcp_decoder.h"
#include "util/byte_reader.h"

namespace tcpgrade {

namespace {

constexpr uint8_t protocol_tcp = 6;

// Decodes into a frame as default-constructed.
void decode_fresh(int dlt, const RawFrame& raw, DecodedFrame& frame) {
  frame.number = raw.number;
  frame.timestamp = raw.timestamp;
  frame.captured_length = raw.captured_length;
  frame.wire_length = raw.wire_length;

  ByteReader reader(raw.bytes);
  switch (strip_link_layer(dlt, reader, frame.ip)) {
    case LinkResult::truncated:
      frame.status = DecodeStatus::truncated;
      frame.problem = "link-layer header cut by the snap length";
      return;
    case LinkResult::not_ip:
      return;
    case LinkResult::ip:
      break;
  }
  uint32_t link_length = static_cast<uint32_t>(reader.offset());
  uint32_t reported = raw.wire_length > link_length ? raw.wire_length - link_length : 0;
  IpResult ip = decode_ip(reader, frame.ip, reported);
  if (ip.status != DecodeStatus::ok) {
    frame.status = ip.status;
    frame.problem = ip.problem;
    return;
  }
  // Fragments are flagged, not reassembled: only a whole datagram's TCP header is believed.
  if (frame.ip.protocol != protocol_tcp || frame.ip.is_fragment) return;
  TcpResult tcp = decode_tcp(reader, ip.transport_length, frame.tcp);
  frame.has_tcp = tcp.segment_valid;
  frame.status = tcp.status;
  frame.problem = tcp.problem;
}

}  // namespace

DecodedFrame decode_frame(int dlt, const RawFrame& raw) {
  DecodedFrame frame;
  decode_fresh(dlt, raw, frame);
  return frame;
}

void decode_frame(int dlt, const RawFrame& raw, DecodedFrame& frame) {
  // Constructed afresh in place: assigning a temporary would build it and then copy it.
  static_assert(std::is_trivially_destructible_v<DecodedFrame>);
  ::new (static_cast<void*>(&frame)) DecodedFrame;
  decode_fresh(dlt, raw, frame);
}

}  // namespace tcpgrade
