// How an expected frame's points are shared among its checks, so that the maximum is fixed by
// the scenario, never by the capture (scenarios/README.md, "Scoring"):
// - a frame scores its points once: the copies of a repeated frame share them equally (each
//   copy the capture holds, and each required copy it lacks, one share);
// - within a copy, the points go to its checks (present first, then each judged field) by
//   weight: the frame's `weights:`, else the scenario's `scoring.weights`, else 1;
// - an `all_or_nothing` frame earns nothing when any check of any copy is not passed.
#pragma once

#include <string_view>
#include <vector>

#include "scenario/scenario.h"

namespace tcpgrade {

// The weight of a check on `field` ("flags", "options.mss", "present"): every options.* check
// takes the weight of "options".
double check_weight(const ScoringPolicy& policy, const PointRule& rule, std::string_view field);

// True when no weight is given anywhere: every check of a copy weighs the same.
bool uniform_weights(const ScoringPolicy& policy, const PointRule& rule);

// The points of each check of one copy worth `copy_points`: the present check, then one per
// field of `fields`, in that order. Weights that are all zero give everything to present.
std::vector<double> check_shares(const ScoringPolicy& policy, const PointRule& rule,
                                 double copy_points, const std::vector<std::string_view>& fields);

// The instructor's hint for a check on `field` of `e`: its field's (options.* take "options"),
// else the frame's.
const std::string& scenario_hint(const ExpectedFrame& e, std::string_view field);

// One copy's share of a frame seen `copies` times (0: an optional frame absent, 1 share).
inline double copy_points(const ExpectedFrame& e, int copies) {
  return e.points / static_cast<double>(copies > 0 ? copies : 1);
}

}  // namespace tcpgrade
