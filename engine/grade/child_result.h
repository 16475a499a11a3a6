// What a grading child (grade_child.h, review_child.h) hands its parent: one line of JSON on
// stdout, the gradebook's one-line reason taken from the report.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "report/report.h"

namespace tcpgrade {

// Newlines made spaces, cut at 300 bytes: a gradebook cell.
std::string one_line(std::string text);

// The gradebook's one-line reason: the root cause behind the first failed check, else that
// check itself; empty when nothing failed.
std::string first_reason(const Report& report);

// A write-up's one-line reason: a root cause of the write-up as a whole (absolute numbers,
// pasted lines) first, else the first wrong statement as "says X, the capture holds Y", and
// how many more there are, so a TA reading the gradebook sees the mistake, not only its topic.
std::string first_writeup_reason(const Report& report);

// A file name need not be UTF-8: such bytes become U+FFFD rather than lose the row.
std::string one_line_json(const nlohmann::ordered_json& j);

// 0, or the errno that stopped it. The parent drains the pipe, so a line longer than the
// pipe's buffer only waits for it.
int write_all(int fd, std::string_view bytes);

// The exit code of a child that could not hand back its line: this plus errno (below 64).
inline constexpr int result_not_written = 64;

// The child's end: its one line of JSON written straight to the descriptor (stdio's stdout
// buffer is the parent's, and stays unused here), then _exit: 0, or result_not_written + errno.
[[noreturn]] void exit_with_result(const nlohmann::ordered_json& j);

// The failed (not passed) checks' ids.
std::vector<std::string> failed_check_ids(const Report& report);

}  // namespace tcpgrade
