#include "check/claim_judge.h"

#include <fmt/format.h>

#include "analysis/segment_text.h"
#include "check/matcher_eval.h"
#include "check/root_causes.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

struct Located {
  const CapturedConversation* conversation = nullptr;
  const CapturedSegment* segment = nullptr;
};

Located find_frame(const CaptureContents& contents, uint64_t frame) {
  for (const CapturedConversation& c : contents.conversations)
    for (const CapturedSegment& s : c.segments)
      if (s.frame == frame) return {&c, &s};
  return {};
}

const char* side(Direction d) { return d == Direction::client_to_server ? "client" : "server"; }

// The peer's data segment this ACK completes, if any.
const CapturedSegment* acknowledged_segment(const CapturedConversation& c,
                                            const CapturedSegment& ack) {
  const CapturedSegment* found = nullptr;
  for (const CapturedSegment& s : c.segments) {
    if (s.frame >= ack.frame) break;
    if (s.direction != ack.direction && s.len > 0 && s.next_seq == ack.ack) found = &s;
  }
  return found;
}

uint64_t handshake_end(const CapturedConversation& c) {
  uint64_t last = 0;
  for (const CapturedSegment& s : c.segments)
    if (s.phase == Phase::handshake) last = s.frame;
  return last;
}

std::string describe_frame(const CapturedConversation& c, const CapturedSegment& s) {
  std::string text =
      fmt::format("frame {} is {} from the {}", s.frame, segment_kind(s), side(s.direction));
  if (s.len == 0 && !(s.flags & (tcp_flag::syn | tcp_flag::fin | tcp_flag::rst))) {
    if (const CapturedSegment* acked = acknowledged_segment(c, s))
      text += fmt::format(" acknowledging the {} bytes of frame {} (Ack={})", acked->len,
                          acked->frame, s.ack);
  }
  text += fmt::format(", in {}", phase_words(s.phase));
  uint64_t end = handshake_end(c);
  if (s.phase != Phase::handshake && end)
    text += fmt::format("; the handshake ended at frame {}", end);
  return text;
}

bool looks_like_http_head(const std::string& payload) {
  return payload.rfind("HTTP/", 0) == 0 && payload.find("\r\n\r\n") != std::string::npos;
}

std::string explain_carries(const CapturedConversation& c, const CapturedSegment& s,
                            const TextMatcher& claim) {
  std::string text = fmt::format("frame {} carries {} bytes", s.frame, s.len);
  if (s.len) text += fmt::format(": \"{}\"", printable(s.payload, 60));
  const CapturedSegment* holder = nullptr;
  for (const CapturedSegment& other : c.segments)
    if (&other != &s && other.len && text_matches(claim, other.payload)) {
      holder = &other;
      break;
    }
  if (!holder) return text + fmt::format("; nothing in this connection {}", describe(claim));
  text += fmt::format("; the bytes it claims ({}) are in frame {}'s payload ({} bytes",
                      describe(claim), holder->frame, holder->len);
  text += looks_like_http_head(holder->payload) ? ": the status line and headers)" : ")";
  if (holder->direction == s.direction && holder->frame < s.frame &&
      looks_like_http_head(holder->payload))
    text += fmt::format(
        ". Wireshark shows the reassembled response at its last segment, frame "
        "{}, which is why that frame seems to carry it",
        s.frame);
  return text;
}

CheckResult base_check(const Claim& claim, const std::string& field, bool single) {
  CheckResult check;
  check.id = single ? "claim." + claim.id : "claim." + claim.id + "." + field;
  check.name = fmt::format("claim about frame {}: {}", claim.frame, field);
  check.frame = claim.frame;
  check.expected_id = claim.id;
  check.field = field;
  check.max_points = claim.points;
  check.teaches = claim.source;
  check.scenario_hint = claim.hint;
  return check;
}

}  // namespace

const char* phase_words(Phase phase) {
  switch (phase) {
    case Phase::handshake:
      return "the handshake phase";
    case Phase::data:
      return "the data-transfer phase";
    case Phase::teardown:
      return "the teardown phase";
    case Phase::reset:
      return "a reset";
  }
  return "?";
}

std::vector<CheckResult> judge_claims(const Scenario& scenario, const CaptureContents& contents,
                                      std::vector<RootCause>& root_causes) {
  std::vector<CheckResult> checks;
  bool absolute_seen = false;
  for (const Claim& claim : scenario.claims) {
    Located at = find_frame(contents, claim.frame);
    std::vector<std::string> fields;
    if (claim.phase) fields.push_back("phase");
    if (claim.direction) fields.push_back("dir");
    if (claim.flags.kind != FlagsMatchKind::any) fields.push_back("flags");
    if (claim.seq.constrains()) fields.push_back("seq");
    if (claim.ack.constrains()) fields.push_back("ack");
    if (claim.len.constrains()) fields.push_back("len");
    if (claim.seq_raw.constrains()) fields.push_back("seq_raw");
    if (claim.ack_raw.constrains()) fields.push_back("ack_raw");
    if (claim.window.constrains()) fields.push_back("window");
    if (claim.carries.kind != TextMatchKind::none) fields.push_back("carries");
    double share = fields.empty() ? 0 : claim.points / static_cast<double>(fields.size());
    for (const std::string& field : fields) {
      CheckResult check = base_check(claim, field, fields.size() == 1);
      check.visibility = claim.visibility.empty() ? scenario.visibility : claim.visibility;
      check.max_points = share;
      if (!at.segment) {
        check.status = CheckStatus::fail;
        check.actual = contents.frames >= claim.frame && claim.frame > 0
                           ? fmt::format("frame {} is not a TCP segment", claim.frame)
                           : fmt::format("the capture has {} frames", contents.frames);
        check.hint = fmt::format(
            "the claim names frame {}, which this capture does not hold as TCP", claim.frame);
        checks.push_back(check);
        continue;
      }
      const CapturedSegment& s = *at.segment;
      const CapturedConversation& c = *at.conversation;
      bool ok = true;
      if (field == "phase") {
        check.expected = to_string(*claim.phase);
        check.actual = to_string(s.phase);
        ok = s.phase == *claim.phase;
        check.hint = describe_frame(c, s);
      } else if (field == "dir") {
        check.expected = to_string(*claim.direction);
        check.actual = to_string(s.direction);
        ok = s.direction == *claim.direction;
        check.hint = describe_frame(c, s);
      } else if (field == "flags") {
        check.expected = flag_names(claim.flags.flags);
        check.actual = flag_names(s.flags);
        ok = claim.flags.kind == FlagsMatchKind::exact
                 ? s.flags == claim.flags.flags
                 : (s.flags & claim.flags.flags) == claim.flags.flags &&
                       !(s.flags & claim.flags.excluded);
        check.hint = describe_frame(c, s);
      } else if (field == "carries") {
        check.expected = describe(claim.carries);
        check.actual = fmt::format("\"{}\" ({} bytes)", printable(s.payload, 60), s.len);
        ok = text_matches(claim.carries, s.payload);
        check.hint = explain_carries(c, s, claim.carries);
      } else {
        const Matcher* m = field == "seq"       ? &claim.seq
                           : field == "ack"     ? &claim.ack
                           : field == "len"     ? &claim.len
                           : field == "seq_raw" ? &claim.seq_raw
                           : field == "ack_raw" ? &claim.ack_raw
                                                : &claim.window;
        int64_t value = field == "seq"       ? s.seq
                        : field == "ack"     ? s.ack
                        : field == "len"     ? s.len
                        : field == "seq_raw" ? s.seq_raw
                        : field == "ack_raw" ? s.ack_raw
                                             : s.window_scaled;
        bool is_ack_field = field == "ack" || field == "ack_raw";
        FieldValue fv;
        if (!is_ack_field || s.has_ack()) fv.actual = value;
        MatchOutcome outcome = evaluate(*m, fv);
        check.expected = outcome.expected;
        check.actual = outcome.actual;
        ok = outcome.status == CheckStatus::pass;
        int64_t raw = field == "seq" ? s.seq_raw : s.ack_raw;
        if (!ok && (field == "seq" || field == "ack") && m->kind == MatchKind::exact &&
            m->value == raw) {
          check.hint = fmt::format(
              "{} is the absolute number on the wire; Wireshark shows the "
              "relative {}={}",
              m->value, field == "seq" ? "Seq" : "Ack", value);
          check.root_cause = root_cause::absolute_numbers;
          absolute_seen = true;
        } else {
          check.hint = fmt::format("{}: {}", segment_summary(s), describe_frame(c, s));
        }
      }
      check.status = ok ? CheckStatus::pass : CheckStatus::fail;
      if (!ok && field == "carries" && s.payload.size() < s.len) {
        // The snap length cut the frame's bytes: what it carried cannot be told.
        check.status = CheckStatus::unverifiable;
        check.hint = fmt::format(
            "the snap length cut frame {}'s payload ({} of its {} bytes "
            "captured): what it carries cannot be checked",
            s.frame, s.payload.size(), s.len);
        check.root_cause = root_cause::snap_length;
      }
      check.points = ok ? share : 0;
      if (ok) check.hint.clear();
      checks.push_back(check);
    }
  }
  if (absolute_seen)
    root_causes.push_back(
        {root_cause::absolute_numbers, "Absolute numbers quoted as relative",
         "Some claims quote the raw Seq/Ack on the wire; the lab reads Wireshark's "
         "relative numbers, which count from each side's ISN (the SYN's Seq is 0)."});
  return checks;
}

}  // namespace tcpgrade
