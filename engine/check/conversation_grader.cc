#include "check/conversation_grader.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "analysis/segment_text.h"
#include "check/block_grading.h"
#include "check/connection_close.h"
#include "check/conversation_properties.h"
#include "check/deviations.h"
#include "check/field_judge.h"
#include "check/frame_pairing.h"
#include "check/hints.h"
#include "check/lost_frames.h"
#include "check/matcher_eval.h"
#include "check/root_causes.h"
#include "check/scoring.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

bool family_matches(const ConversationSelector& selector, const CapturedConversation& c) {
  return selector.family == 0 || c.summary.client.address.family == selector.family;
}

std::string frame_label(const ExpectedFrame& e, int copy) {
  return copy ? fmt::format("{}#{}", e.id, copy + 1) : e.id;
}

bool has_handshake(const CapturedConversation& c) {
  for (const CapturedSegment& s : c.segments)
    if (s.flags & tcp_flag::syn) return true;
  return false;
}

// The root cause a missing frame or stream is put under.
std::string cause_for_missing(const std::vector<RootCause>& causes) {
  for (const RootCause& cause : causes)
    if (cause.id == root_cause::connection_refused ||
        cause.id == root_cause::handshake_not_captured ||
        cause.id == root_cause::connection_reset || cause.id == root_cause::wrong_port ||
        cause.id == root_cause::wrong_family || cause.id == root_cause::file_cut_short ||
        cause.id == root_cause::not_closed)
      return cause.id;
  return "";
}

// The frame the capture lost that the expected frame `e`, missing at `at` in the alignment,
// stands for (where it was due: before the next captured segment), or nullptr.
const LostSegment* lost_frame_at(const std::vector<AlignedPair>& pairs, size_t at,
                                 const CapturedConversation& c, const ExpectedFrame& e,
                                 const std::vector<LostSegment>& lost) {
  if (lost.empty()) return nullptr;
  size_t position = c.segments.size();
  for (size_t k = at + 1; k < pairs.size(); ++k)
    if (pairs[k].segment >= 0) {
      position = static_cast<size_t>(pairs[k].segment);
      break;
    }
  return lost_for_frame(lost, e, position);
}

// A segment of data `direction` sent that the capture lost, or nullptr.
const LostSegment* lost_data(const std::vector<LostSegment>& lost, Direction direction) {
  for (const LostSegment& l : lost)
    if (l.direction == direction && l.data_bytes()) return &l;
  return nullptr;
}

// Each stream expectation's reassembled data and verdict: the same in every variant (variants
// differ in frames only), so worked out once per conversation.
struct StreamOutcome {
  std::shared_ptr<const std::string> data;  // the direction's bytes, shared by its checks
  bool ok = false;
  bool cut = false;  // the snap length cut payload in this direction: a mismatch is unverifiable
  bool too_complex = false;  // the regex ran out of its work budget on these bytes
};

// Each direction is reassembled once, however many checks read it: fifty `contains:` checks of
// a large response share one copy of it.
std::vector<StreamOutcome> stream_outcomes(const Scenario& scenario,
                                           const CapturedConversation& c) {
  std::shared_ptr<const std::string> data[2];
  bool cut[2] = {false, false};
  for (const CapturedSegment& s : c.segments)
    if (s.payload.size() < s.len) cut[static_cast<int>(s.direction)] = true;
  std::vector<StreamOutcome> outcomes;
  for (const StreamExpectation& stream : scenario.streams) {
    int side = static_cast<int>(stream.direction);
    if (!data[side])
      data[side] = std::make_shared<const std::string>(reassembled_payload(c, stream.direction));
    StreamOutcome& o = outcomes.emplace_back();
    o.data = data[side];
    RegexOutcome outcome = text_outcome(stream.data, *o.data);
    o.ok = outcome == RegexOutcome::match;
    o.too_complex = outcome == RegexOutcome::too_complex;
    o.cut = cut[side];
  }
  return outcomes;
}

// Where segments stop belonging to the exchange: after the close completed, a late
// retransmission and the RST that answers it are noise wherever the scenario tolerates
// retransmissions. Worked out once per conversation (callers ask for every unexpected segment).
std::optional<size_t> late_from(const Scenario& scenario, const CapturedConversation& c) {
  constexpr uint32_t retransmissions =
      analysis_flag::retransmission | analysis_flag::spurious_retransmission;
  if (!(scenario.noise.tolerated_flags & retransmissions)) return std::nullopt;
  return closed_before(c);
}

bool is_late(const std::optional<size_t>& late, int segment) {
  return late && static_cast<size_t>(segment) >= *late;
}

// How many copies of each scenario frame the alignment holds: paired or missing (a required
// copy the capture lacks). A frame's points are shared by its copies.
std::vector<int> frame_copies(const Scenario& scenario, const Alignment& a) {
  std::vector<int> copies(scenario.frames.size(), 0);
  for (const AlignedPair& p : a.pairs)
    if (p.slot >= 0) ++copies[a.slots[p.slot].index];
  return copies;
}

// Whether the captured copy of a missing frame counts as passed: lost by the capture, under
// `capture_losses: warn`.
bool missing_forgiven(const Scenario& scenario, const Alignment& a, const AlignedPair& p,
                      const CapturedConversation& c, const std::vector<LostSegment>& lost) {
  size_t at = static_cast<size_t>(&p - a.pairs.data());
  return !scenario.capture_losses_fail &&
         lost_frame_at(a.pairs, at, c, scenario.frames[a.slots[p.slot].index], lost);
}

// The `all_or_nothing` frames that earn nothing: a check of one of their copies not passed.
std::vector<bool> voided_frames(const ScenarioVariant& variant, const CapturedConversation& c,
                                const Alignment& a, const std::vector<LostSegment>& lost,
                                PairMemo& memo) {
  const Scenario& scenario = variant.scenario;
  std::vector<bool> voided(scenario.frames.size(), false);
  for (const AlignedPair& p : a.pairs) {
    if (p.slot < 0) continue;
    size_t index = a.slots[p.slot].index;
    if (!scenario.frames[index].scoring.all_or_nothing || voided[index] ||
        scenario.frames[index].block)
      continue;
    if (p.segment < 0) {
      voided[index] = !missing_forgiven(scenario, a, p, c, lost);
      continue;
    }
    voided[index] = !memo.tally(variant, index, c.segments[p.segment],
                                static_cast<size_t>(p.segment), a.relations)
                         .all_passed();
  }
  return voided;
}

// What one captured copy of `e` earns, worth `points` when every check passes.
double copy_earned(const Scenario& scenario, const ExpectedFrame& e, const FrameTally& t,
                   const CapturedSegment& s, const Relations& relations, double points) {
  if (t.all_passed()) return points;
  if (uniform_weights(scenario.scoring, e.scoring))
    return points * (1 + t.passed) / static_cast<double>(1 + t.judged);
  std::vector<Judged> judged = judge_frame(e, s, relations);
  std::vector<std::string_view> fields;
  for (const Judged& j : judged) fields.push_back(j.field);
  std::vector<double> shares = check_shares(scenario.scoring, e.scoring, points, fields);
  double earned = shares.front();  // present
  for (size_t i = 0; i < judged.size(); ++i)
    if (judged[i].outcome.status == CheckStatus::pass) earned += shares[i + 1];
  return earned;
}

// The failed checks and points build_result would give, without building the checks: the
// same checks in the same order, so the same sums.
struct Score {
  size_t failed = 0;
  double points = 0;
};

Score score_conversation(const ScenarioVariant& variant, const CapturedConversation& c,
                         const Alignment& a, const std::vector<StreamOutcome>& streams,
                         const std::vector<LostSegment>& lost, bool zero_points, PairMemo& memo) {
  const Scenario& scenario = variant.scenario;
  const std::optional<size_t> late = late_from(scenario, c);
  const std::vector<int> copies = frame_copies(scenario, a);
  const std::vector<bool> voided = voided_frames(variant, c, a, lost, memo);
  Score score;
  for (const AlignedPair& p : a.pairs) {
    if (p.slot < 0) {
      const CapturedSegment& s = c.segments[p.segment];
      bool noise = (s.analysis_flags & scenario.noise.tolerated_flags) || is_late(late, p.segment);
      bool beyond = p.beyond_last || (scenario.frames.empty() && scenario.choices.empty());
      // Its penalty is left out here: which reading explains the capture best does not
      // depend on what unexpected frames cost.
      score.failed += !noise && !beyond;
      continue;
    }
    size_t index = a.slots[p.slot].index;
    const ExpectedFrame& e = scenario.frames[index];
    double points = voided[index] ? 0 : copy_points(e, copies[index]);
    if (p.segment < 0) {
      if (missing_forgiven(scenario, a, p, c, lost))
        score.points += points;  // lost by the capture, under `capture_losses: warn`
      else
        ++score.failed;  // missing
      continue;
    }
    if (e.block) {  // a block scores once, on its whole run
      size_t at = static_cast<size_t>(&p - a.pairs.data());
      if (starts_block_run(a.pairs, at)) {
        BlockScore b = block_score(
            e, judge_block(*e.block, c, block_run(a.pairs, at), scenario.noise.tolerated_flags));
        score.points += b.points;
        score.failed += b.failed;
      }
      continue;
    }
    const CapturedSegment& s = c.segments[p.segment];
    FrameTally t = memo.tally(variant, index, s, static_cast<size_t>(p.segment), a.relations);
    score.points += copy_earned(scenario, e, t, s, a.relations, points);
    score.failed += static_cast<size_t>(t.judged - t.passed);
  }
  for (size_t i = 0; i < scenario.frames.size(); ++i)
    if (copies[i] == 0) score.points += scenario.frames[i].points;  // optional, absent
  for (size_t i = 0; i < scenario.streams.size(); ++i) {
    bool ok = streams[i].ok ||
              (!scenario.capture_losses_fail && lost_data(lost, scenario.streams[i].direction));
    if (ok) score.points += scenario.streams[i].points;
    score.failed += !ok;
  }
  if (scenario.properties)  // the same in every variant; cheap next to the alignment
    for (const CheckResult& check :
         judge_properties(*scenario.properties, c, scenario.visibility)) {
      score.points += check.points;
      score.failed += check.status != CheckStatus::pass;
    }
  if (zero_points) score.points = 0;
  return score;
}

// The report's rows and checks of a conversation under one variant's alignment.
ConversationResult build_result(const ScenarioVariant& variant, const CapturedConversation& c,
                                const Alignment& alignment,
                                const std::vector<StreamOutcome>& streams,
                                const std::vector<RootCause>& causes,
                                const std::vector<LostSegment>& lost, bool zero_points,
                                PairMemo& memo, CheckDetail detail) {
  const Scenario& scenario = variant.scenario;
  const std::optional<size_t> late = late_from(scenario, c);
  const bool keep_passed = detail == CheckDetail::all;
  ConversationResult result;
  auto count_passed = [&](double points, double max_points, size_t checks = 1) {
    result.passed_not_kept += checks;
    result.points_not_kept += points;
    result.max_points_not_kept += max_points;
  };
  auto add_check = [&](CheckResult&& check) {
    if (keep_passed || check.status != CheckStatus::pass)
      result.checks.push_back(std::move(check));
    else
      count_passed(check.points, check.max_points);
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
  // The capture is known to lose frames (a Seq gap shows one, or tcpdump -i any on the
  // loopback): a missing pure ACK, which leaves no gap, is then most likely lost too.
  const bool capture_loses = std::any_of(causes.begin(), causes.end(), [](const RootCause& cause) {
    return cause.id == root_cause::frames_not_captured;
  });
  std::string cut_cause;
  for (const RootCause& cause : causes)
    if (cause.id == root_cause::snap_length) cut_cause = cause.id;

  const std::vector<int> copies = frame_copies(scenario, alignment);
  const std::vector<bool> voided = voided_frames(variant, c, alignment, lost, memo);
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
      bool noise = (s.analysis_flags & scenario.noise.tolerated_flags) || is_late(late, p.segment);
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
        check.hint = unexpected_frame_hint(s);
        check.root_cause = cause_for_field(causes, check.field);  // a deviation: keep-alive
        check.points = -scenario.scoring.unexpected_frame;  // taken off the score, not the max
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
    if (s && e.block) {  // one block, many rows: its checks once, on the first
      size_t at = static_cast<size_t>(&p - pairs.data());
      row.expected_id = e.id;
      if (starts_block_run(pairs, at)) {
        BlockVerdict v =
            judge_block(*e.block, c, block_run(pairs, at), scenario.noise.tolerated_flags);
        row.note = frame_range_text(v.first_frame, v.last_frame) + ": " + v.note;
        for (CheckResult& check :
             block_check_results(e, v, e.visibility.empty() ? scenario.visibility : e.visibility)) {
          if (check.status != CheckStatus::pass) row.ok = false;
          if (check.status == CheckStatus::unverifiable) check.root_cause = cut_cause;
          if (check.status == CheckStatus::fail)
            check.root_cause = !missing_cause.empty() ? missing_cause
                               : !lost.empty()        ? root_cause::frames_not_captured
                                                      : cause_for_field(causes, check.field);
          add_check(std::move(check));
        }
      }
      result.rows.push_back(std::move(row));
      continue;
    }
    const double copy_max = copy_points(e, copies[slot.index]);
    const double earns = voided[slot.index] ? 0 : 1;  // an all_or_nothing frame that failed
    if (s && !keep_passed) {
      // A frame whose every check passes is counted, not written out.
      FrameTally t = memo.tally(variant, slot.index, *s, static_cast<size_t>(p.segment), relations);
      if (t.all_passed()) {
        count_passed(copy_max * earns, copy_max, static_cast<size_t>(1 + t.judged));
        result.rows.push_back(std::move(row));
        continue;
      }
    }
    if (s) judged = judge_frame(e, *s, relations);
    std::vector<std::string_view> fields;
    for (const Judged& j : judged) fields.push_back(j.field);
    const std::vector<double> shares = check_shares(scenario.scoring, e.scoring, copy_max, fields);
    double share = shares.front();
    CheckResult present;
    present.id = "frame." + label + ".present";
    present.name = label + ": present";
    present.expected_id = label;
    present.field = "present";
    present.max_points = share;
    present.teaches = e.teaches;
    present.scenario_hint = scenario_hint(e, "present");
    present.visibility = e.visibility.empty() ? scenario.visibility : e.visibility;
    present.expected =
        e.flags.kind == FlagsMatchKind::any
            ? "a frame"
            : fmt::format("[{}] from the {}", flag_names(e.flags.flags),
                          e.direction == Direction::server_to_client ? "server" : "client");
    if (s) {
      present.status = CheckStatus::pass;
      present.frame = s->frame;
      present.actual = "frame " + std::to_string(s->frame);
      present.points = share * earns;
    } else {
      present.max_points = share = copy_max;  // a missing copy has no other checks
      present.status = CheckStatus::fail;
      present.actual = "missing";
      MissingFrameHint why = missing_frame_hint(e, pairs, static_cast<size_t>(&p - pairs.data()), c,
                                                scenario.noise.tolerated_flags, capture_loses);
      present.hint = std::move(why.text);
      present.root_cause = missing_cause;
      if (why.capture_likely_lost && missing_cause.empty())
        present.root_cause = root_cause::frames_not_captured;
      row.ok = false;
      row.note = "missing";
      row.direction = e.direction.value_or(Direction::client_to_server);
      row.flags = e.flags.flags;
      // The frame the capture lost in this place: one finding, under frames-not-captured; not
      // held against the student under `capture_losses: warn` (the root cause still says it).
      size_t at = static_cast<size_t>(&p - pairs.data());
      if (const LostSegment* l = lost_frame_at(pairs, at, c, e, lost)) {
        present.hint = lost_frame_hint(*l);
        present.root_cause = root_cause::frames_not_captured;
        if (!scenario.capture_losses_fail) {
          present.status = CheckStatus::pass;
          present.actual = "lost by the capture";
          present.points = share * earns;
          row.ok = true;
          row.note = "lost by the capture";
        }
      }
    }
    const std::string visibility = present.visibility;
    add_check(std::move(present));
    for (size_t k = 0; k < judged.size(); ++k) {
      Judged& j = judged[k];
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
      check.scenario_hint = scenario_hint(e, check.field);
      check.visibility = visibility;
      check.max_points = shares[k + 1];
      check.points = check.status == CheckStatus::pass ? shares[k + 1] * earns : 0;
      if (check.status == CheckStatus::unverifiable) check.root_cause = cut_cause;
      // A failed field another machine's settings or another server or client explain.
      if (check.status == CheckStatus::fail)
        check.root_cause = cause_for_field(causes, check.field);
      if (check.status != CheckStatus::pass) row.ok = false;
      add_check(std::move(check));
    }
    result.rows.push_back(std::move(row));
  }

  // An optional frame the capture does not hold earns its points: nothing required is missing.
  for (size_t i = 0; i < scenario.frames.size(); ++i) {
    const ExpectedFrame& e = scenario.frames[i];
    if (copies[i] > 0 || e.points <= 0) continue;
    if (!keep_passed) {
      count_passed(e.points, e.points);
      continue;
    }
    CheckResult absent;
    absent.id = "frame." + e.id + ".present";
    absent.name = e.id + ": present";
    absent.expected_id = e.id;
    absent.field = "present";
    absent.status = CheckStatus::pass;
    absent.expected = "optional";
    absent.actual = "not in the capture (optional)";
    absent.points = absent.max_points = e.points;
    absent.teaches = e.teaches;
    absent.visibility = e.visibility.empty() ? scenario.visibility : e.visibility;
    result.checks.push_back(std::move(absent));
  }

  for (size_t i = 0; i < scenario.streams.size(); ++i) {
    const StreamExpectation& stream = scenario.streams[i];
    const std::string& data = *streams[i].data;
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
    check.scenario_hint = stream.hint;
    check.visibility = stream.visibility.empty() ? scenario.visibility : stream.visibility;
    bool ok = streams[i].ok;
    check.status = ok ? CheckStatus::pass : CheckStatus::fail;
    check.points = ok ? stream.points : 0;
    if (!ok && streams[i].too_complex) {
      // The pattern's cost, not the capture: neither failed nor passed.
      check.status = CheckStatus::unverifiable;
      check.hint = fmt::format(
          "the regex needed more work than its budget allows over these {} bytes (about 32 "
          "steps per byte and pattern character), so the match was stopped: simplify the "
          "pattern (no nested or lookahead repetition) in the scenario",
          data.size());
    } else if (!ok && streams[i].cut && !cut_cause.empty()) {
      // Bytes beyond the snap length were never captured: the data cannot be judged.
      check.status = CheckStatus::unverifiable;
      check.hint = fmt::format(
          "the snap length cut this direction's payload ({} bytes captured): the data was "
          "sent, but what lies beyond the cut cannot be checked",
          data.size());
      check.root_cause = cut_cause;
    } else if (!ok) {
      check.hint = stream_hint(data);
      check.root_cause = missing_cause;
      const LostSegment* l = lost_data(lost, stream.direction);
      if (l && check.root_cause.empty()) {
        check.root_cause = root_cause::frames_not_captured;
        check.hint = "the capture lost part of it: " + lost_segment_text(*l) +
                     " (frames-not-captured); the data was sent, but cannot be checked";
        if (!scenario.capture_losses_fail) {  // `capture_losses: warn`: not held against them
          check.status = CheckStatus::pass;
          check.points = stream.points;
        }
      }
      if (check.root_cause.empty()) check.root_cause = cause_for_field(causes, check.field);
    }
    add_check(std::move(check));
  }
  if (scenario.properties)
    for (CheckResult& check : judge_properties(*scenario.properties, c, scenario.visibility)) {
      if (check.status == CheckStatus::fail) check.root_cause = missing_cause;
      if (check.status == CheckStatus::unverifiable) check.root_cause = cut_cause;
      add_check(std::move(check));
    }
  if (zero_points) {
    for (CheckResult& check : result.checks) check.points = 0;
    result.points_not_kept = 0;
  }
  return result;
}

// Grades every variant and keeps the one that fits the capture best: fewest failed checks,
// then most points, then the first in the file (so ties are deterministic). Variants are
// scored first; only the best is judged in full.
ConversationResult grade_best_variant(const std::vector<ScenarioVariant>& variants,
                                      const CapturedConversation& c,
                                      const std::vector<RootCause>& causes,
                                      const std::vector<LostSegment>& lost, bool zero,
                                      CheckDetail detail) {
  // A capture that stopped mid-connection: what was due after it is missing, not mismatched.
  // Not when a server accepted what the scenario expects refused: the SYN-ACK stands where the
  // RST was due, and the report compares the two.
  auto has = [&](const char* id) {
    return std::any_of(causes.begin(), causes.end(),
                       [&](const RootCause& cause) { return cause.id == id; });
  };
  bool stopped_open = (has(root_cause::not_closed) || has(root_cause::file_cut_short)) &&
                      !has(root_cause::connection_accepted);
  size_t best = 0;
  Score best_score;
  std::optional<Alignment> best_alignment;
  int sources = 0;
  for (const ScenarioVariant& variant : variants)
    for (int from : variant.source) sources = std::max(sources, from + 1);
  PairMemo memo(c.segments.size(), static_cast<size_t>(sources));
  const std::vector<StreamOutcome> streams = stream_outcomes(variants.front().scenario, c);
  for (size_t i = 0; i < variants.size(); ++i) {
    // Once a variant fails nothing, a later one wins only with more points than it gives: one
    // that cannot reach them is not aligned at all.
    if (best_alignment && best_score.failed == 0 &&
        (zero || variants[i].max_points <= best_score.points + 1e-9))
      continue;
    Alignment alignment = align_conversation(variants[i], c, memo, lost, stopped_open);
    Score score = score_conversation(variants[i], c, alignment, streams, lost, zero, memo);
    if (!best_alignment || score.failed < best_score.failed ||
        (score.failed == best_score.failed && score.points > best_score.points + 1e-9)) {
      best = i;
      best_score = score;
      best_alignment = std::move(alignment);
    }
  }
  ConversationResult result =
      build_result(variants[best], c, *best_alignment, streams, causes, lost, zero, memo, detail);
  result.variants = variants[best].chosen;
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

ConversationResult grade_conversation(const Scenario& scenario,
                                      const std::vector<ScenarioVariant>& variants,
                                      const CapturedConversation& c, const CaptureContents& capture,
                                      const RootCause* wrong_port, std::vector<RootCause>& causes,
                                      CheckDetail detail) {
  causes = diagnose_conversation(c, capture, scenario);
  if (wrong_port) causes.insert(causes.begin(), *wrong_port);
  std::optional<RootCause> accepted = connection_accepted_cause(scenario, c);
  if (accepted) causes.insert(causes.begin() + (wrong_port ? 1 : 0), *accepted);
  bool zero = wrong_port || (scenario.handshake_prerequisite && !has_handshake(c) &&
                             (!scenario.frames.empty() || !scenario.choices.empty()));
  // Frames the capture lost: the segments after them are judged as they were on the wire.
  std::vector<LostSegment> lost = find_lost_segments(c);
  std::optional<CapturedConversation> as_sent;
  if (!lost.empty()) account_for_lost(as_sent.emplace(c), lost);
  ConversationResult result =
      grade_best_variant(variants, as_sent ? *as_sent : c, causes, lost, zero, detail);
  if (wrong_port) {
    // Zero points alone would still read as a pass: the mismatch itself is a failed check.
    CheckResult match;
    bool family = wrong_port->id == root_cause::wrong_family;
    match.id = family ? "conversation.family" : "conversation.server-port";
    match.name = "the graded connection";
    match.status = CheckStatus::fail;
    match.field = family ? "family" : "server_port";
    match.expected =
        scenario.conversation.server_port && !family
            ? fmt::format("a connection to server port {}", *scenario.conversation.server_port)
            : fmt::format("a connection over IPv{}", scenario.conversation.family);
    match.actual = conversation_line(c);
    match.hint = family ? fmt::format(
                              "the client connected over IPv{}: it was given the other "
                              "loopback address than the lab's",
                              c.summary.client.address.family)
                        : server_port_hint(scenario);
    match.root_cause = wrong_port->id;
    result.checks.insert(result.checks.begin(), match);
  }
  if (accepted)  // every failure of a refusal lab follows from the accepted connection
    for (CheckResult& check : result.checks)
      if (check.status != CheckStatus::pass && check.root_cause.empty())
        check.root_cause = root_cause::connection_accepted;
  drop_unneeded_deviations(causes, result.checks);  // only those that explain a failure
  // Causes that only matter when a check not passed points at them: a capture stopped after
  // what the scenario wanted, a refused connection the scenario expects (a refused lab that
  // passes). A snap length is judged once the claims are (capture_grader).
  std::erase_if(causes, [&](const RootCause& cause) {
    // frames-not-captured without a Seq gap: only the capture tool suggests losses (-i any).
    bool conditional = cause.id == root_cause::not_closed ||
                       cause.id == root_cause::connection_refused ||
                       (cause.id == root_cause::frames_not_captured && lost.empty());
    return conditional &&
           std::none_of(result.checks.begin(), result.checks.end(), [&](const CheckResult& check) {
             return check.status != CheckStatus::pass && check.root_cause == cause.id;
           });
  });
  return result;
}

}  // namespace tcpgrade
