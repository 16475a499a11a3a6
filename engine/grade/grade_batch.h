// The batch of `tcpgrade grade`: one child process per submission (grade_child.h), `jobs` at
// once. The parent polls the children's result pipes, so a finished child's slot is refilled
// at once; a child past --timeout is killed and gets an error row; SIGINT or SIGTERM stops the
// batch. Every child the batch stops is killed and its half-written reports removed. Each
// submission is opened by the parent just before its child forks (open_submission: no symlink
// followed) and the child reads that descriptor, never the path, so what is graded is what was
// listed; the parent closes its copy at once, so descriptors do not pile up over a class.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "check/capture_grader.h"
#include "check/grading_limits.h"
#include "grade/gradebook.h"
#include "grade/submissions.h"
#include "scenario/scenario.h"

namespace tcpgrade {

// One student's own lab (a scenario with params: graded with the student's values).
struct StudentLab {
  Scenario scenario;
  std::vector<ScenarioVariant> variants;
};

// Which students' labs listen on each server port: a capture of another student's variant
// is named as such.
using PortOwners = std::map<uint16_t, std::vector<std::string>>;

struct BatchPlan {
  const Scenario& scenario;
  const std::vector<ScenarioVariant>& variants;  // worked out once, before the children fork
  const std::vector<Submission>& submissions;
  std::filesystem::path reports;  // reports/ID.{txt,json,html} go here
  unsigned jobs = 1;
  double timeout = 30;                // seconds per submission, then SIGKILL
  const GradingLimits& limits;        // handed to each child
  SubmissionLimits files;             // checked again on the file each child is handed
  size_t max_report_bytes = 4 << 20;  // each report file per student (report_cap.h)
  bool brief = false;                 // text reports without the scenario's teaches: sentences
  // Lab variants (`grade --variant-secret`): each student's lab, loaded just before their child
  // starts (throws: an error row naming why), and the ports of every student's lab.
  std::function<StudentLab(const Submission&)> student_lab{};
  const PortOwners* port_owners = nullptr;
  // Write-ups (grade --writeups): each submission's write-up reviewed in a child of its own;
  // every row gets write-up cells (`missing` without one).
  bool writeups = false;
};

struct BatchOutcome {
  std::vector<GradeRow> rows;  // one per submission, in order; all filled unless interrupted
  size_t done = 0;
  int interrupted_by = 0;  // SIGINT or SIGTERM: the batch stopped early
};

// Throws when the batch cannot go on (a report cannot be written: a full disk), naming the file.
BatchOutcome run_batch(const BatchPlan& plan);

}  // namespace tcpgrade
