#include "check/walkthrough_annotation.h"

#include <fmt/format.h>

#include <map>
#include <utility>

#include "check/capture_grader.h"

namespace tcpgrade {
namespace {

struct ScenarioFrame {
  std::string id, teaches;
};

// The scenario's frame for each captured frame of `graded`, as the alignment paired them.
std::map<uint64_t, ScenarioFrame> paired_frames(const ConversationResult& graded) {
  std::map<std::string, std::string> teaches;  // by expected id, from the presence checks
  for (const CheckResult& check : graded.checks)
    if (check.field == "present" && !check.expected_id.empty())
      teaches.emplace(check.expected_id, check.teaches);
  std::map<uint64_t, ScenarioFrame> paired;
  for (const FrameRow& row : graded.rows)
    if (row.frame && !row.expected_id.empty())
      paired[row.frame] = {row.expected_id, teaches[row.expected_id]};
  return paired;
}

}  // namespace

Walkthrough explain_with_scenario(const Scenario& scenario, const WalkthroughInput& input,
                                  std::optional<uint32_t> stream) {
  Report report = check_capture(scenario, input.contents);
  const ConversationResult* graded = nullptr;
  for (const ConversationResult& c : report.conversations)
    if (!stream || c.stream == *stream) {
      graded = &c;
      break;
    }
  Walkthrough w = build_walkthrough(input, stream   ? stream
                                           : graded ? std::optional(graded->stream)
                                                    : std::nullopt);
  w.scenario = scenario.title.empty() ? scenario.name
                                      : fmt::format("{} ({})", scenario.name, scenario.title);
  if (!stream && graded)
    w.chosen =
        fmt::format("stream {}, the one the scenario grades; --stream N picks another", w.stream);
  if (!graded) {
    w.scenario_notes.push_back(fmt::format(
        "the scenario does not grade stream {}: its packets keep their own titles", w.stream));
    return w;
  }
  for (const std::string& variant : graded->variants)
    w.scenario_notes.push_back(fmt::format("`tcpgrade check` grades it as: {}", variant));
  for (const RootCause& cause : report.root_causes)
    w.scenario_notes.push_back(fmt::format("`tcpgrade check` finds: {}", cause.title));
  const std::map<uint64_t, ScenarioFrame> paired = paired_frames(*graded);
  for (WalkthroughPacket& packet : w.packets) {
    auto it = paired.find(packet.frame);
    if (it == paired.end()) {
      packet.bullets.push_back("Scenario: no expected frame is paired with this one");
      continue;
    }
    packet.scenario_id = it->second.id;
    packet.teaches = it->second.teaches;
  }
  for (const FrameRow& row : graded->rows)
    if (!row.frame && !row.expected_id.empty())
      w.scenario_notes.push_back(fmt::format("the scenario's frame `{}` is not in the capture ({})",
                                             row.expected_id,
                                             row.note.empty() ? "missing" : row.note));
  return w;
}

}  // namespace tcpgrade
