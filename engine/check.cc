#include "check.h"

#include <cmath>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include <map>
#include <set>
#include <unordered_set>

#include "capture_reader.h"
#include "claim_judge.h"
#include "frame_alignment.h"
#include "matcher_eval.h"
#include "root_causes.h"
#include "segment_text.h"

namespace tcpgrade {
namespace {

// ---- Choosing the conversation -------------------------------------------------------------

bool family_matches(const ConversationSelector& selector, const CapturedConversation& c) {
  return selector.family == 0 || c.summary.client.address.family == selector.family;
}

// Conversations the scenario grades, turned so that the scenario's server port is the server.
std::vector<CapturedConversation*> select_conversations(const Scenario& scenario,
                                                        CaptureContents& contents) {
  std::vector<CapturedConversation*> chosen;
  for (CapturedConversation& c : contents.conversations)
    if (select_conversation(scenario, c)) chosen.push_back(&c);
  return chosen;
}

// ---- Judging one expected frame against one captured segment -----------------------------

struct Judged {
  std::string field;
  MatchOutcome outcome;
  std::string hint;
  int weight = 1;
};

struct Relations {
  std::optional<uint32_t> isn[2];  // raw ISN per direction, from the SYNs
  std::map<std::string, const CapturedSegment*> matched;  // expected id → its segment
};

// A segment's numeric fields, named once: the alignment reads them for every pairing.
enum class Field : uint8_t { seq, ack, len, window, window_scaled, seq_raw, ack_raw, next_seq, none };

Field field_named(const std::string& field) {
  if (field == "seq") return Field::seq;
  if (field == "ack") return Field::ack;
  if (field == "len") return Field::len;
  if (field == "window") return Field::window;
  if (field == "window_scaled") return Field::window_scaled;
  if (field == "seq_raw") return Field::seq_raw;
  if (field == "ack_raw") return Field::ack_raw;
  if (field == "next_seq") return Field::next_seq;
  return Field::none;
}

std::optional<int64_t> field_of(const CapturedSegment& s, Field field) {
  switch (field) {
    case Field::seq: return s.seq;
    case Field::ack: return s.has_ack() ? std::optional<int64_t>(s.ack) : std::nullopt;
    case Field::len: return s.len;
    case Field::window: return s.window;
    case Field::window_scaled: return s.window_scaled;
    case Field::seq_raw: return s.seq_raw;
    case Field::ack_raw: return s.has_ack() ? std::optional<int64_t>(s.ack_raw) : std::nullopt;
    case Field::next_seq: return s.next_seq;
    case Field::none: break;
  }
  return std::nullopt;
}

std::optional<int64_t> field_of(const CapturedSegment& s, const std::string& field) {
  return field_of(s, field_named(field));
}

std::optional<int64_t> relation_for(const Matcher& m, Field field, const CapturedSegment& s,
                                    const Relations& r) {
  int side = static_cast<int>(s.direction);
  switch (m.kind) {
    case MatchKind::next:
      if (field == Field::ack || field == Field::ack_raw)
        return s.peer_next_before ? std::optional<int64_t>(*s.peer_next_before) : std::nullopt;
      return s.side_next_before.value_or(0);
    case MatchKind::isn_plus: {
      const std::optional<uint32_t>& isn = field == Field::ack_raw ? r.isn[1 - side] : r.isn[side];
      if (!isn) return std::nullopt;
      return static_cast<int64_t>(static_cast<uint32_t>(*isn + m.value));
    }
    case MatchKind::same_as: {
      auto it = r.matched.find(m.reference_frame);
      if (it == r.matched.end() || !it->second) return std::nullopt;
      return field_of(*it->second, m.reference_field);
    }
    default:
      return std::nullopt;
  }
}

std::string number_hint(const std::string& field, const Matcher& m, const CapturedSegment& s,
                        const MatchOutcome& outcome) {
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
    return fmt::format("{} is {} where the scenario expects {} (relative numbers, as Wireshark "
                       "shows them)",
                       field == "seq" ? "Seq" : "Ack", outcome.actual, outcome.expected);
  (void)s;
  return fmt::format("{} is {}, expected {}", field, outcome.actual, outcome.expected);
}

std::string flags_hint(uint16_t expected, uint16_t actual) {
  if ((actual & tcp_flag::rst) && (expected & tcp_flag::fin))
    return "the connection was reset (RST) instead of closed with FIN";
  if ((actual & tcp_flag::rst) && (expected & tcp_flag::syn))
    return "the SYN was answered with RST: connection refused, nothing listening on the port";
  if ((expected & tcp_flag::psh) && !(actual & tcp_flag::psh) && (actual & ~tcp_flag::psh) == (expected & ~tcp_flag::psh))
    return "only PSH differs: the sender's stack did not ask to push this segment";
  return fmt::format("the frame is [{}], the scenario expects [{}]", flag_names(actual),
                     flag_names(expected));
}

std::string option_kind_names(const std::vector<uint8_t>& kinds) {
  std::string out;
  for (uint8_t kind : kinds) {
    if (!out.empty()) out += ", ";
    switch (kind) {
      case tcp_option::eol: out += "EOL"; break;
      case tcp_option::nop: out += "NOP"; break;
      case tcp_option::mss: out += "MSS"; break;
      case tcp_option::window_scale: out += "WS"; break;
      case tcp_option::sack_permitted: out += "SACK_PERM"; break;
      case tcp_option::sack: out += "SACK"; break;
      case tcp_option::timestamps: out += "TS"; break;
      case tcp_option::fast_open: out += "TFO"; break;
      case tcp_option::mptcp: out += "MPTCP"; break;
      default: out += fmt::format("kind {}", kind);
    }
  }
  return "[" + out + "]";
}

Judged judged_number(const std::string& field, const Matcher& m, const CapturedSegment& s,
                     const FieldValue& value) {
  MatchOutcome outcome = evaluate(m, value);
  std::string hint;
  if (outcome.status == CheckStatus::fail)
    hint = number_hint(field, m, s, outcome);
  else if (outcome.status == CheckStatus::unverifiable && m.kind == MatchKind::next)
    hint = field == "ack" || field == "ack_raw"
               ? "nothing the peer sent before this frame is in the capture, so what its Ack "
                 "should cover is unknown"
               : "nothing this side sent before this frame is in the capture, so where its Seq "
                 "should continue is unknown";
  return {field, outcome, hint, 1};
}

Judged judged_option(const std::string& field, const Matcher& m, const CapturedSegment& s,
                     const FieldValue& value) {
  MatchOutcome outcome = evaluate(m, value);
  std::string hint;
  if (outcome.status == CheckStatus::unverifiable)
    hint = fmt::format("the snap length cut this frame's TCP options (captured {} of {} bytes)",
                       s.captured_length, s.wire_length);
  else if (outcome.status == CheckStatus::fail)
    hint = fmt::format("option {} is {}, expected {}", field, outcome.actual, outcome.expected);
  return {"options." + field, outcome, hint, 1};
}

// The checks of one expected frame against one segment, in report order, each told to `sink`:
// sink.add(status, weight, texts), where texts() makes the check's Judged (its expected and
// actual values and the hint) for a sink that keeps them; sink.enough() tells the walk it may
// stop (the alignment's cap reached). Returns false when it stopped before the end. One walk
// serves both the report (judge_frame) and the alignment and scores (tally_frame), so that the
// two always count the same checks.
template <typename Sink>
bool walk_frame(const ExpectedFrame& e, const CapturedSegment& s, const Relations& r, Sink& sink) {
  auto status = [](bool ok) { return ok ? CheckStatus::pass : CheckStatus::fail; };
  if (e.direction) {
    CheckStatus st = status(*e.direction == s.direction);
    sink.add(st, 3, [&] {
      return Judged{"dir", {st, to_string(*e.direction), to_string(s.direction)},
                    st == CheckStatus::fail ? "the frame goes the other way: check which side sent it" : "", 3};
    });
  }
  if (e.flags.kind != FlagsMatchKind::any) {
    bool ok = e.flags.kind == FlagsMatchKind::exact
                  ? s.flags == e.flags.flags
                  : (s.flags & e.flags.flags) == e.flags.flags && !(s.flags & e.flags.excluded);
    sink.add(status(ok), 3, [&] {
      std::string expected = e.flags.kind == FlagsMatchKind::exact
                                 ? fmt::format("[{}]", flag_names(e.flags.flags))
                                 : fmt::format("includes [{}]", flag_names(e.flags.flags));
      if (e.flags.excluded) expected += fmt::format(", not [{}]", flag_names(e.flags.excluded));
      return Judged{"flags", {status(ok), expected, fmt::format("[{}]", flag_names(s.flags))},
                    ok ? "" : flags_hint(e.flags.flags, s.flags), 3};
    });
  }
  if (e.phase) {
    bool ok = *e.phase == s.phase;
    sink.add(status(ok), 1, [&] {
      return Judged{"phase", {status(ok), to_string(*e.phase), to_string(s.phase)},
                    ok ? "" : fmt::format("the frame is {}, in {}", segment_kind(s), phase_words(s.phase)), 1};
    });
  }
  if (sink.enough()) return false;
  auto number = [&](Field field, const char* name, const Matcher& m) {
    if (!m.constrains()) return;
    FieldValue value;
    value.actual = field_of(s, field);
    value.relation = relation_for(m, field, s, r);
    sink.add(evaluate_status(m, value), 1, [&] { return judged_number(name, m, s, value); });
  };
  number(Field::seq, "seq", e.seq);
  number(Field::ack, "ack", e.ack);
  number(Field::len, "len", e.len);
  number(Field::window, "window", e.window);
  number(Field::window_scaled, "window_scaled", e.window_scaled);
  number(Field::seq_raw, "seq_raw", e.seq_raw);
  number(Field::ack_raw, "ack_raw", e.ack_raw);
  if (sink.enough()) return false;
  const TcpOptions& o = s.options;
  auto option = [&](const char* name, const Matcher& m, std::optional<int64_t> actual) {
    if (!m.constrains()) return;
    FieldValue value;
    value.actual = actual;
    value.unreadable = !s.options_complete && !actual;
    sink.add(evaluate_status(m, value), 1, [&] { return judged_option(name, m, s, value); });
  };
  auto opt = [](const auto& v) { return v ? std::optional<int64_t>(*v) : std::nullopt; };
  option("mss", e.options.mss, opt(o.mss));
  option("ws", e.options.ws, opt(o.window_scale));
  option("sack_perm", e.options.sack_perm, o.sack_permitted ? std::optional<int64_t>(1) : std::nullopt);
  option("ts", e.options.ts, o.tsval ? std::optional<int64_t>(1) : std::nullopt);
  option("tsval", e.options.tsval, opt(o.tsval));
  option("tsecr", e.options.tsecr, opt(o.tsecr));
  option("sack", e.options.sack_blocks, o.sack_count ? std::optional<int64_t>(o.sack_count) : std::nullopt);
  if (e.options.order_given) {
    std::vector<uint8_t> actual;
    for (uint8_t i = 0; i < o.entry_count; ++i)
      if (!e.options.order_set || (o.entries[i].kind != tcp_option::nop && o.entries[i].kind != tcp_option::eol))
        actual.push_back(o.entries[i].kind);
    std::vector<uint8_t> expected = e.options.order;
    if (e.options.order_set) {
      std::sort(actual.begin(), actual.end());
      std::sort(expected.begin(), expected.end());
    }
    CheckStatus st = !s.options_complete ? CheckStatus::unverifiable : status(actual == expected);
    sink.add(st, 1, [&] {
      return Judged{"options.order", {st, option_kind_names(e.options.order), option_kind_names(actual)},
                    st == CheckStatus::pass ? "" : "the options differ from the ones the scenario lists", 1};
    });
  }
  if (e.payload.kind != TextMatchKind::none) {
    bool cut = s.payload.size() < s.len;
    bool ok = text_matches(e.payload, s.payload);
    CheckStatus st = ok ? CheckStatus::pass : cut ? CheckStatus::unverifiable : CheckStatus::fail;
    sink.add(st, 1, [&] {
      return Judged{"payload", {st, describe(e.payload), fmt::format("\"{}\"", printable(s.payload))},
                    ok ? "" : (cut ? "the snap length cut this frame's payload" : "the payload differs"), 1};
    });
  }
  return true;
}

// Every check of the frame, with its texts: for the report.
struct FrameJudgement {
  std::vector<Judged> judged;
  template <typename Texts>
  void add(CheckStatus, int, Texts&& texts) { judged.push_back(texts()); }
  bool enough() const { return false; }
};

std::vector<Judged> judge_frame(const ExpectedFrame& e, const CapturedSegment& s, const Relations& r) {
  FrameJudgement judgement;
  walk_frame(e, s, r, judgement);
  return std::move(judgement.judged);
}

// The same checks counted without their texts: how many, how many pass, and the failures
// weighted (the alignment's cost of pairing the two). The alignment weighs every pairing of an
// expected frame with a captured one, and every reading is scored before the best one is judged
// in full.
struct FrameTally {
  int judged = 0, passed = 0, cost = 0;
  bool known = false;  // complete, not stopped at the cap (PairMemo)
  int stop_at = std::numeric_limits<int>::max();
  bool all_passed() const { return passed == judged; }
  template <typename Texts>
  void add(CheckStatus status, int weight, Texts&&) {
    ++judged;
    passed += status == CheckStatus::pass;
    cost += status == CheckStatus::fail ? weight : 0;
  }
  bool enough() const { return cost >= stop_at; }
};

// With `stop_at`, the tally may stop (incomplete) once its cost reaches it: the alignment only
// needs to know that a pairing costs that much.
FrameTally tally_frame(const ExpectedFrame& e, const CapturedSegment& s, const Relations& r,
                       int stop_at = std::numeric_limits<int>::max()) {
  FrameTally t;
  t.stop_at = stop_at;
  t.known = walk_frame(e, s, r, t);
  return t;
}

// Whether one of the frame's numbers is the same as another frame's (same_as).
bool refers_to_frames(const ExpectedFrame& e) {
  for (const Matcher* m : {&e.seq, &e.ack, &e.len, &e.window, &e.window_scaled, &e.seq_raw, &e.ack_raw})
    if (m->kind == MatchKind::same_as) return true;
  return false;
}

// Why an expected frame is missing, from what surrounds its place in the alignment: a look-alike
// elsewhere means the frames are out of order; frames after it mean it was not captured; none
// means the capture ends first.
std::string missing_frame_hint(const ExpectedFrame& e, const std::vector<AlignedPair>& pairs,
                               size_t at, const CapturedConversation& c, uint32_t tolerated) {
  for (size_t i = 0; i < pairs.size(); ++i) {
    const AlignedPair& p = pairs[i];
    if (p.slot >= 0 || p.segment < 0 || p.beyond_last) continue;
    const CapturedSegment& s = c.segments[p.segment];
    bool same_dir = !e.direction || *e.direction == s.direction;
    bool same_flags = e.flags.kind == FlagsMatchKind::any ||
                      (e.flags.kind == FlagsMatchKind::exact ? s.flags == e.flags.flags
                                                             : (s.flags & e.flags.flags) == e.flags.flags);
    if (!same_dir || !same_flags) continue;
    std::string flagged = (s.analysis_flags & tolerated)
                              ? " (Wireshark marks it as a retransmission or out of order, "
                                "which the scenario tolerates as noise)"
                              : "";
    return fmt::format("{} looks like this frame but comes {} than expected{}: the frames are out of "
                       "order",
                       segment_summary(s), i < at ? "earlier" : "later", flagged);
  }
  for (size_t i = at + 1; i < pairs.size(); ++i)
    if (pairs[i].segment >= 0 && (c.segments[pairs[i].segment].flags & tcp_flag::rst))
      return fmt::format("the connection was reset before this frame was due: {} is an RST",
                         segment_summary(c.segments[pairs[i].segment]));
    else if (pairs[i].segment >= 0)
      return "the frames after it show the connection went on, so it was sent but is not in the "
             "capture (filtered out, or dropped while capturing)";
  return "the capture ends before this frame: it was stopped too early, or the connection never "
         "got this far";
}

// ---- Putting one conversation's checks together -------------------------------------------

std::string frame_label(const ExpectedFrame& e, int copy) {
  return copy ? fmt::format("{}#{}", e.id, copy + 1) : e.id;
}

bool has_handshake(const CapturedConversation& c) {
  for (const CapturedSegment& s : c.segments)
    if (s.flags & tcp_flag::syn) return true;
  return false;
}

std::string cause_for_missing(const std::vector<RootCause>& causes) {
  for (const RootCause& cause : causes)
    if (cause.id == root_cause::connection_refused || cause.id == root_cause::handshake_not_captured ||
        cause.id == root_cause::connection_reset || cause.id == root_cause::wrong_port ||
        cause.id == root_cause::file_cut_short)
      return cause.id;
  return "";
}

// A reading's expected frames aligned with a conversation's segments.
struct Alignment {
  std::vector<ExpectedSlot> slots;
  std::vector<AlignedPair> pairs;
  Relations relations;
};

// The tallies of pairing one conversation's segments with the scenario's frames, by source
// frame (ScenarioReading::source) and segment, worked out once for every reading: the
// alignment weighs each pairing, the score and the report judge the chosen ones again.
class PairMemo {
 public:
  PairMemo(size_t segments, size_t sources) : segments_(segments), tallies_(segments * sources) {}

  // The tally of frame `frame` of `reading` with segment `segment`. A frame that refers to
  // other frames (same_as) is tallied afresh: its checks depend on the relations at hand.
  FrameTally tally(const ScenarioReading& reading, size_t frame, const CapturedSegment& s,
                   size_t segment, const Relations& r) {
    const ExpectedFrame& e = reading.scenario.frames[frame];
    FrameTally* memo = slot(reading, frame, segment);
    if (!memo) return tally_frame(e, s, r);
    if (!memo->known) *memo = tally_frame(e, s, r);
    return *memo;
  }

  // The cost of the pairing, or `cap` when it costs at least that (the alignment never pairs
  // a slot and a segment that cost more than leaving both: missing plus unexpected).
  int cost(const ScenarioReading& reading, size_t frame, const CapturedSegment& s,
           size_t segment, const Relations& r, int cap) {
    const ExpectedFrame& e = reading.scenario.frames[frame];
    FrameTally* memo = slot(reading, frame, segment);
    if (memo && (memo->known || memo->cost >= cap)) return std::min(memo->cost, cap);
    FrameTally t = tally_frame(e, s, r, cap);
    if (memo && (t.known || t.cost > memo->cost)) *memo = t;
    return std::min(t.cost, cap);
  }

 private:
  // A frame that refers to other frames (same_as) has no memo: its checks depend on the
  // relations at hand.
  FrameTally* slot(const ScenarioReading& reading, size_t frame, size_t segment) {
    int from = frame < reading.source.size() ? reading.source[frame] : -1;
    if (from < 0 || (reading.refers_to_frames && refers_to_frames(reading.scenario.frames[frame])))
      return nullptr;
    size_t at = static_cast<size_t>(from) * segments_ + segment;
    if (at >= tallies_.size()) tallies_.resize(at + 1);
    return &tallies_[at];
  }

  size_t segments_;
  std::vector<FrameTally> tallies_;
};

Alignment align_conversation(const ScenarioReading& reading, const CapturedConversation& c,
                             PairMemo& memo) {
  const Scenario& scenario = reading.scenario;
  Alignment a;
  Relations& relations = a.relations;
  for (const CapturedSegment& s : c.segments)
    if ((s.flags & tcp_flag::syn) && !relations.isn[static_cast<int>(s.direction)])
      relations.isn[static_cast<int>(s.direction)] = s.seq_raw;

  a.slots = reading.slots;
  const std::vector<ExpectedSlot>& slots = a.slots;
  AlignmentCosts costs;
  costs.unexpected = [&](size_t segment) {
    return (c.segments[segment].analysis_flags & scenario.noise.tolerated_flags) ? 0 : 3;
  };
  // A pairing that costs more than leaving the slot missing and the segment unexpected is never
  // chosen, so its cost is worked out only that far: the same alignment, found sooner.
  costs.pair = [&](size_t slot, size_t segment) {
    int cap = costs.missing + costs.unexpected(segment) + 1;
    return memo.cost(reading, slots[slot].index, c.segments[segment], segment, relations, cap);
  };
  costs.free_after_last = scenario.noise.ignore_rest;
  if (scenario.noise.strict_order) {
    // A capture that fits the reading (the common case) is aligned without the full search.
    auto free = align_frames_free(slots.size(), slots, c.segments.size(), costs);
    a.pairs = free ? std::move(*free) : align_frames(slots.size(), slots, c.segments.size(), costs);
  } else {
    a.pairs = align_frames_unordered(slots.size(), slots, c.segments.size(), costs);
  }

  // same_as needs the alignment: record each expected frame's first match, then judge.
  if (!reading.refers_to_frames) return a;
  for (const AlignedPair& p : a.pairs)
    if (p.slot >= 0 && p.segment >= 0 && slots[p.slot].copy == 0)
      relations.matched[scenario.frames[slots[p.slot].index].id] = &c.segments[p.segment];
  return a;
}

// Each stream expectation's reassembled data and verdict: the same in every reading (readings
// differ in frames only), so worked out once per conversation.
struct StreamOutcome {
  std::string data;
  bool ok = false;
};

std::vector<StreamOutcome> stream_outcomes(const Scenario& scenario, const CapturedConversation& c) {
  std::vector<StreamOutcome> outcomes;
  for (const StreamExpectation& stream : scenario.streams) {
    StreamOutcome& o = outcomes.emplace_back();
    o.data = reassembled_payload(c, stream.direction);
    o.ok = text_matches(stream.data, o.data);
  }
  return outcomes;
}

// The failed checks and points grade_conversation would give, without building the checks:
// the same checks in the same order, so the same sums.
struct Score {
  size_t failed = 0;
  double points = 0;
};

Score score_conversation(const ScenarioReading& reading, const CapturedConversation& c,
                         const Alignment& a, const std::vector<StreamOutcome>& streams,
                         bool zero_points, PairMemo& memo) {
  const Scenario& scenario = reading.scenario;
  Score score;
  for (const AlignedPair& p : a.pairs) {
    if (p.slot < 0) {
      const CapturedSegment& s = c.segments[p.segment];
      bool noise = s.analysis_flags & scenario.noise.tolerated_flags;
      bool beyond = p.beyond_last || (scenario.frames.empty() && scenario.choices.empty());
      score.failed += !noise && !beyond;
      continue;
    }
    const ExpectedFrame& e = scenario.frames[a.slots[p.slot].index];
    if (p.segment < 0) {
      ++score.failed;  // missing
      continue;
    }
    FrameTally t = memo.tally(reading, a.slots[p.slot].index, c.segments[p.segment],
                              static_cast<size_t>(p.segment), a.relations);
    double share = e.points / static_cast<double>(1 + t.judged);
    for (int i = 0; i < 1 + t.passed; ++i) score.points += share;  // present, then each pass
    score.failed += static_cast<size_t>(t.judged - t.passed);
  }
  for (size_t i = 0; i < scenario.streams.size(); ++i) {
    bool ok = streams[i].ok;
    if (ok) score.points += scenario.streams[i].points;
    score.failed += !ok;
  }
  if (zero_points) score.points = 0;
  return score;
}

// The most points a reading can give: every frame's and stream's.
double reading_max_points(const Scenario& scenario, const std::vector<ExpectedSlot>& slots) {
  double points = 0;
  for (const ExpectedSlot& slot : slots) points += scenario.frames[slot.index].points;
  for (const StreamExpectation& stream : scenario.streams) points += stream.points;
  return points;
}

ConversationResult grade_conversation(const ScenarioReading& reading, const CapturedConversation& c,
                                      const Alignment& alignment,
                                      const std::vector<StreamOutcome>& streams,
                                      const std::vector<RootCause>& causes, bool zero_points,
                                      PairMemo& memo, CheckDetail detail) {
  const Scenario& scenario = reading.scenario;
  const bool keep_passed = detail == CheckDetail::all;
  ConversationResult result;
  auto count_passed = [&](double points, double max_points) {
    ++result.passed_not_kept;
    result.points_not_kept += points;
    result.max_points_not_kept += max_points;
  };
  auto add_check = [&](CheckResult&& check) {
    if (keep_passed || check.status != CheckStatus::pass) result.checks.push_back(std::move(check));
    else count_passed(check.points, check.max_points);
  };
  result.stream = c.summary.stream;
  result.client = endpoint_text(c.summary.client);
  result.server = endpoint_text(c.summary.server);
  result.state = c.summary.state;
  result.history = c.summary.history;
  const std::vector<ExpectedSlot>& slots = alignment.slots;
  const std::vector<AlignedPair>& pairs = alignment.pairs;
  const Relations& relations = alignment.relations;
  result.rows.reserve(pairs.size());
  if (keep_passed) result.checks.reserve(pairs.size() * 8 + scenario.streams.size() + 1);

  std::string missing_cause = cause_for_missing(causes);
  std::string cut_cause;
  for (const RootCause& cause : causes)
    if (cause.id == root_cause::snap_length) cut_cause = cause.id;

  std::vector<int> copies_seen(scenario.frames.size(), 0);
  for (const AlignedPair& p : pairs) {
    FrameRow row;
    if (p.segment >= 0) {
      const CapturedSegment& s = c.segments[p.segment];
      row.frame = s.frame;
      row.direction = s.direction;
      row.flags = s.flags;
      row.seq = s.seq;
      row.ack = s.ack;
      row.len = s.len;
      row.has_ack = s.has_ack();
    }
    if (p.slot < 0) {
      const CapturedSegment& s = c.segments[p.segment];
      bool noise = s.analysis_flags & scenario.noise.tolerated_flags;
      // A scenario made only of claims grades no frames; `rest: ignore` stops grading after
      // its last frame. Those segments are still listed, so the table shows the whole capture.
      bool beyond = p.beyond_last || (scenario.frames.empty() && scenario.choices.empty());
      row.note = beyond ? "not graded" : noise ? "noise (tolerated)" : "unexpected";
      row.graded = !beyond;
      if (!noise && !beyond) {
        row.ok = false;
        CheckResult check;
        check.id = fmt::format("frame.unexpected.{}", s.frame);
        check.name = fmt::format("frame {}: not in the scenario", s.frame);
        check.status = CheckStatus::fail;
        check.frame = s.frame;
        check.field = "frame";
        check.expected = "no frame here";
        check.actual = segment_summary(s);
        check.hint = fmt::format("{} is {} that the scenario does not expect here", segment_summary(s), segment_kind(s));
        // Wireshark's own reading of the frame often says why it is there.
        std::vector<std::string> labels = analysis_labels(s.analysis_flags & ~analysis_flag::reset, 0, 0, s.frame);
        if (!labels.empty())
          check.hint += fmt::format("; Wireshark marks it [{}]", fmt::join(labels, "] ["));
        result.checks.push_back(std::move(check));
      }
      result.rows.push_back(std::move(row));
      continue;
    }
    const ExpectedSlot& slot = slots[p.slot];
    const ExpectedFrame& e = scenario.frames[slot.index];
    // Copies of a repeated frame are numbered in capture order, whichever slots the
    // alignment happened to use (optional copies are interchangeable).
    std::string label = frame_label(e, copies_seen[slot.index]++);
    row.expected_id = label;
    std::vector<Judged> judged;
    const CapturedSegment* s = p.segment >= 0 ? &c.segments[p.segment] : nullptr;
    if (s && !keep_passed) {
      // A frame whose every check passes is counted, not written out.
      FrameTally t = memo.tally(reading, slot.index, *s, static_cast<size_t>(p.segment), relations);
      if (t.all_passed()) {
        double share = e.points / static_cast<double>(1 + t.judged);
        for (int i = 0; i < 1 + t.judged; ++i) count_passed(share, share);  // present, each field
        result.rows.push_back(std::move(row));
        continue;
      }
    }
    if (s) judged = judge_frame(e, *s, relations);
    double share = e.points / static_cast<double>(1 + judged.size());
    CheckResult present;
    present.id = "frame." + label + ".present";
    present.name = label + ": present";
    present.expected_id = label;
    present.field = "present";
    present.max_points = share;
    present.teaches = e.teaches;
    present.visibility = e.visibility.empty() ? scenario.visibility : e.visibility;
    present.expected = e.flags.kind == FlagsMatchKind::any ? "a frame"
                                                           : fmt::format("[{}] from the {}", flag_names(e.flags.flags),
                                                                         e.direction == Direction::server_to_client ? "server" : "client");
    if (s) {
      present.status = CheckStatus::pass;
      present.frame = s->frame;
      present.actual = "frame " + std::to_string(s->frame);
      present.points = share;
    } else {
      present.status = CheckStatus::fail;
      present.actual = "missing";
      present.hint = missing_frame_hint(e, pairs, static_cast<size_t>(&p - pairs.data()), c,
                                        scenario.noise.tolerated_flags);
      present.root_cause = missing_cause;
      row.ok = false;
      row.note = "missing";
      row.direction = e.direction.value_or(Direction::client_to_server);
      row.flags = e.flags.flags;
    }
    const std::string visibility = present.visibility;
    add_check(std::move(present));
    for (Judged& j : judged) {
      CheckResult check;
      check.id = "frame." + label + "." + j.field;
      check.name = label + " (frame " + std::to_string(s->frame) + "): " + j.field;
      check.status = j.outcome.status;
      check.frame = s->frame;
      check.expected_id = label;
      check.field = std::move(j.field);
      check.expected = std::move(j.outcome.expected);
      check.actual = std::move(j.outcome.actual);
      check.hint = std::move(j.hint);
      check.teaches = e.teaches;
      check.visibility = visibility;
      check.max_points = share;
      check.points = check.status == CheckStatus::pass ? share : 0;
      if (check.status == CheckStatus::unverifiable) check.root_cause = cut_cause;
      if (check.status != CheckStatus::pass) row.ok = false;
      add_check(std::move(check));
    }
    result.rows.push_back(std::move(row));
  }

  for (size_t i = 0; i < scenario.streams.size(); ++i) {
    const StreamExpectation& stream = scenario.streams[i];
    const std::string& data = streams[i].data;
    if (!keep_passed && streams[i].ok) {  // counted, not written out
      count_passed(stream.points, stream.points);
      continue;
    }
    CheckResult check;
    check.id = "stream." + stream.id;
    check.name = fmt::format("{} data: {}", to_string(stream.direction), stream.id);
    check.expected_id = stream.id;
    check.field = "data";
    check.expected = describe(stream.data);
    check.actual = fmt::format("{} bytes: \"{}\"", data.size(), printable(data));
    check.max_points = stream.points;
    check.teaches = stream.teaches;
    check.visibility = stream.visibility.empty() ? scenario.visibility : stream.visibility;
    bool ok = streams[i].ok;
    check.status = ok ? CheckStatus::pass : CheckStatus::fail;
    check.points = ok ? stream.points : 0;
    if (!ok) {
      check.hint = data.empty() ? "no application data was captured in this direction"
                                : "the reassembled data differs from what the scenario expects";
      check.root_cause = missing_cause;
    }
    add_check(std::move(check));
  }
  if (zero_points) {
    for (CheckResult& check : result.checks) check.points = 0;
    result.points_not_kept = 0;
  }
  return result;
}

// Grades every reading and keeps the one that fits the capture best: fewest failed checks,
// then most points, then the first in the file (so ties are deterministic). Readings are
// scored first; only the best is judged in full.
ConversationResult grade_best_variant(const std::vector<ScenarioReading>& readings,
                                      const CapturedConversation& c,
                                      const std::vector<RootCause>& causes, bool zero,
                                      CheckDetail detail) {
  size_t best = 0;
  Score best_score;
  std::optional<Alignment> best_alignment;
  int sources = 0;
  for (const ScenarioReading& reading : readings)
    for (int from : reading.source) sources = std::max(sources, from + 1);
  PairMemo memo(c.segments.size(), static_cast<size_t>(sources));
  const std::vector<StreamOutcome> streams = stream_outcomes(readings.front().scenario, c);
  for (size_t i = 0; i < readings.size(); ++i) {
    // Once a reading fails nothing, a later one wins only with more points than it gives: one
    // that cannot reach them is not aligned at all.
    if (best_alignment && best_score.failed == 0 &&
        (zero || readings[i].max_points <= best_score.points + 1e-9))
      continue;
    Alignment alignment = align_conversation(readings[i], c, memo);
    Score score = score_conversation(readings[i], c, alignment, streams, zero, memo);
    if (!best_alignment || score.failed < best_score.failed ||
        (score.failed == best_score.failed && score.points > best_score.points + 1e-9)) {
      best = i;
      best_score = score;
      best_alignment = std::move(alignment);
    }
  }
  ConversationResult result = grade_conversation(readings[best], c, *best_alignment, streams,
                                                 causes, zero, memo, detail);
  result.variants = readings[best].chosen;
  return result;
}

}  // namespace

bool select_conversation(const Scenario& scenario, CapturedConversation& c) {
  if (c.segments.empty() || !family_matches(scenario.conversation, c)) return false;
  if (auto port = scenario.conversation.server_port) {
    if (c.summary.server.port != *port && c.summary.client.port == *port) flip_direction(c);
    if (c.summary.server.port != *port) return false;
  }
  return true;
}

std::string conversation_line(const CapturedConversation& c) {
  return fmt::format("stream {}: {} → {}, {} frames, state {}", c.summary.stream,
                     endpoint_text(c.summary.client), endpoint_text(c.summary.server),
                     c.segments.size(), c.summary.state);
}

std::vector<ScenarioReading> scenario_readings(const Scenario& scenario) {
  std::vector<ScenarioReading> readings;
  // A frame's place in the scenario file tells which readings share it; a scenario built
  // without places (or with two frames at one place) gets no sharing.
  std::map<std::pair<int, int>, int> sources;
  bool places_known = true;
  for (FrameListVariant& variant : frame_list_variants(scenario)) {
    ScenarioReading reading{scenario, std::move(variant.chosen), {}, false, {}, 0};
    reading.scenario.frames = std::move(variant.frames);
    reading.scenario.choices.clear();
    for (const ExpectedFrame& frame : reading.scenario.frames)
      reading.refers_to_frames = reading.refers_to_frames || refers_to_frames(frame);
    reading.slots = unroll_repeats(reading.scenario);
    reading.max_points = reading_max_points(reading.scenario, reading.slots);
    std::set<std::pair<int, int>> seen;
    for (const ExpectedFrame& frame : reading.scenario.frames) {
      std::pair<int, int> place{frame.where.line, frame.where.column};
      if (frame.where.line <= 0 || !seen.insert(place).second) places_known = false;
      reading.source.push_back(sources.try_emplace(place, static_cast<int>(sources.size())).first->second);
    }
    readings.push_back(std::move(reading));
  }
  if (!places_known)
    for (ScenarioReading& reading : readings) reading.source.assign(reading.source.size(), -1);
  return readings;
}

ConversationResult grade_selected_conversation(const Scenario& scenario,
                                               const std::vector<ScenarioReading>& readings,
                                               const CapturedConversation& c,
                                               const CaptureContents& contents,
                                               const RootCause* wrong_port,
                                               std::vector<RootCause>& causes,
                                               CheckDetail detail) {
  causes = diagnose_conversation(c, contents);
  if (wrong_port) causes.insert(causes.begin(), *wrong_port);
  bool zero = wrong_port || (scenario.handshake_prerequisite && !has_handshake(c) &&
                             (!scenario.frames.empty() || !scenario.choices.empty()));
  ConversationResult result = grade_best_variant(readings, c, causes, zero, detail);
  if (wrong_port) {
    // Zero points alone would still read as a pass: the mismatch itself is a failed check.
    CheckResult match;
    match.id = "conversation.server-port";
    match.name = "the graded connection";
    match.status = CheckStatus::fail;
    match.field = "server_port";
    match.expected = scenario.conversation.server_port
                         ? fmt::format("a connection to server port {}", *scenario.conversation.server_port)
                         : fmt::format("a connection over IPv{}", scenario.conversation.family);
    match.actual = conversation_line(c);
    match.hint = scenario.conversation.server_port
                     ? "the capture holds traffic on another port than the scenario's: was the "
                       "server started on the lab's port, and the capture filtered on it?"
                     : fmt::format("the capture holds no IPv{0} connection: the client must "
                                   "connect to an IPv{0} address{1}",
                                   scenario.conversation.family,
                                   scenario.conversation.family == 6 ? " (curl http://[::1]:PORT/)" : "");
    match.root_cause = root_cause::wrong_port;
    result.checks.insert(result.checks.begin(), match);
  }
  return result;
}

void merge_root_causes(std::vector<RootCause>& report_causes, const std::vector<RootCause>& causes) {
  for (const RootCause& cause : causes) {
    bool known = false;
    for (const RootCause& seen : report_causes) known = known || seen.id == cause.id;
    if (!known) report_causes.push_back(cause);
  }
}

RootCause wrong_port_cause(const Scenario& scenario, const std::vector<std::string>& lines) {
  std::string wanted = scenario.conversation.server_port
                           ? fmt::format("server port {}", *scenario.conversation.server_port)
                           : "the scenario's address family";
  return {root_cause::wrong_port, "No connection matches the scenario",
          fmt::format("The scenario grades the connection to {}, but the capture holds only: {}. "
                      "The first one is shown below, graded at zero points.",
                      wanted, fmt::join(lines, "; "))};
}

Report check_capture(const Scenario& scenario, CaptureContents contents) {
  return check_capture(scenario, scenario_readings(scenario), std::move(contents));
}

Report check_capture(const Scenario& scenario, const std::vector<ScenarioReading>& readings,
                     CaptureContents contents) {
  if (contents.tcp_frames == 0)
    throw CaptureError(fmt::format("{}: no TCP segments in its {} frame{}: not a capture of a TCP "
                                   "connection",
                                   contents.path, contents.frames, contents.frames == 1 ? "" : "s"));
  Report report;
  report.scenario = scenario.name;
  report.scenario_title = scenario.title;
  report.scenario_file = scenario.where.file;
  report.capture_file = contents.path;
  report.capture_frames = contents.frames;
  if (contents.warning) report.warnings.push_back(*contents.warning);

  std::vector<CapturedConversation*> chosen = select_conversations(scenario, contents);
  bool wrong_port = false;
  if (chosen.empty()) {
    // Grade what is there, so the student still sees every frame explained, but at zero.
    std::vector<std::string> ports;
    for (CapturedConversation& c : contents.conversations)
      if (!c.segments.empty()) {
        if (chosen.empty()) chosen.push_back(&c);
        ports.push_back(conversation_line(c));
      }
    wrong_port = true;
    report.root_causes.push_back(wrong_port_cause(scenario, ports));
  }
  Selection select = scenario.conversation.select;
  bool several = (select == Selection::first || select == Selection::best) && chosen.size() > 1;
  if (several && select == Selection::best) {
    // Grade each candidate as a whole and keep the best fit: fewest failed checks, then most
    // points, then the earliest (stable, so ties keep capture order).
    std::vector<std::pair<size_t, double>> fit;  // failed checks, points
    for (CapturedConversation* c : chosen) {
      std::vector<RootCause> causes;
      ConversationResult trial =
          grade_selected_conversation(scenario, readings, *c, contents, nullptr, causes);
      std::pair<size_t, double> f{0, 0.0};
      for (const CheckResult& check : trial.checks) {
        f.first += check.status != CheckStatus::pass;
        f.second += check.points;
      }
      fit.push_back(f);
    }
    size_t best = 0;
    for (size_t i = 1; i < chosen.size(); ++i)
      if (fit[i].first < fit[best].first ||
          (fit[i].first == fit[best].first && fit[i].second > fit[best].second + 1e-9))
        best = i;
    std::rotate(chosen.begin(), chosen.begin() + static_cast<long>(best), chosen.begin() + static_cast<long>(best) + 1);
  }
  // Other connections to the graded server's port are repeated runs of the client; connections
  // to other ports are traffic the capture should have filtered out.
  bool repeated_runs = false;
  if (several) {
    for (size_t i = 1; i < chosen.size(); ++i)
      repeated_runs = repeated_runs || chosen[i]->summary.server.port == chosen[0]->summary.server.port;
    for (size_t i = 1; i < chosen.size(); ++i) report.other_conversations.push_back(conversation_line(*chosen[i]));
    chosen.erase(chosen.begin() + 1, chosen.end());
  }
  std::vector<bool> graded(contents.conversations.size(), false);
  for (CapturedConversation* c : chosen) graded[c->summary.stream < graded.size() ? c->summary.stream : 0] = true;
  // Each listed once (a set, not a search of the list: captures may hold many thousands).
  std::unordered_set<std::string> listed(report.other_conversations.begin(),
                                         report.other_conversations.end());
  for (const CapturedConversation& c : contents.conversations)
    if (!c.segments.empty() && c.summary.stream < graded.size() && !graded[c.summary.stream] && !wrong_port) {
      std::string line = conversation_line(c);
      if (listed.insert(line).second) report.other_conversations.push_back(std::move(line));
    }

  for (CapturedConversation* c : chosen) {
    std::vector<RootCause> causes;
    ConversationResult result = grade_selected_conversation(
        scenario, readings, *c, contents, wrong_port ? &report.root_causes.front() : nullptr, causes);
    merge_root_causes(report.root_causes, causes);
    report.conversations.push_back(std::move(result));
  }
  if (several && !repeated_runs)
    report.root_causes.push_back(
        {root_cause::other_traffic, "The file holds other traffic",
         fmt::format("Besides the graded connection (stream {}, server port {}) the capture holds "
                     "connections to other ports, listed below and not graded. Filter the "
                     "capture on the lab's port: tcpdump -i lo tcp port {}.",
                     report.conversations.front().stream, chosen[0]->summary.server.port,
                     chosen[0]->summary.server.port)});
  if (several && repeated_runs)
    report.root_causes.push_back(
        {root_cause::several_connections, "The file holds several connections",
         fmt::format("Only {} connection to the scenario's server is graded; the others "
                     "are listed below. A lab capture should hold one curl request: capture "
                     "again, running the client once.",
                     select == Selection::best ? "the best-fitting" : "the first")});
  report.claims = judge_claims(scenario, contents, report.root_causes);

  for (const ConversationResult& c : report.conversations)
    for (const CheckResult& check : c.checks) {
      report.points += check.points;
      report.max_points += check.max_points;
    }
  for (const CheckResult& claim : report.claims) {
    report.points += claim.points;
    report.max_points += claim.max_points;
  }
  // Shares of a frame's points are thirds and sevenths: keep the sums free of float dust.
  report.points = std::round(report.points * 1e6) / 1e6;
  report.max_points = std::round(report.max_points * 1e6) / 1e6;
  return report;
}

}  // namespace tcpgrade
