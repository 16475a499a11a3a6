#include "check/field_judge.h"

#include <fmt/format.h>

#include <algorithm>

#include "analysis/segment_text.h"
#include "check/hints.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

// A segment's numeric fields, named once: the alignment reads them for every pairing.
enum class SegmentField : uint8_t {
  seq,
  ack,
  len,
  window,
  window_scaled,
  seq_raw,
  ack_raw,
  next_seq,
  none
};

SegmentField segment_field_named(const std::string& field) {
  if (field == "seq") return SegmentField::seq;
  if (field == "ack") return SegmentField::ack;
  if (field == "len") return SegmentField::len;
  if (field == "window") return SegmentField::window;
  if (field == "window_scaled") return SegmentField::window_scaled;
  if (field == "seq_raw") return SegmentField::seq_raw;
  if (field == "ack_raw") return SegmentField::ack_raw;
  if (field == "next_seq") return SegmentField::next_seq;
  return SegmentField::none;
}

std::optional<int64_t> field_of(const CapturedSegment& s, SegmentField field) {
  switch (field) {
    case SegmentField::seq:
      return s.seq;
    case SegmentField::ack:
      return s.has_ack() ? std::optional<int64_t>(s.ack) : std::nullopt;
    case SegmentField::len:
      return s.len;
    case SegmentField::window:
      return s.window;
    case SegmentField::window_scaled:
      return s.window_scaled;
    case SegmentField::seq_raw:
      return s.seq_raw;
    case SegmentField::ack_raw:
      return s.has_ack() ? std::optional<int64_t>(s.ack_raw) : std::nullopt;
    case SegmentField::next_seq:
      return s.next_seq;
    case SegmentField::none:
      break;
  }
  return std::nullopt;
}

std::optional<int64_t> relation_for(const Matcher& m, SegmentField field, const CapturedSegment& s,
                                    const Relations& r) {
  int side = static_cast<int>(s.direction);
  switch (m.kind) {
    case MatchKind::next:
      if (field == SegmentField::ack || field == SegmentField::ack_raw)
        return s.peer_next_before ? std::optional<int64_t>(*s.peer_next_before) : std::nullopt;
      return s.side_next_before.value_or(0);
    case MatchKind::isn_plus: {
      const std::optional<uint32_t>& isn =
          field == SegmentField::ack_raw ? r.isn[1 - side] : r.isn[side];
      if (!isn) return std::nullopt;
      return static_cast<int64_t>(static_cast<uint32_t>(*isn + m.value));
    }
    case MatchKind::same_as: {
      auto it = r.matched.find(m.reference_frame);
      if (it == r.matched.end() || !it->second) return std::nullopt;
      return field_of(*it->second, segment_field_named(m.reference_field));
    }
    default:
      return std::nullopt;
  }
}

Judged judged_number(const std::string& field, const Matcher& m, const FieldValue& value) {
  MatchOutcome outcome = evaluate(m, value);
  std::string hint;
  if (outcome.status == CheckStatus::fail)
    hint = number_hint(field, m, outcome);
  else if (outcome.status == CheckStatus::unverifiable && m.kind == MatchKind::next)
    hint = next_unknown_hint(field);
  return {field, outcome, hint, 1};
}

Judged judged_option(const std::string& field, const Matcher& m, const CapturedSegment& s,
                     const FieldValue& value) {
  MatchOutcome outcome = evaluate(m, value);
  std::string hint;
  if (outcome.status == CheckStatus::unverifiable)
    hint = option_cut_hint(s);
  else if (outcome.status == CheckStatus::fail)
    hint = option_hint(field, outcome);
  return {"options." + field, outcome, hint, 1};
}

// The checks of one expected frame against one segment, in report order, each told to `sink`:
// sink.add(status, weight, texts), where texts() makes the check's Judged (its expected and
// actual values and the hint) for a sink that keeps them; sink.enough() tells the walk it may
// stop (the alignment's cap reached). Returns false when it stopped before the end.
constexpr int kind_mismatch_weight = 100;  // above any alignment cap

template <typename Sink>
bool walk_frame(const ExpectedFrame& e, const CapturedSegment& s, const Relations& r, Sink& sink) {
  auto status = [](bool ok) { return ok ? CheckStatus::pass : CheckStatus::fail; };
  if (e.direction) {
    CheckStatus st = status(*e.direction == s.direction);
    sink.add(st, 3, [&] {
      return Judged{"dir",
                    {st, to_string(*e.direction), to_string(s.direction)},
                    st == CheckStatus::fail ? direction_hint() : "",
                    3};
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
      return Judged{"flags",
                    {status(ok), expected, fmt::format("[{}]", flag_names(s.flags))},
                    ok ? "" : flags_hint(e.flags.flags, s.flags),
                    3};
    });
  }
  if (e.phase) {
    bool ok = *e.phase == s.phase;
    sink.add(status(ok), 1, [&] {
      return Judged{"phase",
                    {status(ok), to_string(*e.phase), to_string(s.phase)},
                    ok ? "" : phase_hint(s),
                    1};
    });
  }
  if (sink.enough()) return false;
  auto number = [&](SegmentField field, const char* name, const Matcher& m) {
    if (!m.constrains()) return;
    FieldValue value;
    value.actual = field_of(s, field);
    value.relation = relation_for(m, field, s, r);
    CheckStatus st = evaluate_status(m, value);
    // Data where none is due, or none where data is: another kind of segment. A pure ACK is
    // never the request it stands in for: the request is missing and the ACK is another frame,
    // so this pairing costs more than leaving both apart.
    int weight = 1;
    if (field == SegmentField::len && st == CheckStatus::fail) {
      FieldValue empty;
      empty.actual = 0;
      bool wants_empty = m.kind == MatchKind::exact && m.value == 0;
      bool wants_data = evaluate_status(m, empty) == CheckStatus::fail;
      if ((s.len == 0 && wants_data) || (s.len > 0 && wants_empty)) weight = kind_mismatch_weight;
    }
    sink.add(st, weight, [&] { return judged_number(name, m, value); });
  };
  number(SegmentField::seq, "seq", e.seq);
  number(SegmentField::ack, "ack", e.ack);
  number(SegmentField::len, "len", e.len);
  number(SegmentField::window, "window", e.window);
  number(SegmentField::window_scaled, "window_scaled", e.window_scaled);
  number(SegmentField::seq_raw, "seq_raw", e.seq_raw);
  number(SegmentField::ack_raw, "ack_raw", e.ack_raw);
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
  auto present = [](bool yes) { return yes ? std::optional<int64_t>(1) : std::nullopt; };
  option("mss", e.options.mss, opt(o.mss));
  option("ws", e.options.ws, opt(o.window_scale));
  option("sack_perm", e.options.sack_perm, present(o.sack_permitted));
  option("ts", e.options.ts, present(o.tsval.has_value()));
  option("tsval", e.options.tsval, opt(o.tsval));
  option("tsecr", e.options.tsecr, opt(o.tsecr));
  option("sack", e.options.sack_blocks,
         o.sack_count ? std::optional<int64_t>(o.sack_count) : std::nullopt);
  if (e.options.order_given) {
    std::vector<uint8_t> actual;
    for (uint8_t i = 0; i < o.entry_count; ++i)
      if (!e.options.order_set ||
          (o.entries[i].kind != tcp_option::nop && o.entries[i].kind != tcp_option::eol))
        actual.push_back(o.entries[i].kind);
    std::vector<uint8_t> expected = e.options.order;
    if (e.options.order_set) {
      std::sort(actual.begin(), actual.end());
      std::sort(expected.begin(), expected.end());
    }
    CheckStatus st = !s.options_complete ? CheckStatus::unverifiable : status(actual == expected);
    sink.add(st, 1, [&] {
      return Judged{"options.order",
                    {st, option_kind_names(e.options.order), option_kind_names(actual)},
                    st == CheckStatus::pass ? "" : option_order_hint(),
                    1};
    });
  }
  if (e.payload.kind != TextMatchKind::none) {
    bool cut = s.payload.size() < s.len;
    bool ok = text_matches(e.payload, s.payload);
    CheckStatus st = ok ? CheckStatus::pass : cut ? CheckStatus::unverifiable : CheckStatus::fail;
    sink.add(st, 1, [&] {
      return Judged{"payload",
                    {st, describe(e.payload), fmt::format("\"{}\"", printable(s.payload))},
                    ok ? "" : payload_hint(cut),
                    1};
    });
  }
  return true;
}

// Keeps every check with its texts: for the report.
struct JudgingSink {
  std::vector<Judged> judged;
  template <typename Texts>
  void add(CheckStatus, int, Texts&& texts) {
    judged.push_back(texts());
  }
  bool enough() const { return false; }
};

// Counts the checks: for the alignment and the scores.
struct CountingSink {
  FrameTally& tally;
  template <typename Texts>
  void add(CheckStatus status, int weight, Texts&&) {
    ++tally.judged;
    tally.passed += status == CheckStatus::pass;
    tally.cost += status == CheckStatus::fail ? weight : 0;
  }
  bool enough() const { return tally.enough(); }
};

}  // namespace

std::vector<Judged> judge_frame(const ExpectedFrame& e, const CapturedSegment& s,
                                const Relations& r) {
  JudgingSink sink;
  walk_frame(e, s, r, sink);
  return std::move(sink.judged);
}

FrameTally tally_frame(const ExpectedFrame& e, const CapturedSegment& s, const Relations& r,
                       int stop_at) {
  FrameTally t;
  t.stop_at = stop_at;
  CountingSink sink{t};
  t.known = walk_frame(e, s, r, sink);
  return t;
}

bool refers_to_frames(const ExpectedFrame& e) {
  for (const Matcher* m :
       {&e.seq, &e.ack, &e.len, &e.window, &e.window_scaled, &e.seq_raw, &e.ack_raw})
    if (m->kind == MatchKind::same_as) return true;
  return false;
}

}  // namespace tcpgrade
