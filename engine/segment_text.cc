#include "segment_text.h"

#include <fmt/format.h>

namespace tcpgrade {

std::string endpoint_text(const Endpoint& e) {
  if (e.address.family == 4) {  // by hand: every graded connection names two endpoints
    std::string out;
    out.reserve(21);
    for (int i = 0; i < 4; ++i) {
      if (i) out += '.';
      out += fmt::format_int(e.address.bytes[static_cast<size_t>(i)]).c_str();
    }
    out += ':';
    out += fmt::format_int(e.port).c_str();
    return out;
  }
  return e.address.family == 6 ? fmt::format("[{}]:{}", to_string(e.address), e.port)
                               : fmt::format("{}:{}", to_string(e.address), e.port);
}

std::string segment_summary(const CapturedSegment& s) {
  std::string ack = s.has_ack() ? fmt::format(" Ack={}", s.ack) : "";
  return fmt::format("frame {} ({} [{}] Seq={}{} Len={})", s.frame, to_string(s.direction),
                     flag_names(s.flags), s.seq, ack, s.len);
}

std::string segment_kind(const CapturedSegment& s) {
  if (s.flags & tcp_flag::rst) return "an RST";
  if ((s.flags & tcp_flag::syn) && (s.flags & tcp_flag::ack)) return "a SYN-ACK";
  if (s.flags & tcp_flag::syn) return "a SYN";
  if (s.flags & tcp_flag::fin) return s.len ? fmt::format("a FIN carrying {} bytes", s.len) : "a FIN";
  if (s.len) return fmt::format("a data segment (Len={})", s.len);
  if (s.flags & tcp_flag::ack) return "a pure ACK (Len=0)";
  return "a segment without flags";
}

}  // namespace tcpgrade
