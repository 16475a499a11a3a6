#include "streaming_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "capture_pipeline.h"
#include "check.h"

namespace tcpgrade {
namespace {

// What the report keeps of the capture's conversations once each is graded and freed.
class Tally {
 public:
  explicit Tally(Report& report) : report_(report) {}

  void graded(uint32_t stream, const std::vector<RootCause>& causes,
              const ConversationResult& result) {
    for (size_t i = 0; i < causes.size(); ++i) {
      auto [found, fresh] = first_cause_.try_emplace(causes[i].id, Found{stream, i, causes[i]});
      if (!fresh && stream < found->second.stream) found->second = {stream, i, causes[i]};
    }
    for (const CheckResult& check : result.checks) {
      report_.points += check.points;
      report_.max_points += check.max_points;
      report_.streamed_failed_checks += check.status != CheckStatus::pass;
    }
    report_.points += result.points_not_kept;
    report_.max_points += result.max_points_not_kept;
    ++report_.streamed_conversations;
  }

  void unmatched(uint32_t stream, std::string line) {
    unmatched_.push_back({stream, std::move(line)});
  }

  // The lines of the conversations not graded, in stream order.
  std::vector<std::string> unmatched_lines() {
    std::stable_sort(unmatched_.begin(), unmatched_.end(),
                     [](const Listed& a, const Listed& b) { return a.stream < b.stream; });
    std::vector<std::string> lines;
    for (Listed& listed : unmatched_) lines.push_back(std::move(listed.line));
    return lines;
  }

  // Root causes as check_capture merges them: the first conversation (in stream order) that
  // shows a cause gives its text and its place.
  void add_root_causes() {
    std::vector<Found> causes;
    for (auto& [id, found] : first_cause_) causes.push_back(std::move(found));
    std::sort(causes.begin(), causes.end(), [](const Found& a, const Found& b) {
      return a.stream != b.stream ? a.stream < b.stream : a.index < b.index;
    });
    std::vector<RootCause> ordered;
    for (Found& found : causes) ordered.push_back(std::move(found.cause));
    merge_root_causes(report_.root_causes, ordered);
  }

 private:
  struct Found {
    uint32_t stream;
    size_t index;
    RootCause cause;
  };
  struct Listed {
    uint32_t stream;
    std::string line;
  };
  Report& report_;
  std::unordered_map<std::string, Found> first_cause_;
  std::vector<Listed> unmatched_;
};

}  // namespace

bool can_check_streaming(const Scenario& scenario) {
  Selection select = scenario.conversation.select;
  return (select == Selection::each || select == Selection::all) && scenario.claims.empty();
}

Report check_capture_streaming(const Scenario& scenario, const std::string& path,
                               const CaptureLimits& limits,
                               const std::function<void(ConversationResult&&)>& on_conversation,
                               CheckDetail detail) {
  std::vector<ConversationSummary> finished;
  ConversationTrackerOptions tracking;
  tracking.on_finished = [&finished](const ConversationSummary& summary) {
    finished.push_back(summary);
  };
  CapturePipeline pipeline(path, limits, std::move(tracking));
  CaptureContents capture;  // what grading needs of the whole capture: path, snap length
  capture.path = path;
  capture.snap_length = pipeline.reader().snap_length();

  Report report;
  Tally tally(report);
  const std::vector<ScenarioReading> readings = scenario_readings(scenario);
  struct Open {
    CapturedConversation conversation;
    ConversationProgress progress;
  };
  std::unordered_map<uint32_t, Open> open;
  bool matched = false;
  // Graded at zero when no conversation matches: the first one, as check_capture shows it.
  std::optional<CapturedConversation> first_unmatched;

  auto grade_finished = [&] {
    for (ConversationSummary& summary : finished) {
      auto it = open.find(summary.stream);
      if (it == open.end()) continue;
      CapturedConversation c = std::move(it->second.conversation);
      open.erase(it);
      c.summary = std::move(summary);
      if (!select_conversation(scenario, c)) {
        if (c.segments.empty()) continue;
        tally.unmatched(c.summary.stream, conversation_line(c));
        if (!matched && (!first_unmatched || c.summary.stream < first_unmatched->summary.stream))
          first_unmatched = std::move(c);
        continue;
      }
      matched = true;
      first_unmatched.reset();
      std::vector<RootCause> causes;
      ConversationResult result =
          grade_selected_conversation(scenario, readings, c, capture, nullptr, causes, detail);
      tally.graded(c.summary.stream, causes, result);
      on_conversation(std::move(result));
    }
    finished.clear();
  };

  DecodedFrame frame;
  std::optional<FrameAnalysis> analysis;
  while (pipeline.next(frame, analysis)) {
    // Conversations finished while this frame was read hold all their frames already.
    grade_finished();
    if (!analysis) continue;
    Open& conversation = open[analysis->stream];
    append_segment(path, conversation.conversation, conversation.progress, frame, *analysis,
                   limits);
  }
  pipeline.tracker().finish();
  if (pipeline.tcp_frames() == 0)
    throw CaptureError(
        fmt::format("{}: no TCP segments in its {} frame{}: not a capture of a TCP "
                    "connection",
                    path, pipeline.frames(), pipeline.frames() == 1 ? "" : "s"));
  grade_finished();

  report.scenario = scenario.name;
  report.scenario_title = scenario.title;
  report.scenario_file = scenario.where.file;
  report.capture_file = path;
  report.capture_frames = pipeline.frames();
  if (pipeline.reader().warning()) report.warnings.push_back(*pipeline.reader().warning());

  std::vector<std::string> unmatched = tally.unmatched_lines();
  if (!matched && first_unmatched) {
    // Grade what is there, so the student still sees every frame explained, but at zero.
    report.root_causes.push_back(wrong_port_cause(scenario, unmatched));
    RootCause wrong_port = report.root_causes.front();
    std::vector<RootCause> causes;
    ConversationResult result = grade_selected_conversation(scenario, readings, *first_unmatched,
                                                            capture, &wrong_port, causes, detail);
    tally.graded(first_unmatched->summary.stream, causes, result);
    on_conversation(std::move(result));
  } else {
    std::unordered_set<std::string> listed;
    for (std::string& line : unmatched)
      if (listed.insert(line).second) report.other_conversations.push_back(std::move(line));
  }
  tally.add_root_causes();
  // Shares of a frame's points are thirds and sevenths: keep the sums free of float dust.
  report.points = std::round(report.points * 1e6) / 1e6;
  report.max_points = std::round(report.max_points * 1e6) / 1e6;
  return report;
}

}  // namespace tcpgrade
