#include "capture/tcp_decoder.h"

namespace tcpgrade {
namespace {

void record_entry(TcpOptions& out, uint8_t kind, uint8_t length) {
  if (out.entry_count < out.entries.size()) out.entries[out.entry_count++] = {kind, length};
}

// Reads the value of one option whose kind and length are known and whose body is `body`.
void decode_option_body(uint8_t kind, uint8_t length, ByteReader body, TcpOptions& out) {
  switch (kind) {
    case tcp_option::mss: {
      uint16_t mss = 0;
      if (length == 4 && body.read_u16(mss))
        out.mss = mss;
      else
        out.malformed = true;
      break;
    }
    case tcp_option::window_scale: {
      uint8_t shift = 0;
      if (length == 3 && body.read_u8(shift))
        out.window_scale = shift;
      else
        out.malformed = true;
      break;
    }
    case tcp_option::sack_permitted:
      if (length == 2)
        out.sack_permitted = true;
      else
        out.malformed = true;
      break;
    case tcp_option::timestamps: {
      uint32_t tsval = 0, tsecr = 0;
      if (length == 10 && body.read_u32(tsval) && body.read_u32(tsecr)) {
        out.tsval = tsval;
        out.tsecr = tsecr;
      } else {
        out.malformed = true;
      }
      break;
    }
    case tcp_option::sack: {
      if ((length - 2) % 8 != 0) out.malformed = true;
      SackBlock block;
      while (body.read_u32(block.left) && body.read_u32(block.right)) {
        if (out.sack_count < out.sack.size()) out.sack[out.sack_count++] = block;
      }
      break;
    }
    case tcp_option::fast_open:
      out.fast_open = true;
      out.fast_open_cookie_length = static_cast<uint8_t>(length - 2);
      break;
    case tcp_option::experimental_a:
    case tcp_option::experimental_b: {
      // RFC 7413's experimental TFO: magic 0xf989 after kind and length.
      uint16_t magic = 0;
      if (body.read_u16(magic) && magic == 0xf989) {
        out.fast_open = true;
        out.fast_open_cookie_length = static_cast<uint8_t>(length - 4);
      }
      break;
    }
    case tcp_option::mptcp: {
      uint8_t subtype = 0;
      if (body.read_u8(subtype)) out.mptcp_subtype = subtype >> 4;
      break;
    }
    default:
      break;  // unknown kinds are kept by kind and length in entries
  }
}

}  // namespace

void decode_tcp_options(ByteReader options, TcpOptions& out) {
  while (options.remaining() > 0) {
    uint8_t kind = 0;
    options.read_u8(kind);
    if (kind == tcp_option::eol) {
      record_entry(out, kind, 1);
      return;  // the rest is padding
    }
    if (kind == tcp_option::nop) {
      record_entry(out, kind, 1);
      continue;
    }
    uint8_t length = 0;
    if (!options.read_u8(length) || length < 2 || !options.has(length - 2u)) {
      record_entry(out, kind, length);
      out.malformed = true;
      return;
    }
    record_entry(out, kind, length);
    decode_option_body(kind, length, options.take(length - 2u), out);
  }
}

TcpResult decode_tcp(ByteReader& reader, uint32_t transport_length, TcpHeader& tcp) {
  uint8_t offset_byte = 0, flag_byte = 0;
  if (!reader.read_u16(tcp.src_port) || !reader.read_u16(tcp.dst_port) ||
      !reader.read_u32(tcp.seq) || !reader.read_u32(tcp.ack) || !reader.read_u8(offset_byte) ||
      !reader.read_u8(flag_byte) || !reader.read_u16(tcp.window) ||
      !reader.read_u16(tcp.checksum) || !reader.read_u16(tcp.urgent))
    return {DecodeStatus::truncated, "TCP header cut by the snap length"};
  tcp.header_length = static_cast<uint8_t>((offset_byte >> 4) * 4);
  // The low nibble of the offset byte: three reserved bits and AE (formerly NS).
  tcp.flags = static_cast<uint16_t>(flag_byte | ((offset_byte & 0x0f) << 8));
  if (transport_length < 20)
    return {DecodeStatus::malformed, "IP length leaves less than a TCP header"};
  if (tcp.header_length < 20) return {DecodeStatus::malformed, "TCP header length below 20"};
  if (tcp.header_length > transport_length)
    return {DecodeStatus::malformed, "TCP header length runs past the IP packet"};
  tcp.payload_length = transport_length - tcp.header_length;
  bool options_complete = true;
  ByteReader options = reader.take(tcp.header_length - 20u, &options_complete);
  tcp.options_complete = options_complete;
  decode_tcp_options(options, tcp.options);
  if (!options_complete) {
    // What the snap length cut may have ended mid-option: that is missing, not malformed.
    tcp.options.malformed = false;
    return {DecodeStatus::truncated, "TCP options cut by the snap length", true};
  }
  ByteReader payload = reader.take(tcp.payload_length);
  tcp.payload = payload.rest();
  tcp.payload_captured = static_cast<uint32_t>(tcp.payload.size());
  if (tcp.options.malformed)
    return {DecodeStatus::malformed, "TCP option with an invalid length", true};
  if (tcp.payload_captured < tcp.payload_length)
    return {DecodeStatus::truncated, "TCP payload cut by the snap length", true};
  return {DecodeStatus::ok, nullptr, true};
}

}  // namespace tcpgrade
