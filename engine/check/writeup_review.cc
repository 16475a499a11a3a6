#include "check/writeup_review.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <set>
#include <unordered_map>

#include "analysis/segment_text.h"
#include "check/capture_grader.h"
#include "check/claim_judge.h"
#include "report/frame_ranges.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

struct Located {
  const CapturedConversation* conversation = nullptr;
  const CapturedSegment* segment = nullptr;
};

using FrameIndex = std::unordered_map<uint64_t, Located>;

FrameIndex index_frames(const CaptureContents& contents) {
  FrameIndex index;
  for (const CapturedConversation& c : contents.conversations)
    for (const CapturedSegment& s : c.segments) index.emplace(s.frame, Located{&c, &s});
  return index;
}

uint16_t source_port(const CapturedConversation& c, const CapturedSegment& s) {
  return s.direction == Direction::client_to_server ? c.summary.client.port : c.summary.server.port;
}
uint16_t destination_port(const CapturedConversation& c, const CapturedSegment& s) {
  return s.direction == Direction::client_to_server ? c.summary.server.port : c.summary.client.port;
}

bool consumes_sequence(const CapturedSegment& s) {
  return s.len > 0 || (s.flags & (tcp_flag::syn | tcp_flag::fin));
}

bool is_request_line(const std::string& payload) {
  size_t space = payload.find(' ');
  size_t end = payload.find("\r\n");
  return space != std::string::npos && space > 0 && space < 8 &&
         payload.find(" HTTP/") < std::min(end, payload.size());
}

bool holds(PayloadKind kind, const CapturedSegment& s) {
  const std::string& p = s.payload;
  bool head = p.rfind("HTTP/", 0) == 0 || is_request_line(p);
  switch (kind) {
    case PayloadKind::request_line:
      return is_request_line(p);
    case PayloadKind::status_line:
      return p.rfind("HTTP/", 0) == 0;
    case PayloadKind::headers: {
      size_t first = p.find("\r\n");
      return head && first != std::string::npos && first + 2 < p.size() && p[first + 2] != '\r';
    }
    case PayloadKind::body: {
      if (s.len == 0) return false;
      if (!head) return true;
      size_t end = p.find("\r\n\r\n");
      return end != std::string::npos && end + 4 < p.size();
    }
  }
  return false;
}

// The first segment of the other side that `ack` covers completely, or nullptr.
bool acknowledges(const CapturedConversation& c, const CapturedSegment& ack,
                  const CapturedSegment& target) {
  if (!ack.has_ack() || target.direction == ack.direction || target.frame >= ack.frame ||
      !consumes_sequence(target))
    return false;
  auto covers = [&](const CapturedSegment& s) {
    return static_cast<int32_t>(s.ack - target.next_seq) >= 0;
  };
  if (!covers(ack)) return false;
  if (ack.ack == target.next_seq) return true;
  for (const CapturedSegment& s : c.segments) {  // an earlier ACK already covered it
    if (s.frame >= ack.frame) break;
    if (s.frame > target.frame && s.direction == ack.direction && s.has_ack() && covers(s))
      return false;
  }
  return true;
}

// Whether a statement about packet numbers, lengths and flags holds for a segment: what the
// offset search and the pasted-lines test compare.
bool fingerprint_matches(const WriteupStatement& st, const CapturedConversation& c,
                         const CapturedSegment& s) {
  switch (st.kind) {
    case StatementKind::seq:
      return st.value == s.seq;
    case StatementKind::ack:
      return s.has_ack() && st.value == s.ack;
    case StatementKind::len:
      return st.value == s.len;
    case StatementKind::wire_bytes:
      return st.value == s.wire_length;
    case StatementKind::ports:
      return st.value == source_port(c, s) && st.value2 == destination_port(c, s);
    case StatementKind::flags_exact:
      return st.flags == s.flags;
    default:
      return false;
  }
}

// The statements whose numbers tell one capture from another.
bool is_number(StatementKind kind) {
  switch (kind) {
    case StatementKind::seq:
    case StatementKind::ack:
    case StatementKind::len:
    case StatementKind::next_seq:
    case StatementKind::wire_bytes:
    case StatementKind::window:
    case StatementKind::ports:
    case StatementKind::tsval:
    case StatementKind::tsecr:
      return true;
    default:
      return false;
  }
}

bool is_fingerprint(StatementKind kind) {
  return kind == StatementKind::seq || kind == StatementKind::ack || kind == StatementKind::len ||
         kind == StatementKind::wire_bytes || kind == StatementKind::ports ||
         kind == StatementKind::flags_exact;
}

// The shift that makes the write-up's packet numbers fit the capture's frames, when another
// numbering (a display filter, a capture started earlier) fits clearly better than its own.
int64_t numbering_offset(const WriteupReading& reading, const FrameIndex& index, uint64_t frames) {
  std::vector<const WriteupStatement*> prints;
  for (const WriteupStatement& st : reading.statements)
    if (is_fingerprint(st.kind) && prints.size() < 5000) prints.push_back(&st);
  if (prints.size() < 3) return 0;
  int64_t reach = static_cast<int64_t>(std::min<uint64_t>(64, frames));
  auto score = [&](int64_t shift) {
    size_t n = 0;
    for (const WriteupStatement* st : prints) {
      int64_t frame = static_cast<int64_t>(st->packet) + shift;
      if (frame <= 0) continue;
      auto at = index.find(static_cast<uint64_t>(frame));
      if (at != index.end() &&
          fingerprint_matches(*st, *at->second.conversation, *at->second.segment))
        ++n;
    }
    return n;
  };
  size_t own = score(0);
  int64_t best = 0;
  size_t best_score = own;
  for (int64_t shift = -reach; shift <= reach; ++shift) {
    if (shift == 0) continue;
    size_t n = score(shift);
    if (n > best_score || (n == best_score && best != 0 && std::abs(shift) < std::abs(best))) {
      best_score = n;
      best = shift;
    }
  }
  if (best != 0 && best_score >= own + 3 && best_score * 10 >= prints.size() * 7) return best;
  return 0;
}

std::string field_name(StatementKind kind) {
  switch (kind) {
    case StatementKind::seq:
      return "seq";
    case StatementKind::ack:
      return "ack";
    case StatementKind::seq_raw:
      return "seq_raw";
    case StatementKind::ack_raw:
      return "ack_raw";
    case StatementKind::len:
      return "len";
    case StatementKind::window:
      return "window";
    case StatementKind::next_seq:
      return "next_seq";
    case StatementKind::wire_bytes:
      return "bytes";
    case StatementKind::ports:
      return "ports";
    case StatementKind::flags_exact:
    case StatementKind::flags_include:
      return "flags";
    case StatementKind::mss:
      return "mss";
    case StatementKind::ws:
      return "ws";
    case StatementKind::tsval:
      return "tsval";
    case StatementKind::tsecr:
      return "tsecr";
    case StatementKind::phase:
      return "phase";
    case StatementKind::direction:
      return "dir";
    case StatementKind::carries:
      return "carries";
    case StatementKind::payload_kind:
      return "payload";
    case StatementKind::acknowledges:
      return "acknowledges";
  }
  return "?";
}

// What a statement says, for the Expected column.
std::string stated(const WriteupStatement& st) {
  switch (st.kind) {
    case StatementKind::ports:
      return fmt::format("{} → {}", st.value, st.value2);
    case StatementKind::flags_exact:
    case StatementKind::flags_include:
      return flag_names(st.flags);
    case StatementKind::phase:
      return to_string(st.phase);
    case StatementKind::direction:
      return to_string(st.direction);
    case StatementKind::carries:
      return fmt::format("contains \"{}\"", st.text);
    case StatementKind::payload_kind:
      return to_string(st.payload);
    case StatementKind::acknowledges:
      return fmt::format("acknowledges packet {}", st.value);
    default:
      return std::to_string(st.value);
  }
}

bool claim_kind(StatementKind kind) {
  switch (kind) {
    case StatementKind::seq:
    case StatementKind::ack:
    case StatementKind::seq_raw:
    case StatementKind::ack_raw:
    case StatementKind::len:
    case StatementKind::window:
    case StatementKind::flags_exact:
    case StatementKind::flags_include:
    case StatementKind::phase:
    case StatementKind::direction:
    case StatementKind::carries:
      return true;
    default:
      return false;
  }
}

Matcher exact(int64_t value) {
  Matcher m;
  m.kind = MatchKind::exact;
  m.value = value;
  return m;
}

Claim to_claim(const WriteupStatement& st, const std::string& id, uint64_t frame) {
  Claim claim;
  claim.id = id;
  claim.frame = frame;
  claim.source = fmt::format("Packet {}: {}", st.packet, st.source);
  switch (st.kind) {
    case StatementKind::seq:
      claim.seq = exact(st.value);
      break;
    case StatementKind::ack:
      claim.ack = exact(st.value);
      break;
    case StatementKind::seq_raw:
      claim.seq_raw = exact(st.value);
      break;
    case StatementKind::ack_raw:
      claim.ack_raw = exact(st.value);
      break;
    case StatementKind::len:
      claim.len = exact(st.value);
      break;
    case StatementKind::window:
      claim.window = exact(st.value);
      break;
    case StatementKind::flags_exact:
      claim.flags.kind = FlagsMatchKind::exact;
      claim.flags.flags = st.flags;
      break;
    case StatementKind::flags_include:
      claim.flags.kind = FlagsMatchKind::includes;
      claim.flags.flags = st.flags;
      break;
    case StatementKind::phase:
      claim.phase = st.phase;
      break;
    case StatementKind::direction:
      claim.direction = st.direction;
      break;
    case StatementKind::carries:
      claim.carries.kind = TextMatchKind::contains;
      claim.carries.text = st.text;
      break;
    default:
      break;
  }
  return claim;
}

std::string frame_words(const CapturedSegment& s) {
  return fmt::format("frame {} is {} from the {}, in {}", s.frame, segment_kind(s),
                     s.direction == Direction::client_to_server ? "client" : "server",
                     phase_words(s.phase));
}

// The checks claims do not cover, judged here.
CheckResult judge_own(const WriteupStatement& st, const std::string& id, uint64_t frame,
                      const FrameIndex& index, int64_t offset) {
  CheckResult check;
  check.id = "review." + id;
  check.name = fmt::format("write-up, packet {}: {}", st.packet, field_name(st.kind));
  check.frame = frame;
  check.expected_id = id;
  check.field = field_name(st.kind);
  check.max_points = 1;
  check.teaches = fmt::format("Packet {}: {}", st.packet, st.source);
  check.expected = stated(st);
  auto at = index.find(frame);
  if (at == index.end()) {
    check.status = CheckStatus::fail;
    check.actual = fmt::format("no TCP frame {}", frame);
    check.hint =
        fmt::format("the write-up names frame {}, which this capture does not hold as TCP", frame);
    return check;
  }
  const CapturedConversation& c = *at->second.conversation;
  const CapturedSegment& s = *at->second.segment;
  bool ok = false;
  bool unverifiable = false;
  switch (st.kind) {
    case StatementKind::ack:
      // Only reached for a frame without the ACK flag (a SYN): Wireshark still shows its
      // Acknowledgment field, 0 on every stack, and a student who quotes it is right.
      check.actual = fmt::format("{} (no ACK flag: the field is not in use)", s.ack_raw);
      ok = st.value == s.ack_raw;
      if (!ok)
        check.hint = fmt::format(
            "frame {} has no ACK flag: it acknowledges nothing, and its Acknowledgment field "
            "holds {}",
            s.frame, s.ack_raw);
      break;
    case StatementKind::next_seq:
      check.actual = std::to_string(s.next_seq);
      ok = st.value == s.next_seq;
      if (!ok)
        check.hint =
            fmt::format("Next Seq is Seq + Len (+1 for a SYN or FIN): {} + {}{} = {}", s.seq, s.len,
                        (s.flags & (tcp_flag::syn | tcp_flag::fin)) ? " + 1" : "", s.next_seq);
      break;
    case StatementKind::wire_bytes:
      check.actual = fmt::format("{} bytes", s.wire_length);
      ok = st.value == s.wire_length;
      if (!ok) check.hint = fmt::format("frame {} is {} bytes on the wire", s.frame, s.wire_length);
      break;
    case StatementKind::ports:
      check.actual = fmt::format("{} → {}", source_port(c, s), destination_port(c, s));
      ok = fingerprint_matches(st, c, s);
      if (!ok) check.hint = segment_summary(s) + ": " + frame_words(s);
      break;
    case StatementKind::mss:
    case StatementKind::ws:
    case StatementKind::tsval:
    case StatementKind::tsecr: {
      std::optional<int64_t> value;
      if (st.kind == StatementKind::mss && s.options.mss) value = *s.options.mss;
      if (st.kind == StatementKind::ws && s.options.window_scale)
        value = int64_t{1} << std::min<int>(*s.options.window_scale, 14);
      if (st.kind == StatementKind::tsval && s.options.tsval) value = *s.options.tsval;
      if (st.kind == StatementKind::tsecr && s.options.tsecr) value = *s.options.tsecr;
      check.actual = value ? std::to_string(*value) : "absent";
      ok = value && *value == st.value;
      unverifiable = !ok && !s.options_complete;
      if (!ok)
        check.hint =
            value ? fmt::format("frame {} carries {}={}", s.frame, field_name(st.kind), *value)
                  : fmt::format("frame {} carries no such option", s.frame);
      break;
    }
    case StatementKind::payload_kind:
      check.actual = fmt::format("\"{}\" ({} bytes)", printable(s.payload, 60), s.len);
      ok = holds(st.payload, s);
      unverifiable = !ok && s.payload.size() < s.len;
      if (!ok) {
        check.hint = fmt::format("frame {} does not carry {}", s.frame, to_string(st.payload));
        for (const CapturedSegment& other : c.segments)
          if (&other != &s && other.len && holds(st.payload, other)) {
            check.hint += fmt::format(": {} is in frame {}'s {} bytes", to_string(st.payload),
                                      other.frame, other.len);
            break;
          }
      }
      break;
    case StatementKind::acknowledges: {
      int64_t target_frame = st.value + offset;
      auto target =
          target_frame > 0 ? index.find(static_cast<uint64_t>(target_frame)) : index.end();
      check.actual = fmt::format("Ack={}", s.ack);
      ok = target != index.end() && target->second.conversation == &c &&
           acknowledges(c, s, *target->second.segment);
      if (!ok) {
        check.hint = frame_words(s);
        if (target != index.end() && target->second.conversation == &c &&
            consumes_sequence(*target->second.segment))
          check.hint += fmt::format(
              "; frame {} ends at Seq {}: an ACK of it says Ack={}, from the {}", target_frame,
              target->second.segment->next_seq, target->second.segment->next_seq,
              target->second.segment->direction == Direction::client_to_server ? "server"
                                                                               : "client");
        else if (target != index.end())
          check.hint += fmt::format("; frame {} is {}: nothing in it is acknowledged", target_frame,
                                    segment_kind(*target->second.segment));
      }
      break;
    }
    default:
      break;
  }
  check.status = ok             ? CheckStatus::pass
                 : unverifiable ? CheckStatus::unverifiable
                                : CheckStatus::fail;
  check.points = ok ? 1 : 0;
  if (ok) check.hint.clear();
  return check;
}

// Why a direction is wrong, in the frame's own terms: who sent it (ports), and for a FIN, who
// sent the other FIN, the usual swap being the two FINs of the teardown.
std::string sender_hint(const CapturedConversation& c, const CapturedSegment& s) {
  const char* from = s.direction == Direction::client_to_server ? "client" : "server";
  std::string hint = fmt::format("frame {} ({} → {}) is {} from the {}", s.frame, source_port(c, s),
                                 destination_port(c, s), segment_kind(s), from);
  if (!(s.flags & tcp_flag::fin)) return hint + ", in " + phase_words(s.phase);
  const CapturedSegment* first_fin = nullptr;
  const CapturedSegment* other_fin = nullptr;
  for (const CapturedSegment& o : c.segments) {
    if (!(o.flags & tcp_flag::fin)) continue;
    if (!first_fin) first_fin = &o;
    if (!other_fin && o.direction != s.direction) other_fin = &o;
  }
  hint += first_fin == &s ? fmt::format(": the {} closes first", from)
                          : fmt::format(": the {} closes second", from);
  if (other_fin)
    hint += fmt::format("; the {}'s FIN is frame {}",
                        other_fin->direction == Direction::client_to_server ? "client" : "server",
                        other_fin->frame);
  return hint;
}

// "Seq=218 belongs to frame 11 (...)": the frame of this connection a misplaced number belongs to
// (one of the same kind, else the nearest), when it is not the frame the statement is about.
std::string belongs_to(const CapturedConversation& c, const CapturedSegment& s, bool is_seq,
                       int64_t value) {
  const CapturedSegment* best = nullptr;
  for (const CapturedSegment& o : c.segments) {
    if (&o == &s || (!is_seq && !o.has_ack())) continue;
    if ((is_seq ? o.seq : o.ack) != value) continue;
    // The same kind of segment first (the other FIN for a FIN), then the nearest.
    auto distance = [&](const CapturedSegment& x) {
      uint64_t apart = x.frame > s.frame ? x.frame - s.frame : s.frame - x.frame;
      return std::make_pair(x.flags != s.flags, apart);
    };
    if (!best || distance(o) < distance(*best)) best = &o;
  }
  if (!best) return "";
  return fmt::format("; {}={} belongs to {}", is_seq ? "Seq" : "Ack", value,
                     segment_summary(*best));
}

// A quoted port pair or timestamp that no frame of this capture has: the line was not taken
// from it.
std::string foreign_value(const WriteupStatement& st,
                          const std::set<std::pair<int64_t, int64_t>>& port_pairs,
                          const std::set<int64_t>& timestamps) {
  if (st.kind == StatementKind::ports && !port_pairs.count({st.value, st.value2}))
    return fmt::format("ports {} → {}", st.value, st.value2);
  if ((st.kind == StatementKind::tsval || st.kind == StatementKind::tsecr) && st.value != 0 &&
      !timestamps.count(st.value))
    return fmt::format("{}={}", st.kind == StatementKind::tsval ? "TSval" : "TSecr", st.value);
  return "";
}

// A lab's connection is read frame by frame; a longer one (a bulk transfer) is not, and its
// write-up is not asked to describe every frame.
constexpr size_t max_covered_frames = 64;

// One finding for every frame the write-up leaves out, worth a point per frame of the
// connection: a thin write-up cannot score full marks on the few statements it makes.
CheckResult coverage_check(const std::vector<uint64_t>& frames,
                           const std::vector<uint64_t>& undescribed) {
  CheckResult check;
  check.id = "review.coverage";
  check.name = "write-up: every packet of the connection";
  check.field = "coverage";
  check.max_points = static_cast<double>(frames.size());
  check.points = static_cast<double>(frames.size() - undescribed.size());
  check.status = undescribed.empty() ? CheckStatus::pass : CheckStatus::fail;
  // As for every review check: Expected is what the write-up holds, Capture what is there.
  std::vector<uint64_t> described;
  std::set_difference(frames.begin(), frames.end(), undescribed.begin(), undescribed.end(),
                      std::back_inserter(described));
  check.expected = described.empty()
                       ? "no section on any frame of the connection"
                       : fmt::format("sections on frame{} {}", described.size() == 1 ? "" : "s",
                                     frame_ranges(described));
  check.actual = fmt::format("the connection's frame{} {}", frames.size() == 1 ? "" : "s",
                             frame_ranges(frames));
  if (!undescribed.empty())
    check.hint = fmt::format(
        "the write-up describes {} of the connection's {} frames; the lab reads every one: add a "
        "section (\"Packet N\") for frame{} {}",
        frames.size() - undescribed.size(), frames.size(), undescribed.size() == 1 ? "" : "s",
        frame_ranges(undescribed));
  return check;
}

std::string shorten(const std::string& text, size_t limit) {
  return text.size() <= limit ? text : text.substr(0, limit) + "…";
}

}  // namespace

Report review_writeup(const std::string& text, const std::string& writeup_name,
                      CaptureContents contents, const Scenario* scenario,
                      const WriteupLimits& limits) {
  WriteupReading reading;
  try {
    reading = read_writeup(text, limits);
  } catch (const WriteupError& error) {
    throw WriteupError(fmt::format("{}: {}", writeup_name, error.what()));
  }
  FrameIndex index = index_frames(contents);
  int64_t offset = numbering_offset(reading, index, contents.frames);

  std::set<std::pair<int64_t, int64_t>> port_pairs;
  std::set<int64_t> timestamps;
  for (const CapturedConversation& c : contents.conversations)
    for (const CapturedSegment& s : c.segments) {
      port_pairs.insert({source_port(c, s), destination_port(c, s)});
      if (s.options.tsval) timestamps.insert(*s.options.tsval);
      if (s.options.tsecr) timestamps.insert(*s.options.tsecr);
    }
  std::set<size_t> foreign_lines;
  std::vector<std::string> foreign_examples;
  std::set<uint64_t> foreign_packets;
  for (const WriteupStatement& st : reading.statements) {
    std::string value = foreign_value(st, port_pairs, timestamps);
    if (value.empty()) continue;
    foreign_lines.insert(st.line);
    foreign_packets.insert(st.packet);
    if (foreign_examples.size() < 4 && std::find(foreign_examples.begin(), foreign_examples.end(),
                                                 value) == foreign_examples.end())
      foreign_examples.push_back(value);
  }

  // Claims and own checks, one per statement; the same statement twice in a packet is one.
  Scenario review;
  review.name = "review";
  review.title = "Review of " + writeup_name;
  if (scenario) {
    review.conversation = scenario->conversation;
    review.visibility = scenario->visibility;
  }
  std::map<std::string, size_t> used_ids;
  std::set<std::string> seen;
  std::map<std::string, const WriteupStatement*> by_id;
  std::vector<CheckResult> own;
  std::map<std::string, std::string> sender_hints, misplaced_numbers;
  for (const WriteupStatement& st : reading.statements) {
    std::string key = fmt::format("{}|{}|{}", st.packet, field_name(st.kind), stated(st));
    if (!seen.insert(key).second) continue;
    std::string id = fmt::format("packet{}.{}", st.packet, field_name(st.kind));
    size_t n = ++used_ids[id];
    if (n > 1) id += fmt::format(".{}", n);
    by_id[id] = &st;
    int64_t frame = static_cast<int64_t>(st.packet) + offset;
    uint64_t at = frame > 0 ? static_cast<uint64_t>(frame) : 0;
    auto located = index.find(at);
    bool ack_without_flag = st.kind == StatementKind::ack && located != index.end() &&
                            !located->second.segment->has_ack();
    // Hints the claim judge cannot give, made now: the capture moves into check_capture.
    if (located != index.end()) {
      const CapturedConversation& c = *located->second.conversation;
      const CapturedSegment& s = *located->second.segment;
      if (st.kind == StatementKind::direction) sender_hints[id] = sender_hint(c, s);
      if (st.kind == StatementKind::seq || st.kind == StatementKind::ack)
        misplaced_numbers[id] = belongs_to(c, s, st.kind == StatementKind::seq, st.value);
    }
    if (claim_kind(st.kind) && !ack_without_flag)
      review.claims.push_back(to_claim(st, id, at));
    else
      own.push_back(judge_own(st, id, at, index, offset));
  }

  // A write-up that reads one connection of several is about that one: the report shows it,
  // not the capture's first, and raises no "several connections" cause against the student.
  std::set<uint32_t> described;
  for (const WriteupStatement& st : reading.statements) {
    int64_t frame = static_cast<int64_t>(st.packet) + offset;
    auto at = frame > 0 ? index.find(static_cast<uint64_t>(frame)) : index.end();
    if (at != index.end()) described.insert(at->second.conversation->summary.stream);
  }
  std::string focus;
  if (contents.conversations.size() > 1 && described.size() == 1) {
    uint32_t stream = *described.begin();
    size_t others = contents.conversations.size() - 1;
    std::erase_if(contents.conversations,
                  [&](const CapturedConversation& c) { return c.summary.stream != stream; });
    focus = fmt::format(
        "write-up: it reads connection stream {}; the capture's {} other connection{} {} not "
        "described",
        stream, others, others == 1 ? "" : "s", others == 1 ? "is" : "are");
  }
  // The frames of the connection(s) read that have no section: a write-up that stops after the
  // handshake is not a reading of the capture, however right its three packets are.
  std::set<uint64_t> sections;
  for (uint64_t packet : reading.packets)
    if (static_cast<int64_t>(packet) + offset > 0)
      sections.insert(static_cast<uint64_t>(static_cast<int64_t>(packet) + offset));
  std::vector<uint64_t> connection_frames, undescribed;
  for (const CapturedConversation& c : contents.conversations) {
    if (!described.count(c.summary.stream)) continue;
    for (const CapturedSegment& s : c.segments) {
      connection_frames.push_back(s.frame);
      if (!sections.count(s.frame)) undescribed.push_back(s.frame);
    }
  }
  std::sort(connection_frames.begin(), connection_frames.end());
  std::sort(undescribed.begin(), undescribed.end());
  index.clear();  // its pointers go stale from here

  Report report = check_capture(review, std::move(contents));
  report.command = "review";
  report.scenario_file = writeup_name;
  std::vector<CheckResult> checks;
  std::vector<const WriteupStatement*> statement_of;  // beside `checks`
  for (CheckResult& check : report.claims) {
    std::string id = check.id.rfind("claim.", 0) == 0 ? check.id.substr(6) : check.id;
    const WriteupStatement* st = by_id.count(id) ? by_id[id] : nullptr;
    check.id = "review." + id;
    if (st) check.name = fmt::format("write-up, packet {}: {}", st->packet, check.field);
    if (st && check.status == CheckStatus::fail) {
      if (auto hint = sender_hints.find(id); hint != sender_hints.end()) check.hint = hint->second;
      auto misplaced = misplaced_numbers.find(id);
      if (misplaced != misplaced_numbers.end() && check.root_cause.empty())
        check.hint += misplaced->second;
    }
    checks.push_back(std::move(check));
    statement_of.push_back(st);
  }
  for (CheckResult& check : own) {
    statement_of.push_back(by_id[check.expected_id]);
    checks.push_back(std::move(check));
  }
  // Statements on pasted lines that do not fit are folded into one finding. When most numbers
  // of the rest do not fit either, the whole write-up reads another capture (a classmate's):
  // all its misfits are that one finding, not one per packet.
  size_t numbers = 0, misfits = 0;
  for (size_t i = 0; i < checks.size(); ++i) {
    const WriteupStatement* st = statement_of[i];
    if (!st || foreign_lines.count(st->line) || !is_number(st->kind)) continue;
    ++numbers;
    misfits += checks[i].status == CheckStatus::fail;
  }
  bool another_capture = !foreign_lines.empty() && numbers >= 4 && misfits * 2 > numbers;
  std::vector<std::string> folded;
  {
    std::vector<CheckResult> kept;
    for (size_t i = 0; i < checks.size(); ++i) {
      const WriteupStatement* st = statement_of[i];
      bool fold = st && checks[i].status == CheckStatus::fail &&
                  (another_capture || foreign_lines.count(st->line));
      if (fold)
        folded.push_back(checks[i].name);
      else
        kept.push_back(std::move(checks[i]));
    }
    checks = std::move(kept);
  }
  // In the write-up's order: by frame, then by the line the statement is on.
  auto line_of = [&](const CheckResult& check) {
    auto it = by_id.find(check.expected_id);
    return it == by_id.end() ? size_t{0} : it->second->line;
  };
  std::stable_sort(checks.begin(), checks.end(), [&](const CheckResult& a, const CheckResult& b) {
    if (a.frame != b.frame) return a.frame < b.frame;
    return line_of(a) < line_of(b);
  });
  if (!connection_frames.empty() && connection_frames.size() <= max_covered_frames)
    checks.push_back(coverage_check(connection_frames, undescribed));
  std::string coverage_note;
  if (!connection_frames.empty() && connection_frames.size() > max_covered_frames)
    coverage_note = (fmt::format(
        "write-up: not checked whether every packet is described: the connection has {} frames, "
        "more than a frame-by-frame reading covers ({})",
        connection_frames.size(), max_covered_frames));
  if (offset != 0) {
    CheckResult check;
    check.id = "review.numbering";
    check.name = "write-up: packet numbers";
    check.field = "numbering";
    check.status = CheckStatus::fail;
    check.max_points = 1;
    check.expected = "packet N is frame N";
    check.actual =
        fmt::format("packet N is frame N{}{}", offset > 0 ? " + " : " - ", std::abs(offset));
    check.hint = fmt::format(
        "the write-up's packet numbers are {} {} the capture's frame numbers (its packet {} is "
        "frame {}): they come from another numbering, a display filter or another capture; "
        "the statements were checked against the frames they describe",
        std::abs(offset), offset > 0 ? "below" : "above", reading.packets.front(),
        static_cast<int64_t>(reading.packets.front()) + offset);
    check.root_cause = writeup_cause::numbering_offset;
    checks.insert(checks.begin(), check);
    report.root_causes.push_back(
        {writeup_cause::numbering_offset, "Packets numbered with an offset",
         fmt::format("The write-up numbers the packets {} {} Wireshark's frame numbers of this "
                     "capture. Number them as the capture does (the No. column with no display "
                     "filter).",
                     std::abs(offset), offset > 0 ? "below" : "above")});
  }
  if (!foreign_lines.empty()) {
    std::string packets;
    for (uint64_t p : foreign_packets) {
      if (packets.size() > 60) {
        packets += ", …";
        break;
      }
      packets += (packets.empty() ? "" : ", ") + std::to_string(p);
    }
    std::string examples;
    for (const std::string& e : foreign_examples) examples += (examples.empty() ? "" : ", ") + e;
    CheckResult check;
    check.id = "review.pasted-lines";
    check.name = "write-up: quoted lines come from this capture";
    check.field = "pasted";
    check.status = CheckStatus::fail;
    check.max_points = 1;
    check.expected = "the ports and timestamps of this capture's frames";
    check.actual = fmt::format("{} (packets {}) match no frame of this capture", examples, packets);
    check.hint =
        another_capture
            ? fmt::format(
                  "the quoted lines of packets {} were pasted from another capture, and most "
                  "numbers of the write-up do not fit this one either: it reads another "
                  "capture; its {} statement{} that do not fit this capture are counted here once",
                  packets, folded.size(), folded.size() == 1 ? "" : "s")
            : fmt::format(
                  "the quoted lines of packets {} were pasted from another capture; {} "
                  "statement{} on those lines that do not fit this capture are counted here once",
                  packets, folded.size(), folded.size() == 1 ? "" : "s");
    check.root_cause = writeup_cause::pasted_lines;
    checks.insert(checks.begin(), check);
    report.root_causes.push_back(
        {writeup_cause::pasted_lines, "Lines pasted from another capture",
         fmt::format("Quoted lines hold {} that no frame of this capture has: they were copied "
                     "from another capture (a classmate's, the lab document's). Quote your own "
                     "capture's frames.",
                     examples)});
  }
  report.claims = std::move(checks);
  report.points = report.max_points = 0;
  for (const CheckResult* check : report.all_checks()) {
    report.points += check->points;
    report.max_points += check->max_points;
  }
  report.points = std::round(report.points * 1e6) / 1e6;
  report.max_points = std::round(report.max_points * 1e6) / 1e6;

  size_t found = reading.lines_with_statements + reading.unchecked.size();
  report.notes.push_back(fmt::format(
      "write-up: {} packet section{}, {} statement{} found: {} checked ({} checks), {} not "
      "checked",
      reading.packets.size(), reading.packets.size() == 1 ? "" : "s", found, found == 1 ? "" : "s",
      reading.lines_with_statements, report.claims.size(), reading.unchecked.size()));
  if (!focus.empty()) report.notes.push_back(focus);
  if (!coverage_note.empty()) report.notes.push_back(coverage_note);
  size_t listed = 0;
  for (const UncheckedLine& line : reading.unchecked) {
    if (listed++ == 20) {
      report.notes.push_back(
          fmt::format("not checked: {} more lines", reading.unchecked.size() - 20));
      break;
    }
    report.notes.push_back(fmt::format("not checked: packet {} (line {}): {}", line.packet,
                                       line.line, shorten(line.source, 120)));
  }
  return report;
}

}  // namespace tcpgrade
