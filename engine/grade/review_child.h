// The work of one write-up's child process (grade with write-ups, issue 16): review the
// write-up against the student's capture (check/writeup_review.h), write its three reports to
// reports/writeups/, and hand the parent one line of JSON on stdout, as grade_child does:
// {"status": "pass"|"fail", "score", "max", "reason", "failed_checks"}, {"status": "error",
// "reason"} or {"status": "fatal", "reason"}. It runs apart from the capture's child, under the
// same memory cap, deadline and --timeout, so a hostile write-up costs its own cells only.
#pragma once

#include <filesystem>
#include <string>

#include "check/grading_limits.h"
#include "grade/submissions.h"
#include "scenario/scenario.h"

namespace tcpgrade {

// Where the write-up reports go below grade's --out/reports.
inline constexpr const char* writeup_reports_folder = "writeups";

// "reports/writeups/NAME.txt" (.json and .html beside it): a subfolder, so no student's id
// can name a capture report that collides with a write-up report.
std::string writeup_report_path(const Submission& s);

// The largest write-up read (the same as `tcpgrade review`'s default).
size_t max_writeup_bytes();

// In the child, after fork: stdout is the write end of the result pipe; `capture` and `writeup`
// were opened by the parent (open_submission). `reports` is grade's reports/ folder. Never
// returns.
[[noreturn]] void review_child(const Scenario& scenario, const Submission& s, int capture,
                               int writeup, const std::filesystem::path& reports,
                               const GradingLimits& limits, size_t max_report_bytes, bool brief);

}  // namespace tcpgrade
