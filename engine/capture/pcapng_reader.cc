#include "capture/pcapng_reader.h"

#include <fmt/format.h>
#include <pcap/dlt.h>

#include <algorithm>
#include <utility>

namespace tcpgrade {
namespace {

constexpr uint32_t section_header = 0x0a0d0d0a, interface_description = 1, obsolete_packet = 2,
                   simple_packet = 3, interface_statistics = 5, enhanced_packet = 6;
constexpr uint32_t byte_order_magic = 0x1a2b3c4d, byte_order_swapped = 0x4d3c2b1a;
// libpcap's largest block and, for a snap length of 0 or beyond it, its snapshot: frames are
// cut as libpcap would cut them, so the two readers agree on every file both can read.
constexpr uint32_t max_block_bytes = 16 << 20;
constexpr uint32_t max_snapshot = 262144;

uint32_t swap32(uint32_t v) { return __builtin_bswap32(v); }

uint32_t little32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

uint32_t snapshot_of(uint32_t snap_length) {
  return snap_length == 0 || snap_length > max_snapshot ? max_snapshot : snap_length;
}

}  // namespace

int dlt_of_linktype(uint16_t linktype) {
  switch (linktype) {
    case 101:  // LINKTYPE_RAW
    case 12:   // DLT_RAW of most systems, written as is by some
    case 14:   // DLT_RAW of OpenBSD
      return DLT_RAW;
    default:
      return linktype;
  }
}

PcapngReader::PcapngReader(FILE* file, std::string name, long file_size)
    : file_(file), name_(std::move(name)), file_size_(file_size) {
  Read first = read_block();
  if (first == Read::cut || (first == Read::end && file_size_ >= 0))
    throw CaptureError(fmt::format("{}: capture file cut short inside its file header ({} bytes)",
                                   name_, file_size_));
  if (first != Read::block || type_ != section_header)
    throw CaptureError(fmt::format("{}: not a readable capture (pcapng section header: {})", name_,
                                   reason_.empty() ? "malformed" : reason_));
  read_section_header();
  // The first interface gives the file its link type, as libpcap's pcap_datalink() does.
  while (interfaces_.empty()) {
    Read next = read_block();
    if (next == Read::end)
      throw CaptureError(fmt::format("{}: pcapng file describes no interface, so no frame", name_));
    if (next != Read::block)
      throw CaptureError(
          fmt::format("{}: capture file cut short inside its file header ({})", name_, reason_));
    if (type_ == enhanced_packet || type_ == simple_packet || type_ == obsolete_packet)
      throw CaptureError(
          fmt::format("{}: not a readable capture (a frame before any interface)", name_));
    if (type_ == interface_description && !read_interface())
      throw CaptureError(fmt::format("{}: not a readable capture ({})", name_, reason_));
    if (type_ == section_header) read_section_header();
  }
}

uint32_t PcapngReader::u32(size_t at) const {
  uint32_t v = little32(body_.data() + at);
  return swapped_ ? swap32(v) : v;
}

uint16_t PcapngReader::u16(size_t at) const {
  uint16_t v = static_cast<uint16_t>(body_[at] | body_[at + 1] << 8);
  return swapped_ ? static_cast<uint16_t>(v >> 8 | v << 8) : v;
}

PcapngReader::Read PcapngReader::read_block() {
  uint8_t header[12];
  size_t got = std::fread(header, 1, 8, file_);
  if (got == 0) return Read::end;
  if (got < 8) return reason_ = "a block header cut short", Read::cut;
  type_ = little32(header);
  if (type_ == section_header) {  // its byte-order magic says how to read its length
    if (std::fread(header + 8, 1, 4, file_) < 4)
      return reason_ = "a section header cut short", Read::cut;
    uint32_t magic = little32(header + 8);
    if (magic != byte_order_magic && magic != byte_order_swapped)
      return reason_ = "no byte-order magic", Read::malformed;
    swapped_ = magic == byte_order_swapped;
  } else if (swapped_) {
    type_ = swap32(type_);
  }
  uint32_t length = little32(header + 4);
  if (swapped_) length = swap32(length);
  uint32_t already = type_ == section_header ? 4 : 0;
  if (length < 12 + already || length % 4 != 0)
    return reason_ = fmt::format("a block of length {}", length), Read::malformed;
  if (length > max_block_bytes)
    return reason_ =
               fmt::format("a block of {} bytes, more than libpcap's {}", length, max_block_bytes),
           Read::malformed;
  body_.resize(length - 12);
  if (already) std::copy(header + 8, header + 12, body_.begin());
  size_t want = body_.size() - already;
  if (std::fread(body_.data() + already, 1, want, file_) < want)
    return reason_ = fmt::format("a block of {} bytes cut short", length), Read::cut;
  uint8_t trailer[4];
  if (std::fread(trailer, 1, 4, file_) < 4)
    return reason_ = fmt::format("a block of {} bytes cut short", length), Read::cut;
  offset_ += length;
  return Read::block;
}

void PcapngReader::read_section_header() {  // a new section
  interfaces_.clear();
  drops_.clear();
}

void PcapngReader::read_statistics() {
  if (body_.size() < 12) return;  // nothing to read: a statistics block is never needed
  uint32_t interface_id = u32(0);
  if (interface_id >= interfaces_.size()) return;
  std::optional<uint64_t> dropped;
  for (size_t at = 12; at + 4 <= body_.size();) {
    uint16_t code = u16(at), length = u16(at + 2);
    size_t value = at + 4;
    if (code == 0 || value + length > body_.size()) break;
    if ((code == 5 || code == 7) && length == 8) {  // isb_ifdrop, isb_osdrop
      uint64_t low = u32(value), high = u32(value + 4);
      uint64_t count = swapped_ ? low << 32 | high : high << 32 | low;
      if (count != UINT64_MAX) dropped = dropped.value_or(0) + count;  // all ones: unknown
    }
    at = value + (length + 3u) / 4u * 4u;
  }
  if (drops_.size() < interfaces_.size()) drops_.resize(interfaces_.size());
  if (dropped) drops_[interface_id] = dropped;  // counters are cumulative: the last one counts
}

std::optional<uint64_t> PcapngReader::dropped() const {
  std::optional<uint64_t> total;
  for (const std::optional<uint64_t>& count : drops_)
    if (count) total = total.value_or(0) + *count;
  return total;
}

bool PcapngReader::read_interface() {
  if (body_.size() < 8) return reason_ = "an interface description cut short", false;
  Interface interface;
  interface.link_type = dlt_of_linktype(u16(0));
  interface.snap_length = u32(4);
  for (size_t at = 8; at + 4 <= body_.size();) {
    uint16_t code = u16(at), length = u16(at + 2);
    size_t value = at + 4;
    if (code == 0 || value + length > body_.size()) break;
    if (code == 9 && length >= 1) {  // if_tsresol: 10^-v, or 2^-v with the top bit
      uint8_t v = body_[value];
      uint8_t exponent = v & 0x7f;
      if ((v & 0x80) ? exponent > 63 : exponent > 18)
        return reason_ = fmt::format("if_tsresol {} is finer than tcpgrade reads", v), false;
      interface.units_per_second = 1;
      for (uint8_t i = 0; i < exponent; ++i) interface.units_per_second *= (v & 0x80) ? 2 : 10;
    } else if (code == 14 && length >= 8) {  // if_tsoffset, seconds
      uint64_t low = u32(value), high = u32(value + 4);
      interface.offset_seconds =
          static_cast<int64_t>(swapped_ ? low << 32 | high : high << 32 | low);
    }
    at = value + (length + 3u) / 4u * 4u;
  }
  interfaces_.push_back(interface);
  return true;
}

bool PcapngReader::frame_from_body(RawFrame& frame) {
  uint32_t interface_id = 0, caplen = 0, wire = 0;
  uint64_t units = 0;
  size_t data = 0;
  if (type_ == simple_packet) {
    if (body_.size() < 4) return reason_ = "a simple packet block cut short", false;
    wire = u32(0);
    data = 4;
    caplen = static_cast<uint32_t>(std::min<size_t>(wire, body_.size() - 4));
  } else {
    if (body_.size() < 20) return reason_ = "a packet block cut short", false;
    interface_id = type_ == enhanced_packet ? u32(0) : u16(0);
    units = static_cast<uint64_t>(u32(4)) << 32 | u32(8);
    caplen = u32(12);
    wire = u32(16);
    data = 20;
    if (caplen > body_.size() - data)
      return reason_ = fmt::format("{} captured bytes in a block of {}", caplen, body_.size() + 12),
             false;
  }
  if (interface_id >= interfaces_.size())
    return reason_ = fmt::format("a frame of interface {}, which no block describes", interface_id),
           false;
  const Interface& interface = interfaces_[interface_id];
  caplen = std::min(caplen, snapshot_of(interface.snap_length));
  uint64_t per_second = interface.units_per_second;
  // Unsigned, so a hostile offset wraps instead of overflowing; the pipeline clamps the year.
  frame.timestamp.sec =
      static_cast<int64_t>(units / per_second + static_cast<uint64_t>(interface.offset_seconds));
  frame.timestamp.nsec = static_cast<uint32_t>(static_cast<unsigned __int128>(units % per_second) *
                                               1'000'000'000u / per_second);
  frame.number = ++frames_read_;
  frame.captured_length = caplen;
  frame.wire_length = wire;
  frame.bytes = {body_.data() + data, caplen};
  frame.link_type = interface.link_type;
  return true;
}

bool PcapngReader::next(RawFrame& frame) {
  if (warning_) return false;
  for (;;) {
    long block_start = offset_;
    Read read = read_block();
    if (read == Read::end) return false;
    if (read == Read::block) {
      if (type_ == section_header) {
        read_section_header();
        continue;
      }
      if (type_ == interface_description) {
        if (read_interface()) continue;
      } else if (type_ == interface_statistics) {
        read_statistics();
        continue;
      } else if (type_ != enhanced_packet && type_ != simple_packet && type_ != obsolete_packet) {
        continue;  // statistics, name resolution, custom blocks: nothing to grade
      } else if (frame_from_body(frame)) {
        return true;
      }
    }
    const char* what = read == Read::cut ? "file cut short" : "malformed block";
    warning_ = fmt::format(
        "{}: {} at byte {} (frame {} incomplete: {}); using the {} frame{} "
        "before it",
        name_, what, block_start, frames_read_ + 1, reason_, frames_read_,
        frames_read_ == 1 ? "" : "s");
    return false;
  }
}

}  // namespace tcpgrade
