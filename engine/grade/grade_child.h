// The work of one submission's child process: grade the capture, write its three reports, and
// hand the parent its gradebook row as one line of JSON on stdout, which the parent made a
// pipe. The parent judges the rest from how the child ended, so a crash or a memory blowup
// costs this one row.
//
// The line: {"status": "pass"|"fail", "score", "max", "reason", "failed_checks": [ids]}, or
// {"status": "error", "reason"} (the submission's fault: an error row), or {"status": "fatal",
// "reason"} (a report could not be written: the disk, not the submission; the batch stops).
// Beside any status, for copy detection (class_copies.h): "file_hash" (file_hash.h) when the
// file was read, and "print" (capture_print_json.h) when it was read as a capture.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "check/capture_grader.h"
#include "check/grading_limits.h"
#include "grade/child_result.h"
#include "grade/submissions.h"
#include "scenario/scenario.h"

namespace tcpgrade {

// In the child, after fork: stdout is the write end of the result pipe; `capture` is s.file,
// opened by the parent (open_submission), and is read instead of the path. Each report file
// is cut at `max_report_bytes` (report_cap.h). Never returns.
// `port_owners` (lab variants): the students whose labs use each server port, so that a
// capture on another student's port gets a root cause naming them.
[[noreturn]] void grade_child(
    const Scenario& scenario, const std::vector<ScenarioVariant>& variants, const Submission& s,
    int capture, const std::filesystem::path& reports, const GradingLimits& limits,
    size_t max_report_bytes, bool brief = false,
    const std::map<uint16_t, std::vector<std::string>>* port_owners = nullptr);

}  // namespace tcpgrade
