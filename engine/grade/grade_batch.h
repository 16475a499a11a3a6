// The batch of `tcpgrade grade`: one child process per submission (grade_child.h), `jobs` at
// once. The parent polls the children's result pipes, so a finished child's slot is refilled
// at once; a child past --timeout is killed and gets an error row; SIGINT or SIGTERM stops the
// batch. Every child the batch stops is killed and its half-written reports removed.
#pragma once

#include <filesystem>
#include <vector>

#include "check/capture_grader.h"
#include "grade/gradebook.h"
#include "check/grading_limits.h"
#include "scenario/scenario.h"
#include "grade/submissions.h"

namespace tcpgrade {

struct BatchPlan {
  const Scenario& scenario;
  const std::vector<ScenarioVariant>& variants;  // worked out once, before the children fork
  const std::vector<Submission>& submissions;
  std::filesystem::path reports;  // reports/ID.{txt,json,html} go here
  unsigned jobs = 1;
  double timeout = 30;         // seconds per submission, then SIGKILL
  const GradingLimits& limits;  // handed to each child
};

struct BatchOutcome {
  std::vector<GradeRow> rows;  // one per submission, in order; all filled unless interrupted
  size_t done = 0;
  int interrupted_by = 0;  // SIGINT or SIGTERM: the batch stopped early
};

// Throws when the batch cannot go on (a report cannot be written: a full disk), naming the file.
BatchOutcome run_batch(const BatchPlan& plan);

}  // namespace tcpgrade
