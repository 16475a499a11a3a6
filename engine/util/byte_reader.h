// A bounds-checked cursor over captured bytes: the only way the decoders touch packet data.
// Running out of bytes is an expected outcome (the frame was cut by the snap length), so reads
// report it through their return value instead of throwing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tcpgrade {

class ByteReader {
 public:
  ByteReader() = default;
  explicit ByteReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  size_t offset() const { return pos_; }
  size_t remaining() const { return bytes_.size() - pos_; }
  bool has(size_t n) const { return n <= remaining(); }
  const uint8_t* position() const { return bytes_.data() + pos_; }

  bool skip(size_t n) {
    if (!has(n)) return false;
    pos_ += n;
    return true;
  }
  bool read_u8(uint8_t& out) {
    if (!has(1)) return false;
    out = bytes_[pos_++];
    return true;
  }
  bool read_u16(uint16_t& out) {  // network byte order
    if (!has(2)) return false;
    out = static_cast<uint16_t>(bytes_[pos_] << 8 | bytes_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool read_u32(uint32_t& out) {  // network byte order
    if (!has(4)) return false;
    out = static_cast<uint32_t>(bytes_[pos_]) << 24 |
          static_cast<uint32_t>(bytes_[pos_ + 1]) << 16 |
          static_cast<uint32_t>(bytes_[pos_ + 2]) << 8 | bytes_[pos_ + 3];
    pos_ += 4;
    return true;
  }
  bool read_u32_le(uint32_t& out) {  // host-order fields of BSD loopback headers
    if (!has(4)) return false;
    out = static_cast<uint32_t>(bytes_[pos_ + 3]) << 24 |
          static_cast<uint32_t>(bytes_[pos_ + 2]) << 16 |
          static_cast<uint32_t>(bytes_[pos_ + 1]) << 8 | bytes_[pos_];
    pos_ += 4;
    return true;
  }
  bool read_bytes(uint8_t* out, size_t n) {
    if (!has(n)) return false;
    for (size_t i = 0; i < n; ++i) out[i] = bytes_[pos_ + i];
    pos_ += n;
    return true;
  }
  // A reader over the next n bytes, or over what is left when fewer are present; the cursor
  // moves past them. `complete` tells whether all n were there.
  ByteReader take(size_t n, bool* complete = nullptr) {
    size_t got = has(n) ? n : remaining();
    if (complete) *complete = got == n;
    ByteReader sub(bytes_.subspan(pos_, got));
    pos_ += got;
    return sub;
  }
  std::span<const uint8_t> rest() const { return bytes_.subspan(pos_); }

 private:
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
};

}  // namespace tcpgrade
