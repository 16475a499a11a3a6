#include "analysis/segment_text.h"

#include <fmt/format.h>

namespace tcpgrade {

std::string endpoint_text(const Endpoint& e) {
  std::string out = e.address.family == 6 ? "[" : "";
  out += to_string(e.address);
  if (e.address.family == 6) out += ']';
  out += ':';
  out += std::to_string(e.port);
  return out;
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
  if (s.flags & tcp_flag::fin)
    return s.len ? fmt::format("a FIN carrying {} bytes", s.len) : "a FIN";
  if (s.len) return fmt::format("a data segment (Len={})", s.len);
  if (s.flags & tcp_flag::ack) return "a pure ACK (Len=0)";
  return "a segment without flags";
}

}  // namespace tcpgrade
