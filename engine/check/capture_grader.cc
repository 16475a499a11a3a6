#include "check/capture_grader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "analysis/capture_pipeline.h"
#include "capture/capture_reader.h"
#include "check/claim_judge.h"
#include "check/conversation_properties.h"
#include "check/root_causes.h"

namespace tcpgrade {
namespace {

// Whether the first FIN of the connection is the server's.
// Whether the server ended the connection after its response: its FIN came first, or its
// response said it would (HTTP/1.0 without keep-alive, or Connection: close), whoever's FIN
// then won the race.
bool server_closed_first(const CapturedConversation& c) {
  for (const CapturedSegment& s : c.segments)
    if (s.flags & tcp_flag::fin) {
      if (s.direction == Direction::server_to_client) return true;
      break;
    }
  std::string head = reassembled_payload(c, Direction::server_to_client, 4096);
  head = head.substr(0, head.find("\r\n\r\n"));
  std::string lower;
  for (char ch : head) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  bool http10 = lower.rfind("http/1.0 ", 0) == 0;
  return (http10 && lower.find("\r\nconnection: keep-alive") == std::string::npos) ||
         lower.find("\r\nconnection: close") != std::string::npos;
}

// Whether the driver holds on to a conversation it was handed.
enum class Kept : uint8_t {
  no,
  // A candidate of `select: first|best`, or the stand-in graded at zero when nothing matches:
  // the feeder keeps it alive, at the same address, until finish() or until held() says the
  // driver let go of it.
  until_finish,
};

class CaptureGrader {
 public:
  // An empty `sink` keeps the graded conversations in the report.
  CaptureGrader(const Scenario& scenario, const std::vector<ScenarioVariant>& variants,
                CheckDetail detail, const ConversationSink* sink)
      : scenario_(scenario), variants_(variants), detail_(detail), sink_(sink) {}

  // A conversation the capture is done with, in any order. `capture`: what grading needs of
  // the capture so far (path, snap length, warning).
  Kept add(CapturedConversation& c, const CaptureContents& capture) {
    context_ = &capture;
    if (!select_conversation(scenario_, c)) {
      if (c.segments.empty()) return Kept::no;
      unmatched_.push_back({c.summary.stream, conversation_line(c)});
      if (matched_ || (stand_in_ && stand_in_->summary.stream < c.summary.stream)) return Kept::no;
      stand_in_ = &c;
      return Kept::until_finish;
    }
    matched_ = true;
    stand_in_ = nullptr;
    Selection select = scenario_.conversation.select;
    if (select == Selection::first || select == Selection::best) {
      candidates_.push_back(&c);
      return Kept::until_finish;
    }
    grade(c, capture, nullptr);
    return Kept::no;
  }

  // Whether the driver still holds `c` (the streaming feeder frees a stand-in let go).
  bool held(const CapturedConversation* c) const {
    return c == stand_in_ ||
           std::find(candidates_.begin(), candidates_.end(), c) != candidates_.end();
  }

  // Once the capture has been read: `capture` holds its path, frame counts and warning (and,
  // when read whole, its conversations, for the claims). Conversations held until now are
  // graded with what add() was told of the capture.
  Report finish(const CaptureContents& capture) {
    if (capture.tcp_frames == 0)
      throw CaptureError(
          fmt::format("{}: no TCP segments in its {} frame{}: not a capture of a TCP connection",
                      capture.path, capture.frames, capture.frames == 1 ? "" : "s"));
    report_.scenario = scenario_.name;
    report_.scenario_title = scenario_.title;
    report_.scenario_file = scenario_.where.file;
    report_.capture_file = capture.path;
    report_.capture_frames = capture.frames;
    if (capture.warning) report_.warnings.push_back(*capture.warning);
    if (capture.dropped && *capture.dropped > 0)
      report_.warnings.push_back(
          fmt::format("the capture file records {} packet{} dropped while capturing (its interface "
                      "statistics): frames of the exchange may be missing",
                      *capture.dropped, *capture.dropped == 1 ? "" : "s"));

    std::vector<std::string> unmatched = unmatched_lines();
    std::optional<RootCause> several;
    if (!candidates_.empty()) {
      several = grade_chosen_candidate(*context_);
    } else if (!matched_ && stand_in_) {
      // Grade what is there, so the student still sees every frame explained, but at zero.
      report_.root_causes.push_back(wrong_port_cause(scenario_, unmatched, *stand_in_));
      RootCause wrong_port = report_.root_causes.front();
      grade(*stand_in_, *context_, &wrong_port);
    }
    if (matched_) {
      // Each listed once (a set, not a search of the list: captures may hold many thousands).
      std::unordered_set<std::string> listed(report_.other_conversations.begin(),
                                             report_.other_conversations.end());
      for (std::string& line : unmatched)
        if (listed.insert(line).second) report_.other_conversations.push_back(std::move(line));
    }
    add_connections_check(several ? several->id : "");
    add_root_causes();
    if (several) report_.root_causes.push_back(std::move(*several));
    apply_root_cause_texts(scenario_, report_.root_causes);
    report_.claims = judge_claims(scenario_, capture, report_.root_causes);
    drop_unexplaining_snap_length();
    for (const CheckResult& claim : report_.claims) {
      report_.points += claim.points;
      report_.max_points += claim.max_points;
    }
    // Shares of a frame's points are thirds and sevenths: keep the sums free of float dust.
    report_.points = std::round(report_.points * 1e6) / 1e6;
    report_.max_points = std::round(report_.max_points * 1e6) / 1e6;
    return std::move(report_);
  }

 private:
  // A snap length that cut nothing the scenario checks (no check or claim not passed points at
  // it) is no root cause: a capture made with -s 96 for a scenario of headers only passes.
  void drop_unexplaining_snap_length() {
    if (report_.streamed_conversations > 0) return;  // their checks were handed on
    auto explains = [](const CheckResult& check) {
      return check.status != CheckStatus::pass && check.root_cause == root_cause::snap_length;
    };
    bool needed = std::any_of(report_.claims.begin(), report_.claims.end(), explains);
    for (const ConversationResult& c : report_.conversations)
      needed = needed || std::any_of(c.checks.begin(), c.checks.end(), explains) ||
               c.failed_checks_left_out > 0;
    if (!needed)
      std::erase_if(report_.root_causes,
                    [](const RootCause& cause) { return cause.id == root_cause::snap_length; });
  }

  struct Found {
    uint32_t stream;
    size_t index;
    RootCause cause;
  };
  struct Listed {
    uint32_t stream;
    std::string line;
  };

  void grade(const CapturedConversation& c, const CaptureContents& capture,
             const RootCause* wrong_port) {
    std::vector<RootCause> causes;
    ConversationResult result =
        grade_conversation(scenario_, variants_, c, capture, wrong_port, causes, detail_);
    uint32_t stream = c.summary.stream;
    for (size_t i = 0; i < causes.size(); ++i) {
      auto [found, fresh] = first_cause_.try_emplace(causes[i].id, Found{stream, i, causes[i]});
      if (!fresh && stream < found->second.stream) found->second = {stream, i, causes[i]};
    }
    double points = result.points_not_kept;
    for (const CheckResult& check : result.checks) {
      points += check.points;
      report_.max_points += check.max_points;
    }
    // Unexpected frames take points off (negative checks), never below zero.
    report_.points += std::max(points, 0.0);
    report_.max_points += result.max_points_not_kept;
    if (!sink_) {
      report_.conversations.push_back(std::move(result));
      return;
    }
    for (const CheckResult& check : result.checks)
      report_.streamed_failed_checks += check.status != CheckStatus::pass;
    ++report_.streamed_conversations;
    (*sink_)(std::move(result));
  }

  // `select: first|best` with several candidates: grades the first, or the one that fits best
  // (fewest failed checks, then most points, then the earliest), and lists the others. Returns
  // the root cause the others make: repeated runs of the client, or other traffic.
  std::optional<RootCause> grade_chosen_candidate(const CaptureContents& capture) {
    std::vector<CapturedConversation*>& chosen = candidates_;
    std::stable_sort(chosen.begin(), chosen.end(),
                     [](auto* a, auto* b) { return a->summary.stream < b->summary.stream; });
    Selection select = scenario_.conversation.select;
    bool several = chosen.size() > 1;
    if (several && select == Selection::best) {
      std::vector<std::pair<size_t, double>> fit;  // failed checks, points
      for (CapturedConversation* c : chosen) {
        std::vector<RootCause> causes;
        ConversationResult trial =
            grade_conversation(scenario_, variants_, *c, capture, nullptr, causes);
        std::pair<size_t, double> f{0, 0.0};
        for (const CheckResult& check : trial.checks) {
          f.first += check.status != CheckStatus::pass;
          f.second += std::max(check.points, 0.0);  // as the variants: penalties aside
        }
        fit.push_back(f);
      }
      size_t best = 0;
      for (size_t i = 1; i < chosen.size(); ++i)
        if (fit[i].first < fit[best].first ||
            (fit[i].first == fit[best].first && fit[i].second > fit[best].second + 1e-9))
          best = i;
      auto at = chosen.begin() + static_cast<long>(best);
      std::rotate(chosen.begin(), at, at + 1);
    }
    // Other connections to the graded server's port are repeated runs of the client;
    // connections to other ports are traffic the capture should have filtered out.
    bool repeated_runs = false;
    uint16_t port = chosen[0]->summary.server.port;
    for (size_t i = 1; i < chosen.size(); ++i) {
      repeated_runs = repeated_runs || chosen[i]->summary.server.port == port;
      report_.other_conversations.push_back(conversation_line(*chosen[i]));
    }
    grade(*chosen[0], capture, nullptr);
    if (!several) return std::nullopt;
    bool server_closed_each = true;  // each connection ended by the server's FIN first
    for (const CapturedConversation* c : chosen)
      server_closed_each = server_closed_each && server_closed_first(*c);
    return repeated_runs ? several_connections_cause(select == Selection::best, scenario_, port,
                                                     server_closed_each)
                         : other_traffic_cause(chosen[0]->summary.stream, port);
  }

  // `properties: {connections: N}`: the connections to the scenario's server the capture
  // holds (every candidate; none when a stand-in on another port was graded). A property of
  // the capture, so judged here, beside the graded conversation's checks.
  // `several`: the root cause the other connections make, if any.
  void add_connections_check(const std::string& several) {
    const ConversationProperties* p = scenario_.properties.get();
    if (!p || !p->connections.constrains() || report_.conversations.empty()) return;
    CheckResult check = judge_connections(*p, candidates_.size(), scenario_.visibility);
    if (check.status != CheckStatus::pass) check.root_cause = several;
    ConversationResult& graded = report_.conversations.front();
    report_.points += check.points;
    report_.max_points += check.max_points;
    if (detail_ == CheckDetail::failures && check.status == CheckStatus::pass) {
      ++graded.passed_not_kept;
      graded.points_not_kept += check.points;
      graded.max_points_not_kept += check.max_points;
      return;
    }
    graded.checks.push_back(std::move(check));
  }

  // The lines of the conversations not graded, in stream order.
  std::vector<std::string> unmatched_lines() {
    std::stable_sort(unmatched_.begin(), unmatched_.end(),
                     [](const Listed& a, const Listed& b) { return a.stream < b.stream; });
    std::vector<std::string> lines;
    for (Listed& listed : unmatched_) lines.push_back(std::move(listed.line));
    return lines;
  }

  // The first conversation (in stream order) that shows a cause gives its text and its place.
  void add_root_causes() {
    std::vector<Found> causes;
    for (auto& [id, found] : first_cause_) causes.push_back(std::move(found));
    std::sort(causes.begin(), causes.end(), [](const Found& a, const Found& b) {
      return a.stream != b.stream ? a.stream < b.stream : a.index < b.index;
    });
    for (Found& found : causes) {
      bool known = false;
      for (const RootCause& seen : report_.root_causes) known = known || seen.id == found.cause.id;
      if (!known) report_.root_causes.push_back(std::move(found.cause));
    }
  }

  const Scenario& scenario_;
  const std::vector<ScenarioVariant>& variants_;
  const CheckDetail detail_;
  const ConversationSink* sink_;
  Report report_;
  bool matched_ = false;
  const CaptureContents* context_ = nullptr;  // what add() was last told of the capture
  CapturedConversation* stand_in_ = nullptr;
  std::vector<CapturedConversation*> candidates_;
  std::vector<Listed> unmatched_;
  std::unordered_map<std::string, Found> first_cause_;
};

// Segments that came after their conversation closed, in a streaming check: the report's
// notes name the first few conversations that had any, with a count for the rest.
class LateSegments {
 public:
  void add(const ConversationSummary& late) {
    ++segments_;
    for (Listed& listed : listed_) {
      if (listed.stream != late.stream) continue;
      ++listed.segments;
      return;
    }
    if (listed_.size() < max_listed) {
      listed_.push_back({late.stream, late.first_frame, 1});
    } else if (late.stream != last_unlisted_stream_) {
      ++unlisted_conversations_;
      last_unlisted_stream_ = late.stream;
    }
  }

  void add_notes(Report& report) const {
    for (const Listed& listed : listed_)
      report.notes.push_back(fmt::format(
          "TCP stream {}: {} segment{} after the connection closed, from frame {} (a late "
          "retransmission or ACK that crossed the close, or the RST it draws): not graded",
          listed.stream, listed.segments, listed.segments == 1 ? "" : "s", listed.first_frame));
    if (unlisted_conversations_ > 0)
      report.notes.push_back(fmt::format(
          "{} more segment{} after the close in other connections: not graded",
          segments_ - listed_segments(), segments_ - listed_segments() == 1 ? "" : "s"));
  }

 private:
  static constexpr size_t max_listed = 10;
  struct Listed {
    uint32_t stream;
    uint64_t first_frame;
    uint64_t segments;
  };
  uint64_t listed_segments() const {
    uint64_t total = 0;
    for (const Listed& listed : listed_) total += listed.segments;
    return total;
  }
  std::vector<Listed> listed_;
  uint64_t segments_ = 0;
  uint64_t unlisted_conversations_ = 0;
  uint32_t last_unlisted_stream_ = UINT32_MAX;
};

}  // namespace

Report check_capture(const Scenario& scenario, CaptureContents contents) {
  return check_capture(scenario, scenario_variants(scenario), std::move(contents));
}

Report check_capture(const Scenario& scenario, const std::vector<ScenarioVariant>& variants,
                     CaptureContents contents) {
  // The contents outlive the driver's use of them: nothing to keep apart.
  CaptureGrader grader(scenario, variants, CheckDetail::all, nullptr);
  if (contents.tcp_frames > 0)
    for (CapturedConversation& c : contents.conversations) grader.add(c, contents);
  return grader.finish(contents);
}

bool can_check_streaming(const Scenario& scenario) {
  Selection select = scenario.conversation.select;
  return (select == Selection::each || select == Selection::all) && scenario.claims.empty();
}

Report check_capture_streaming(const Scenario& scenario, const std::string& path,
                               const CaptureLimits& limits, const ConversationSink& on_conversation,
                               CheckDetail detail) {
  return check_capture_streaming(scenario, scenario_variants(scenario), path, limits,
                                 on_conversation, detail);
}

Report check_capture_streaming(const Scenario& scenario,
                               const std::vector<ScenarioVariant>& variants,
                               const std::string& path, const CaptureLimits& limits,
                               const ConversationSink& on_conversation, CheckDetail detail,
                               const StreamsDoneSink* on_streams_done) {
  std::vector<ConversationSummary> finished;
  ConversationTrackerOptions tracking;
  tracking.on_finished = [&finished](const ConversationSummary& summary) {
    finished.push_back(summary);
  };
  // A segment after its conversation closed (and was graded): a late retransmission or ACK
  // that crossed the close, or the RST it draws. Not graded; a note names it.
  std::optional<ConversationSummary> late;
  LateSegments late_segments;
  tracking.on_late = [&late](const ConversationSummary& summary) { late = summary; };
  CapturePipeline pipeline(path, limits, std::move(tracking));
  CaptureContents capture;  // what grading needs of the whole capture: path, snap length
  capture.path = path;
  capture.snap_length = pipeline.reader().snap_length();
  capture.link_type = pipeline.reader().link_type();

  CaptureGrader grader(scenario, variants, detail, &on_conversation);
  struct Open {
    CapturedConversation conversation;
    ConversationProgress progress;
  };
  std::unordered_map<uint32_t, Open> open;
  // The one conversation the driver may hold: the stand-in graded when nothing matches.
  std::unique_ptr<CapturedConversation> stand_in;

  auto hand_over_finished = [&] {
    for (ConversationSummary& summary : finished) {
      auto it = open.find(summary.stream);
      if (it == open.end()) continue;
      auto c = std::make_unique<CapturedConversation>(std::move(it->second.conversation));
      open.erase(it);
      c->summary = std::move(summary);
      if (grader.add(*c, capture) == Kept::until_finish) stand_in = std::move(c);
      if (stand_in && !grader.held(stand_in.get())) stand_in.reset();
    }
    finished.clear();
  };

  DecodedFrame frame;
  std::optional<FrameAnalysis> analysis;
  uint32_t lowest_unfinished = 0;
  while (pipeline.next(frame, analysis)) {
    if (late) {
      late_segments.add(*late);
      late.reset();
    } else if (analysis) {
      Open& conversation = open[analysis->stream];
      append_segment(path, conversation.conversation, conversation.progress, frame, *analysis,
                     limits);
    }
    // A conversation is finished by the frame that closes it: it holds all its frames now.
    hand_over_finished();
    if (on_streams_done) {
      const uint32_t lowest = pipeline.tracker().lowest_unfinished_stream();
      if (lowest != lowest_unfinished) (*on_streams_done)(lowest_unfinished = lowest);
    }
  }
  pipeline.tracker().finish();
  CaptureContents facts;
  facts.path = path;
  facts.frames = pipeline.frames();
  facts.tcp_frames = pipeline.tcp_frames();
  if (facts.tcp_frames == 0) return grader.finish(facts);  // throws: nothing to grade
  hand_over_finished();
  facts.snap_length = capture.snap_length;
  facts.link_type = capture.link_type;
  facts.warning = pipeline.reader().warning();
  facts.dropped = pipeline.reader().dropped();
  Report report = grader.finish(facts);
  late_segments.add_notes(report);
  return report;
}

}  // namespace tcpgrade
