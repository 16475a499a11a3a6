#include <arpa/inet.h>
#include <fmt/format.h>

#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "analysis/dump_format.h"

// The TSV line of `dump --format tsv`: the hot path of reading a capture as data (some 35
// numbers and 215 bytes a frame, most of dump's time), so it is one flat file of fixed-size
// writers, apart from the other formats.
namespace tcpgrade {
namespace {

// TSV cells never hold tabs or newlines; problems are static texts without them.
void tsv_cells(fmt::memory_buffer& out, std::initializer_list<std::string> cells) {
  bool first = true;
  for (const std::string& cell : cells) {
    if (!first) out.push_back('\t');
    first = false;
    out.append(cell);
  }
  out.push_back('\n');
}

}  // namespace

void append_tsv_header(fmt::memory_buffer& out) {
  tsv_cells(
      out,
      {"frame",        "time_epoch", "time_relative", "stream",        "direction", "phase",
       "ip_version",   "src",        "src_port",      "dst",           "dst_port",  "frame_len",
       "captured_len", "flags",      "flag_names",    "seq",           "ack",       "seq_raw",
       "ack_raw",      "next_seq",   "len",           "window_raw",    "window",    "window_shift",
       "mss",          "ws",         "sack_perm",     "tsval",         "tsecr",     "sack_blocks",
       "options",      "analysis",   "dup_ack_num",   "dup_ack_frame", "status",    "problem"});
}

namespace {

// Two decimal digits at a time, as fmt and libstdc++ write them.
constexpr char digit_pairs[] =
    "0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243"
    "4445464748495051525354555657585960616263646566676869707172737475767778798081828384858687"
    "888990919293949596979899";

inline char* write_pair(char* at, uint32_t value) {  // value < 100, two digits
  std::memcpy(at, digit_pairs + value * 2, 2);
  return at + 2;
}

inline char* write_four(char* at, uint32_t value) {  // value < 10000, four digits
  write_pair(at, value / 100);
  return write_pair(at + 2, value % 100);
}

inline char* write_up_to_four(char* at, uint32_t value) {  // value < 10000, no leading zeros
  if (value < 10) {
    *at = static_cast<char>('0' + value);
    return at + 1;
  }
  if (value < 100) return write_pair(at, value);
  if (value < 1000) {
    *at = static_cast<char>('0' + value / 100);
    return write_pair(at + 1, value % 100);
  }
  return write_four(at, value);
}

// Eight decimal digits of value < 100'000'000, leading zeros included, in memory order, each
// as its digit value (not yet ASCII): two lanes of four digits are split into pairs, then
// into single digits, by multiplications that serve all lanes at once (no digit loop, where
// each division would wait for the one before).
inline uint64_t eight_digit_values(uint32_t value) {
  const uint32_t high = value / 10'000;
  uint64_t lanes = high | uint64_t{value - high * 10'000} << 32;
  const uint64_t hundreds = ((lanes * 10486) >> 20) & 0x0000'007f'0000'007full;  // lane / 100
  lanes = hundreds | (lanes - hundreds * 100) << 16;
  const uint64_t tens = ((lanes * 103) >> 10) & 0x000f'000f'000f'000full;  // lane / 10
  return tens | (lanes - tens * 10) << 8;
}

constexpr uint64_t ascii_zeros = 0x3030'3030'3030'3030ull;
static_assert(std::endian::native == std::endian::little, "digits are stored low byte first");

inline char* write_eight(char* at, uint32_t value) {  // value < 10^8, leading zeros kept
  const uint64_t ascii = eight_digit_values(value) + ascii_zeros;
  std::memcpy(at, &ascii, 8);
  return at + 8;
}

// Writes `value` (at least 10) in decimal at `at`; returns the end. Eight bytes may be
// written past the end: the line's reserve holds them.
char* write_long_decimal(char* at, uint32_t value) {
  if (value < 10'000) return write_up_to_four(at, value);
  if (value < 100'000'000) {
    const uint64_t digits = eight_digit_values(value);
    const int zeros = std::countr_zero(digits) / 8;  // leading zero digits (value is not 0)
    const uint64_t ascii = (digits + ascii_zeros) >> (8 * zeros);
    std::memcpy(at, &ascii, 8);
    return at + 8 - zeros;
  }
  at = write_up_to_four(at, value / 100'000'000);
  return write_eight(at, value % 100'000'000);
}

// Single digits (versions, shifts, option kinds and lengths) are written in place.
inline char* write_decimal(char* at, uint32_t value) {
  if (value < 10) {
    *at = static_cast<char>('0' + value);
    return at + 1;
  }
  return write_long_decimal(at, value);
}

inline char* write_decimal(char* at, uint64_t value) {
  if (value <= UINT32_MAX) return write_decimal(at, static_cast<uint32_t>(value));
  at = write_decimal(at, value / 100'000'000);
  return write_eight(at, static_cast<uint32_t>(value % 100'000'000));
}

// A name of a few letters in a fixed-size slot, which a line copies with one fixed-size move.
struct ShortName {
  explicit ShortName(const char* name)
      : length(static_cast<uint8_t>(std::min<size_t>(std::strlen(name), sizeof text))) {
    std::memcpy(text, name, length);  // the names held are at most 15 bytes
  }
  char text[16] = {};
  uint8_t length;
};

// The tsv line is dump's hot path: cells are written straight into the output buffer's
// reserved space, with no string per cell and no capacity check per character.
class TsvLine {
 public:
  explicit TsvLine(fmt::memory_buffer& out) : out_(out) { ensure(0); }
  ~TsvLine() { out_.try_resize(static_cast<size_t>(at_ - out_.data())); }
  TsvLine(const TsvLine&) = delete;
  TsvLine& operator=(const TsvLine&) = delete;

  void tab() { *at_++ = '\t'; }
  void end() { *at_++ = '\n'; }
  void text(std::string_view value) {
    ensure(value.size() + 1);
    std::memcpy(at_, value.data(), value.size());
    at_ += value.size();
  }
  void character(char c) { *at_++ = c; }
  void name(const ShortName& value) {
    std::memcpy(at_, value.text, sizeof value.text);  // fixed size: within the line's reserve
    at_ += value.length;
  }
  template <typename T>
  void number(T value) {
    if constexpr (std::is_signed_v<T>) {
      using U = std::make_unsigned_t<T>;
      U magnitude = static_cast<U>(value);
      if (value < 0) {
        *at_++ = '-';
        magnitude = static_cast<U>(U{0} - magnitude);
      }
      at_ = write_decimal(at_, magnitude);
    } else if constexpr (sizeof(T) <= 4) {
      at_ = write_decimal(at_, uint32_t{value});
    } else {
      at_ = write_decimal(at_, uint64_t{value});
    }
  }
  void nine_digits(uint32_t value) {  // {:09}
    if (value >= 1'000'000'000) {
      number(value);
      return;
    }
    at_[0] = static_cast<char>('0' + value / 100'000'000);
    at_ = write_eight(at_ + 1, value % 100'000'000);
  }
  // inet_ntop's text. A capture holds few addresses: the last few are remembered.
  void address(const IpAddress& a) {
    if (a.family == 4) {
      ipv4_address(a);
    } else if (a.family == 6) {
      ipv6_address(a);
    }
  }
  // Epoch seconds change once a second of capture: the last one is remembered.
  void epoch_seconds(int64_t sec) {
    struct Known {
      int64_t sec = 0;
      uint8_t length = 0;  // 0: nothing yet
      char text[24];
    };
    thread_local Known known;
    if (known.length == 0 || known.sec != sec) {
      char* at = known.text;
      uint64_t magnitude = static_cast<uint64_t>(sec);
      if (sec < 0) {
        *at++ = '-';
        magnitude = 0 - magnitude;
      }
      at = write_decimal(at, magnitude);
      known.sec = sec;
      known.length = static_cast<uint8_t>(at - known.text);
    }
    std::memcpy(at_, known.text, sizeof known.text);  // fixed size: within the line's reserve
    at_ += known.length;
  }
  // The options cell, "kind:length,..." (at most 40 entries: within the line's reserve).
  void option_layout(const TcpOptions& options) {
    ensure(size_t{options.entry_count} * 8);
    for (uint8_t i = 0; i < options.entry_count; ++i) {
      if (i) *at_++ = ',';
      at_ = write_decimal(at_, uint32_t{options.entries[i].kind});
      *at_++ = ':';
      at_ = write_decimal(at_, uint32_t{options.entries[i].length});
    }
  }
  void hex_flags(uint16_t flags) {  // 0x{:03x}
    if (flags > 0xfff) {
      text(fmt::format("0x{:03x}", flags));
      return;
    }
    static constexpr char hex[] = "0123456789abcdef";
    at_[0] = '0';
    at_[1] = 'x';
    at_[2] = hex[(flags >> 8) & 0xf];
    at_[3] = hex[(flags >> 4) & 0xf];
    at_[4] = hex[flags & 0xf];
    at_ += 5;
  }

 private:
  void ipv4_address(const IpAddress& a) {
    struct Known {
      uint32_t bytes = 0;
      uint8_t length = 0;  // 0: empty slot
      char text[16];       // "255.255.255.255" and one spare byte
    };
    thread_local std::array<Known, 4> known;
    thread_local size_t next = 0;
    uint32_t bytes;
    std::memcpy(&bytes, a.bytes.data(), 4);
    for (const Known& k : known)
      if (k.length && k.bytes == bytes) {
        std::memcpy(at_, k.text, sizeof k.text);  // fixed size: within the line's reserve
        at_ += k.length;
        return;
      }
    Known& k = known[next++ % known.size()];
    char* at = k.text;
    for (int i = 0; i < 4; ++i) {
      if (i) *at++ = '.';
      at = write_decimal(at, uint32_t{a.bytes[i]});
    }
    k.bytes = bytes;
    k.length = static_cast<uint8_t>(at - k.text);
    std::memcpy(at_, k.text, sizeof k.text);
    at_ += k.length;
  }
  void ipv6_address(const IpAddress& a) {
    struct Known {
      std::array<uint8_t, 16> bytes{};
      uint8_t length = 0;  // 0: empty slot
      char text[INET6_ADDRSTRLEN];
    };
    thread_local std::array<Known, 4> known;
    thread_local size_t next = 0;
    for (const Known& k : known)
      if (k.length && k.bytes == a.bytes) {
        text({k.text, k.length});
        return;
      }
    Known& k = known[next++ % known.size()];
    k.bytes = a.bytes;
    k.text[0] = '\0';
    inet_ntop(AF_INET6, a.bytes.data(), k.text, sizeof k.text);
    k.length = static_cast<uint8_t>(std::strlen(k.text));
    text({k.text, k.length});
  }

  // Room for `more` bytes after the cursor, and then for the numbers, tabs and separators
  // that may follow before the next text cell (all of a line's take well under 1 KiB).
  void ensure(size_t more) {
    if (at_ && static_cast<size_t>(end_ - at_) >= more + 1024) return;
    size_t used = at_ ? static_cast<size_t>(at_ - out_.data()) : out_.size();
    if (used + more + 1024 > out_.capacity()) out_.try_reserve(used + more + 4096);
    out_.try_resize(out_.capacity());
    at_ = out_.data() + used;
    end_ = out_.data() + out_.size();
  }

  fmt::memory_buffer& out_;
  char* at_ = nullptr;
  char* end_ = nullptr;
};

// The names of directions, phases and statuses, measured once.
const ShortName& direction_name(Direction direction) {
  static const ShortName names[] = {ShortName(to_string(Direction::client_to_server)),
                                    ShortName(to_string(Direction::server_to_client))};
  return names[static_cast<size_t>(direction) & 1];
}

const ShortName& phase_name(Phase phase) {
  static const ShortName names[] = {
      ShortName(to_string(Phase::handshake)), ShortName(to_string(Phase::data)),
      ShortName(to_string(Phase::teardown)), ShortName(to_string(Phase::reset))};
  return names[static_cast<size_t>(phase) & 3];
}

const ShortName& status_name(DecodeStatus status) {
  static const ShortName names[] = {ShortName(to_string(DecodeStatus::ok)),
                                    ShortName(to_string(DecodeStatus::truncated)),
                                    ShortName(to_string(DecodeStatus::malformed)),
                                    ShortName(to_string(static_cast<DecodeStatus>(3)))};
  return names[std::min<size_t>(static_cast<size_t>(status), 3)];
}

}  // namespace

void append_tsv_line(fmt::memory_buffer& out, const DumpRow& row) {
  const DecodedFrame& frame = row.frame;
  const FrameAnalysis* a = row.analysis;
  const TcpHeader& tcp = frame.tcp;
  const TcpOptions& options = tcp.options;
  const bool tcp_present = frame.has_tcp;
  const bool has_ack = tcp.flags & tcp_flag::ack;
  const bool ip = frame.ip.version != 0;
  TsvLine line(out);
  line.number(frame.number);
  line.tab();
  line.epoch_seconds(frame.timestamp.sec);
  line.character('.');
  line.nine_digits(frame.timestamp.nsec);
  line.tab();
  int64_t ns = frame.timestamp.total_ns() - row.first_timestamp.total_ns();
  if (ns < 0) {
    line.character('-');
    ns = -ns;
  }
  line.number(ns / 1'000'000'000);
  line.character('.');
  line.nine_digits(static_cast<uint32_t>(ns % 1'000'000'000));
  line.tab();
  if (a) line.number(a->stream);
  line.tab();
  if (a) line.name(direction_name(a->direction));
  line.tab();
  if (a) line.name(phase_name(a->phase));
  line.tab();
  if (ip) line.number(unsigned{frame.ip.version});
  line.tab();
  if (ip) line.address(frame.ip.src);
  line.tab();
  if (tcp_present) line.number(tcp.src_port);
  line.tab();
  if (ip) line.address(frame.ip.dst);
  line.tab();
  if (tcp_present) line.number(tcp.dst_port);
  line.tab();
  line.number(frame.wire_length);
  line.tab();
  line.number(frame.captured_length);
  line.tab();
  if (tcp_present) line.hex_flags(tcp.flags);
  line.tab();
  if (tcp_present) line.text(cached_flag_names(tcp.flags));
  line.tab();
  if (a) line.number(a->relative_seq);
  line.tab();
  if (a && has_ack) line.number(a->relative_ack);
  line.tab();
  if (tcp_present) line.number(tcp.seq);
  line.tab();
  if (tcp_present && has_ack) line.number(tcp.ack);
  line.tab();
  if (a && a->relative_next_seq) line.number(a->relative_next_seq);
  line.tab();
  if (tcp_present) line.number(tcp.payload_length);
  line.tab();
  if (tcp_present) line.number(tcp.window);
  line.tab();
  if (a) line.number(a->window_scaled);
  line.tab();
  if (a) line.number(int{a->window_shift});
  line.tab();
  if (options.mss) line.number(*options.mss);
  line.tab();
  if (options.window_scale) line.number(unsigned{*options.window_scale});
  line.tab();
  if (tcp_present) line.text(options.sack_permitted ? "1" : "0");
  line.tab();
  if (options.tsval) line.number(*options.tsval);
  line.tab();
  if (options.tsecr) line.number(*options.tsecr);
  line.tab();
  for (uint8_t i = 0; i < options.sack_count; ++i) {
    if (i) line.character(',');
    line.number(options.sack[i].left);
    line.character('-');
    line.number(options.sack[i].right);
  }
  line.tab();
  line.option_layout(options);
  line.tab();
  if (a) {
    bool first = true;
    for (uint32_t bit = 1; bit != 0 && bit <= a->flags; bit <<= 1) {
      if (!(a->flags & bit)) continue;
      if (!first) line.character(',');
      first = false;
      line.text(analysis_field_name(bit));
    }
  }
  line.tab();
  if (a && a->dup_ack_number) line.number(a->dup_ack_number);
  line.tab();
  if (a && a->dup_ack_of_frame) line.number(a->dup_ack_of_frame);
  line.tab();
  line.name(status_name(frame.status));
  line.tab();
  if (frame.status != DecodeStatus::ok) line.text(describe_problem(frame));
  line.end();
}

}  // namespace tcpgrade
