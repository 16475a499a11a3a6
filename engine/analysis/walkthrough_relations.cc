#include "analysis/walkthrough_relations.h"

#include <fmt/format.h>

namespace tcpgrade {
namespace {

// How far back a relation looks for the frame it follows from: a busy capture stays linear.
constexpr size_t lookback = 4096;

uint32_t occupied(const CapturedSegment& s) { return s.next_seq - s.seq; }

// What segment `s` adds to the sequence space, as the tail of a relation: "the 78 bytes of
// frame 4", "1 for the SYN of frame 1", "the 33 bytes and 1 for the FIN of frame 8".
std::string contribution(const CapturedSegment& s) {
  std::string parts;
  if (s.flags & tcp_flag::syn) parts = "1 for the SYN";
  if (s.len)
    parts = fmt::format("{}the {} byte{}", parts.empty() ? "" : parts + " and ", s.len,
                        s.len == 1 ? "" : "s");
  if (s.flags & tcp_flag::fin) parts += parts.empty() ? "1 for the FIN" : " and 1 for the FIN";
  return fmt::format("{} of frame {}", parts, s.frame);
}

// The latest segment before `index` sent in `direction` that occupies sequence space and ends
// at `end`; nullptr when none does.
const CapturedSegment* ending_at(const CapturedConversation& c, size_t index, Direction direction,
                                 uint32_t end) {
  for (size_t i = index; i-- > 0 && index - i <= lookback;) {
    const CapturedSegment& s = c.segments[i];
    if (s.direction == direction && occupied(s) && s.next_seq == end) return &s;
  }
  return nullptr;
}

Direction peer(Direction direction) {
  return direction == Direction::client_to_server ? Direction::server_to_client
                                                  : Direction::client_to_server;
}

}  // namespace

const char* sender_name(Direction direction) {
  return direction == Direction::client_to_server ? "client" : "server";
}

const char* receiver_name(Direction direction) { return sender_name(peer(direction)); }

std::string seq_relation(const CapturedConversation& c, size_t index) {
  const CapturedSegment& s = c.segments[index];
  if (s.flags & tcp_flag::syn)
    return fmt::format(
        "Seq {}: the {}'s initial sequence number (raw {} on the wire), which Wireshark shows "
        "relative as 0",
        s.seq, sender_name(s.direction), s.seq_raw);
  if (const CapturedSegment* before = ending_at(c, index, s.direction, s.seq))
    return fmt::format("Seq {} = {} + {}", s.seq, before->seq, contribution(*before));
  if (s.side_next_before && static_cast<int32_t>(s.seq - *s.side_next_before) < 0)
    return fmt::format(
        "Seq {}: earlier than the {}'s next Seq {}: these bytes were sent before (a "
        "retransmission or a keep-alive)",
        s.seq, sender_name(s.direction), *s.side_next_before);
  if (s.side_next_before && s.seq == *s.side_next_before)
    return fmt::format("Seq {}: where the {}'s previous segment left off", s.seq,
                       sender_name(s.direction));
  if (s.side_next_before)
    return fmt::format(
        "Seq {}: past the {}'s next Seq {}: the bytes in between are not in the capture", s.seq,
        sender_name(s.direction), *s.side_next_before);
  return fmt::format(
      "Seq {}: the first segment of the {} in the capture (raw {}); without its SYN, Wireshark "
      "numbers from here",
      s.seq, sender_name(s.direction), s.seq_raw);
}

std::string ack_relation(const CapturedConversation& c, size_t index) {
  const CapturedSegment& s = c.segments[index];
  if (!s.has_ack()) return "";
  const Direction from = peer(s.direction);
  if (const CapturedSegment* acked = ending_at(c, index, from, s.ack)) {
    std::string text = fmt::format("Ack {} = {} + {}", s.ack, acked->seq, contribution(*acked));
    if (acked->len)
      return text + fmt::format(": the {} has received every byte the {} sent before {}",
                                sender_name(s.direction), sender_name(from), s.ack);
    return text + fmt::format(": the {} has received the {}'s {}", sender_name(s.direction),
                              sender_name(from), (acked->flags & tcp_flag::syn) ? "SYN" : "FIN");
  }
  if (s.peer_next_before && static_cast<int32_t>(s.ack - *s.peer_next_before) > 0)
    return fmt::format(
        "Ack {}: beyond anything the {} sent in the capture ({}): it acknowledges a segment "
        "the capture missed",
        s.ack, sender_name(from), *s.peer_next_before);
  if (s.peer_next_before && static_cast<int32_t>(s.ack - *s.peer_next_before) < 0)
    return fmt::format(
        "Ack {}: less than the {} has sent ({}): the {} still waits for the bytes from {} on",
        s.ack, sender_name(from), *s.peer_next_before, sender_name(s.direction), s.ack);
  if (!s.peer_next_before)
    return fmt::format(
        "Ack {}: the next byte the {} expects from the {}, whose earlier segments are not in the "
        "capture",
        s.ack, sender_name(s.direction), sender_name(from));
  return fmt::format("Ack {}: every byte the {} has sent so far", s.ack, sender_name(from));
}

std::string next_seq_relation(const CapturedSegment& s) {
  if (!occupied(s))
    return fmt::format(
        "No Next Seq: the segment carries no data, SYN or FIN, so the {}'s Seq stays {}",
        sender_name(s.direction), s.seq);
  std::string parts;
  if (s.flags & tcp_flag::syn) parts += " + 1 (SYN)";
  if (s.len) parts += fmt::format(" + {} (data)", s.len);
  if (s.flags & tcp_flag::fin) parts += " + 1 (FIN)";
  return fmt::format("Next Seq = {}{} = {}: the {}'s next segment starts there", s.seq, parts,
                     s.next_seq, sender_name(s.direction));
}

}  // namespace tcpgrade
