// A class's statistics, counting every row: a submission that could not be graded and a
// roster student who handed nothing in both count as 0 points, so the mean is what the
// gradebook's rows add up to, and the summary says how many such rows it holds.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tcpgrade {

struct GradeRow;

struct ClassSummary {
  size_t passed = 0, failed = 0;
  size_t errors = 0;              // could not be graded (status error): counted as 0
  size_t missing = 0;             // nothing handed in (status missing): counted as 0
  double max = 0;                 // the scenario's points: the same in every row
  double mean = 0;                // percent, two decimals, over every row
  std::vector<size_t> histogram;  // 10 buckets of the score in percent: 0-9, ..., 90-100
  std::vector<std::pair<std::string, size_t>> common_failures;  // most frequent first
};

ClassSummary summarize(const std::vector<GradeRow>& rows);

// The row's score in percent of its maximum, 0 to 100 (0 when the maximum is 0).
double row_percent(const GradeRow& row);

// "mean 71.3 % over 20 submissions, 3 ungradable counted as 0, 2 missing counted as 0".
std::string mean_sentence(const ClassSummary& summary, size_t rows);

}  // namespace tcpgrade
