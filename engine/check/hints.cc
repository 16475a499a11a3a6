#include "check/hints.h"

#include <fmt/format.h>

#include <optional>

#include "analysis/segment_text.h"
#include "capture/tcp_sequence.h"
#include "check/claim_judge.h"
#include "check/matcher_eval.h"

namespace tcpgrade {

std::string number_hint(const std::string& field, const Matcher& m, const MatchOutcome& outcome) {
  if (m.kind == MatchKind::next && field == "seq")
    return "Seq should continue where this side's previous segment ended; a segment in between "
           "is missing, or this one is a retransmission";
  if (m.kind == MatchKind::next && field == "ack")
    return "Ack should acknowledge everything the peer has sent so far; a peer segment is not "
           "acknowledged yet, or was not captured";
  if (field == "len")
    return fmt::format("the segment carries {} bytes of payload, the scenario expects {}",
                       outcome.actual, outcome.expected);
  if (field == "seq" || field == "ack")
    return fmt::format(
        "{} is {} where the scenario expects {} (relative numbers, as Wireshark "
        "shows them)",
        field == "seq" ? "Seq" : "Ack", outcome.actual, outcome.expected);
  return fmt::format("{} is {}, expected {}", field, outcome.actual, outcome.expected);
}

std::string next_unknown_hint(const std::string& field) {
  return field == "ack" || field == "ack_raw"
             ? "nothing the peer sent before this frame is in the capture, so what its Ack "
               "should cover is unknown"
             : "nothing this side sent before this frame is in the capture, so where its Seq "
               "should continue is unknown";
}

std::string flags_hint(uint16_t expected, uint16_t actual) {
  if ((actual & tcp_flag::rst) && (expected & tcp_flag::fin))
    return "the connection was reset (RST) instead of closed with FIN";
  if ((actual & tcp_flag::rst) && (expected & tcp_flag::syn))
    return "the SYN was answered with RST: connection refused, nothing listening on the port";
  if ((expected & tcp_flag::psh) && !(actual & tcp_flag::psh) &&
      (actual & ~tcp_flag::psh) == (expected & ~tcp_flag::psh))
    return "only PSH differs: the sender's stack did not ask to push this segment";
  return fmt::format("the frame is [{}], the scenario expects [{}]", flag_names(actual),
                     flag_names(expected));
}

std::string direction_hint() { return "the frame goes the other way: check which side sent it"; }

std::string phase_hint(const CapturedSegment& s) {
  return fmt::format("the frame is {}, in {}", segment_kind(s), phase_words(s.phase));
}

std::string option_hint(const std::string& field, const MatchOutcome& outcome) {
  return fmt::format("option {} is {}, expected {}", field, outcome.actual, outcome.expected);
}

std::string option_cut_hint(const CapturedSegment& s) {
  return fmt::format("the snap length cut this frame's TCP options (captured {} of {} bytes)",
                     s.captured_length, s.wire_length);
}

std::string option_order_hint() { return "the options differ from the ones the scenario lists"; }

std::string payload_hint(bool cut) {
  return cut ? "the snap length cut this frame's payload" : "the payload differs";
}

std::string option_kind_names(const std::vector<uint8_t>& kinds) {
  std::string out;
  for (uint8_t kind : kinds) {
    if (!out.empty()) out += ", ";
    switch (kind) {
      case tcp_option::eol:
        out += "EOL";
        break;
      case tcp_option::nop:
        out += "NOP";
        break;
      case tcp_option::mss:
        out += "MSS";
        break;
      case tcp_option::window_scale:
        out += "WS";
        break;
      case tcp_option::sack_permitted:
        out += "SACK_PERM";
        break;
      case tcp_option::sack:
        out += "SACK";
        break;
      case tcp_option::timestamps:
        out += "TS";
        break;
      case tcp_option::fast_open:
        out += "TFO";
        break;
      case tcp_option::mptcp:
        out += "MPTCP";
        break;
      default:
        out += fmt::format("kind {}", kind);
    }
  }
  return "[" + out + "]";
}

namespace {

// An expected pure ACK (no SYN, FIN, RST or data): it takes no sequence numbers.
bool expects_pure_ack(const ExpectedFrame& e) {
  if (!e.direction || e.flags.kind == FlagsMatchKind::any) return false;
  if (!(e.flags.flags & tcp_flag::ack) ||
      (e.flags.flags & (tcp_flag::syn | tcp_flag::fin | tcp_flag::rst)))
    return false;
  FieldValue empty;
  empty.actual = 0;
  return !e.len.constrains() || evaluate_status(e.len, empty) == CheckStatus::pass;
}

// The sender's next frame after `at` when it acknowledges everything the peer had sent before
// this place: the acknowledgement the missing pure ACK was to carry got through with it.
const CapturedSegment* later_ack_covering(const ExpectedFrame& e,
                                          const std::vector<AlignedPair>& pairs, size_t at,
                                          const CapturedConversation& c) {
  std::optional<uint32_t> peer_end;
  for (size_t k = 0; k < at; ++k) {
    if (pairs[k].segment < 0) continue;
    const CapturedSegment& s = c.segments[pairs[k].segment];
    if (s.direction == *e.direction) continue;
    if (!peer_end || seq_after(s.next_seq, *peer_end)) peer_end = s.next_seq;
  }
  if (!peer_end) return nullptr;
  for (size_t k = at + 1; k < pairs.size(); ++k) {
    if (pairs[k].segment < 0) continue;
    const CapturedSegment& s = c.segments[pairs[k].segment];
    if (s.direction != *e.direction) continue;
    bool covers = s.has_ack() && !(s.flags & (tcp_flag::rst | tcp_flag::syn)) &&
                  seq_after_or_at(s.ack, *peer_end);
    return covers ? &s : nullptr;
  }
  return nullptr;
}

}  // namespace

MissingFrameHint missing_frame_hint(const ExpectedFrame& e, const std::vector<AlignedPair>& pairs,
                                    size_t at, const CapturedConversation& c, uint32_t tolerated,
                                    bool capture_loses) {
  for (size_t i = 0; i < pairs.size(); ++i) {
    const AlignedPair& p = pairs[i];
    if (p.slot >= 0 || p.segment < 0 || p.beyond_last) continue;
    const CapturedSegment& s = c.segments[p.segment];
    bool same_dir = !e.direction || *e.direction == s.direction;
    bool same_flags =
        e.flags.kind == FlagsMatchKind::any ||
        (e.flags.kind == FlagsMatchKind::exact ? s.flags == e.flags.flags
                                               : (s.flags & e.flags.flags) == e.flags.flags);
    if (!same_dir || !same_flags) continue;
    std::string flagged = (s.analysis_flags & tolerated)
                              ? " (Wireshark marks it as a retransmission or out of order, "
                                "which the scenario tolerates as noise)"
                              : "";
    return {fmt::format(
        "{} looks like this frame but comes {} than expected{}: the frames are out of order",
        segment_summary(s), i < at ? "earlier" : "later", flagged)};
  }
  // A pure ACK leaves no gap in the Seq numbers when it is lost: the sender's next frame tells
  // at most that its acknowledgement got through another way.
  if (expects_pure_ack(e))
    if (const CapturedSegment* later = later_ack_covering(e, pairs, at, c)) {
      const char* side = *e.direction == Direction::client_to_server ? "client" : "server";
      if (capture_loses)
        return {fmt::format("the {}'s next frame, {}, acknowledges the same bytes, and this "
                            "capture loses frames: most likely it lost this ACK too (a pure ACK "
                            "takes no Seq number, so no gap shows it) (frames-not-captured)",
                            side, segment_summary(*later)),
                true};
      return {
          fmt::format("the {}'s next frame, {}, acknowledges the same bytes along with its "
                      "own: the {} delayed this ACK and sent it with that frame (a delayed "
                      "ACK), or the capture lost it; a pure ACK takes no Seq number, so the "
                      "capture cannot tell which",
                      side, segment_summary(*later), side)};
    }
  // A frame that takes sequence space (data, SYN, FIN) and that no gap in the Seq numbers
  // shows lost (lost frames get their own hint) was never sent: the sender's next frame
  // continues right after what it sent before.
  FieldValue empty;
  empty.actual = 0;
  // Only from a sender whose SYN was captured: without it the numbers start at the first
  // frame seen, and the frames before it are simply not in the capture.
  const bool anchored = e.direction && c.summary.isn_from_syn[static_cast<int>(*e.direction)];
  bool takes_sequence =
      anchored && ((e.flags.kind != FlagsMatchKind::any && (e.flags.flags & tcp_flag::fin)) ||
                   (e.len.constrains() && evaluate_status(e.len, empty) == CheckStatus::fail));
  for (size_t i = at + 1; i < pairs.size(); ++i) {
    if (pairs[i].segment < 0) continue;
    const CapturedSegment& next = c.segments[pairs[i].segment];
    if (next.flags & tcp_flag::rst)
      return {fmt::format("the connection was reset before this frame was due: {} is an RST",
                          segment_summary(next))};
    if (takes_sequence && e.direction)
      for (size_t k = i; k < pairs.size(); ++k)
        if (pairs[k].segment >= 0 && c.segments[pairs[k].segment].direction == *e.direction)
          return {fmt::format(
              "it was never sent: the {}'s next frame, {}, continues its Seq numbers without a "
              "gap, so nothing is missing from the capture there",
              *e.direction == Direction::client_to_server ? "client" : "server",
              segment_summary(c.segments[pairs[k].segment]))};
    bool frames_before = false;
    for (size_t k = 0; k < at && !frames_before; ++k) frames_before = pairs[k].segment >= 0;
    return {frames_before ? "the frames after it show the connection went on, so it was sent but "
                            "is not in the capture (filtered out, or dropped while capturing)"
                          : "the frames after it show the connection went on: it was sent before "
                            "the capture started, or filtered out"};
  }
  return {
      "the capture ends before this frame: it was stopped too early, or the connection never "
      "got this far"};
}

std::string lost_frame_hint(const LostSegment& lost) {
  const char* mark =
      (lost.shown_flag & analysis_flag::ack_lost_segment) ? " [TCP ACKed unseen segment]"
      : (lost.shown_flag & analysis_flag::lost_segment)   ? " [TCP Previous segment not captured]"
                                                          : "";
  return fmt::format(
      "it was sent but the capture lost it: {}; frame {}{} shows it (frames-not-captured)",
      lost_segment_text(lost), lost.shown_by, mark);
}

std::string unexpected_frame_hint(const CapturedSegment& s) {
  std::string hint = fmt::format("{} is {} that the scenario does not expect here",
                                 segment_summary(s), segment_kind(s));
  // Wireshark's own reading of the frame often says why it is there.
  std::vector<std::string> labels =
      analysis_labels(s.analysis_flags & ~analysis_flag::reset, 0, 0, s.frame);
  if (!labels.empty()) hint += fmt::format("; Wireshark marks it [{}]", fmt::join(labels, "] ["));
  return hint;
}

std::string stream_hint(const std::string& data) {
  return data.empty() ? "no application data was captured in this direction"
                      : "the reassembled data differs from what the scenario expects";
}

std::string server_port_hint(const Scenario& scenario) {
  int family = scenario.conversation.family;
  return scenario.conversation.server_port
             ? "the capture holds traffic on another port than the scenario's: was the "
               "server started on the lab's port, and the capture filtered on it?"
             : fmt::format(
                   "the capture holds no IPv{0} connection: the client must "
                   "connect to an IPv{0} address{1}",
                   family, family == 6 ? " (curl http://[::1]:PORT/)" : "");
}

}  // namespace tcpgrade
