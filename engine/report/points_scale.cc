#include "report/points_scale.h"

namespace tcpgrade {

void scale_points(Report& report, double max_points) {
  if (report.max_points <= 0) return;
  const double factor = max_points / report.max_points;
  auto scale = [factor](CheckResult& check) {
    check.points *= factor;
    check.max_points *= factor;
  };
  for (ConversationResult& c : report.conversations) {
    for (CheckResult& check : c.checks) scale(check);
    c.points_not_kept *= factor;
    c.max_points_not_kept *= factor;
    c.points_left_out *= factor;
    c.max_points_left_out *= factor;
  }
  for (CheckResult& claim : report.claims) scale(claim);
  report.points *= factor;
  report.max_points = max_points;
}

}  // namespace tcpgrade
