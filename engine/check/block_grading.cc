#include "check/block_grading.h"

#include <fmt/format.h>

namespace tcpgrade {

bool starts_block_run(const std::vector<AlignedPair>& pairs, size_t at) {
  return at == 0 || pairs[at - 1].slot != pairs[at].slot;
}

std::vector<size_t> block_run(const std::vector<AlignedPair>& pairs, size_t at) {
  std::vector<size_t> run;
  for (size_t k = at; k < pairs.size() && pairs[k].slot == pairs[at].slot; ++k)
    if (pairs[k].segment >= 0) run.push_back(static_cast<size_t>(pairs[k].segment));
  return run;
}

std::vector<CheckResult> block_check_results(const ExpectedFrame& e, const BlockVerdict& v,
                                             const std::string& visibility) {
  std::vector<CheckResult> checks;
  const double share = v.checks.empty() ? 0 : e.points / static_cast<double>(v.checks.size());
  const std::string range = frame_range_text(v.first_frame, v.last_frame);
  for (const BlockCheck& b : v.checks) {
    CheckResult& check = checks.emplace_back();
    check.id = fmt::format("block.{}.{}", e.id, b.field);
    check.name = fmt::format("{} ({}): {}", e.id, range, b.field);
    check.status = b.status;
    check.frame = v.first_frame;
    check.expected_id = e.id;
    check.field = b.field;
    check.expected = b.expected;
    check.actual = b.actual;
    check.hint = b.hint;
    check.teaches = e.teaches;
    check.visibility = visibility;
    check.max_points = share;
    check.points = b.status == CheckStatus::pass ? share : 0;
  }
  return checks;
}

BlockScore block_score(const ExpectedFrame& e, const BlockVerdict& v) {
  BlockScore score;
  const double share = v.checks.empty() ? 0 : e.points / static_cast<double>(v.checks.size());
  for (const BlockCheck& b : v.checks) {
    if (b.status == CheckStatus::pass)
      score.points += share;
    else
      ++score.failed;
  }
  return score;
}

}  // namespace tcpgrade
