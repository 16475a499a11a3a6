// A report's points on another scale: an autograder assignment worth 10 points graded by a
// scenario worth 14 (`check --points 10`, tools/autograder/package --points).
#pragma once

#include "report/report.h"

namespace tcpgrade {

// Every score in `report` (its total, each check's, each claim's, what was left out or not
// kept) multiplied by max_points / report.max_points, so they still add up. A report worth 0
// points is left as it is.
void scale_points(Report& report, double max_points);

}  // namespace tcpgrade
