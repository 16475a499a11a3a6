#include "grade/gradebook_stats.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "grade/gradebook.h"
#include "report/report.h"

namespace tcpgrade {

double row_percent(const GradeRow& row) {
  if (row.max <= 0) return 0;
  return std::clamp(100 * row.score / row.max, 0.0, 100.0);
}

ClassSummary summarize(const std::vector<GradeRow>& rows) {
  ClassSummary summary;
  summary.histogram.assign(10, 0);
  std::map<std::string, size_t> failures;
  double total = 0;
  for (const GradeRow& row : rows) {
    if (row.status == "pass")
      ++summary.passed;
    else if (row.status == "fail")
      ++summary.failed;
    else if (row.status == "missing")
      ++summary.missing;
    else
      ++summary.errors;
    summary.max = std::max(summary.max, row.max);
    // Error and missing rows hold 0 points: they count, as the CSV and the histogram show.
    double percent = row_percent(row);
    summary.histogram[std::min<size_t>(9, static_cast<size_t>(percent / 10))]++;
    total += percent;
    for (const std::string& id : row.failed_checks) ++failures[id];
  }
  summary.mean = rows.empty() ? 0 : std::round(total / rows.size() * 100) / 100;
  summary.common_failures.assign(failures.begin(), failures.end());
  std::stable_sort(summary.common_failures.begin(), summary.common_failures.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (summary.common_failures.size() > 20) summary.common_failures.resize(20);
  return summary;
}

std::string mean_sentence(const ClassSummary& summary, size_t rows) {
  return fmt::format(
      "mean {} % over {} submissions, {} ungradable counted as 0, {} missing "
      "counted as 0",
      format_points(summary.mean), rows, summary.errors, summary.missing);
}

}  // namespace tcpgrade
