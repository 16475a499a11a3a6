// Reading a student's write-up of a capture (Markdown or plain text, the lab document's shape):
// its sections per packet and, in each, the statements that can be checked against the
// capture: the quoted lines (`Seq=1`, `Seq:1`, the tshark one-liner, `66 bytes on wire`, flags
// in brackets, options, HTTP payload lines) and the bullets (phase, direction, Next Seq, what
// the payload holds, which frame a segment acknowledges). Lines it cannot read are kept as
// "not checked", never guessed. The text is untrusted: sizes are capped, nothing recurses.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/frame_analysis.h"

namespace tcpgrade {

// A write-up that cannot be read (binary, empty, no packet sections, past a limit).
class WriteupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct WriteupLimits {
  size_t max_bytes = 4 * 1024 * 1024;
  size_t max_sections = 1000;    // a lab write-up has dozens; more makes a report of megabytes
  size_t max_line_bytes = 2000;  // longer lines are read up to here
};

enum class StatementKind : uint8_t {
  seq,
  ack,
  seq_raw,
  ack_raw,
  len,
  window,
  next_seq,
  wire_bytes,   // "66 bytes on wire", "Frame 4: 144 bytes", the one-liner's length
  ports,        // value: source port, value2: destination port
  flags_exact,  // "[SYN, ACK]"
  flags_include,
  mss,
  ws,  // the multiplier, as Wireshark prints WS=128
  tsval,
  tsecr,
  phase,
  direction,
  carries,       // a payload line quoted: the frame's payload contains `text`
  payload_kind,  // what the payload holds: request line, status line, headers, body
  acknowledges,  // value: the frame it acknowledges, as numbered in the write-up
};

enum class PayloadKind : uint8_t { request_line, status_line, headers, body };
const char* to_string(PayloadKind kind);

struct WriteupStatement {
  uint64_t packet = 0;  // as numbered in the write-up
  StatementKind kind = StatementKind::seq;
  int64_t value = 0, value2 = 0;
  uint16_t flags = 0;
  Phase phase = Phase::handshake;
  Direction direction = Direction::client_to_server;
  PayloadKind payload = PayloadKind::body;
  std::string text;     // carries: the quoted payload line
  std::string source;   // the write-up's line, trimmed
  size_t line = 0;      // 1-based line number in the write-up
  bool quoted = false;  // from a code block, a table or a tshark line: pasted, not written
};

// A line of a packet section that holds nothing checkable.
struct UncheckedLine {
  uint64_t packet = 0;
  std::string source;
  size_t line = 0;
};

struct WriteupReading {
  std::vector<uint64_t> packets;  // section numbers, in the order they appear
  std::vector<WriteupStatement> statements;
  std::vector<UncheckedLine> unchecked;
  size_t lines_with_statements = 0;  // the statements found = these + unchecked.size()
};

// Throws WriteupError naming the cause (the caller adds the file name).
WriteupReading read_writeup(std::string_view text, const WriteupLimits& limits = {});

// The statements a single line holds (exposed for tests). `quoted`: a code or table line.
std::vector<WriteupStatement> read_statements(std::string_view line, bool quoted);

}  // namespace tcpgrade
