// A scenario with `either:` blocks is graded once per combination of its alternatives: each
// such combination is a variant, a scenario with a plain frame list. Worked out once per run
// (grade: once for the whole class, before the children fork).
#pragma once

#include <string>
#include <vector>

#include "check/frame_alignment.h"
#include "scenario/scenario.h"

namespace tcpgrade {

struct ScenarioVariant {
  Scenario scenario;
  std::vector<std::string> chosen;  // the alternatives this variant takes, by id
  // Per frame, the scenario frame it was copied from (the same number in every variant that
  // has it), so that pairing costs are worked out once per conversation; -1 when unknown.
  std::vector<int> source;
  // Whether a frame's matcher refers to another frame's field (same_as): its checks then
  // depend on which segments the alignment chose for the others.
  bool refers_to_frames = false;
  std::vector<ExpectedSlot> slots;  // the frames with their repeats unrolled
  double max_points = 0;            // every frame's and stream's points
};

std::vector<ScenarioVariant> scenario_variants(const Scenario& scenario);

}  // namespace tcpgrade
