#include "check/scenario_variants.h"

#include <map>
#include <set>
#include <utility>

#include "check/field_judge.h"
#include "scenario/scenario_properties.h"

namespace tcpgrade {
namespace {

// The most points a variant can give: every frame's (once, however many copies), stream's and
// property's.
double variant_max_points(const Scenario& scenario) {
  double points = 0;
  for (const ExpectedFrame& frame : scenario.frames) points += frame.points;
  for (const StreamExpectation& stream : scenario.streams) points += stream.points;
  if (const ConversationProperties* p = scenario.properties.get())  // connections: the capture's
    points += p->max_points() - (p->connections.constrains() ? p->points : 0);
  return points;
}

}  // namespace

std::vector<ScenarioVariant> scenario_variants(const Scenario& scenario) {
  std::vector<ScenarioVariant> variants;
  // A frame's place in the scenario file tells which variants share it; a scenario built
  // without places (or with two frames at one place) gets no sharing.
  std::map<std::pair<int, int>, int> sources;
  bool places_known = true;
  for (FrameListVariant& frames : frame_list_variants(scenario)) {
    ScenarioVariant variant{scenario, std::move(frames.chosen), {}, false, {}, 0};
    variant.scenario.frames = std::move(frames.frames);
    variant.scenario.choices.clear();
    for (const ExpectedFrame& frame : variant.scenario.frames)
      variant.refers_to_frames = variant.refers_to_frames || refers_to_frames(frame);
    variant.slots = unroll_repeats(variant.scenario);
    variant.max_points = variant_max_points(variant.scenario);
    std::set<std::pair<int, int>> seen;
    for (const ExpectedFrame& frame : variant.scenario.frames) {
      std::pair<int, int> place{frame.where.line, frame.where.column};
      if (frame.where.line <= 0 || !seen.insert(place).second) places_known = false;
      variant.source.push_back(
          sources.try_emplace(place, static_cast<int>(sources.size())).first->second);
    }
    variants.push_back(std::move(variant));
  }
  if (!places_known)
    for (ScenarioVariant& variant : variants) variant.source.assign(variant.source.size(), -1);
  return variants;
}

}  // namespace tcpgrade
