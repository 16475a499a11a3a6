// The options grade and `gradebook merge` share for the LMS exports and the roster:
// --lms canvas|moodle|blackboard (repeatable), --lms-assignment, --lms-assignment-id, --roster.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "grade/gradebook_output.h"
#include "grade/roster.h"

namespace tcpgrade::cli {

struct LmsOptions {
  std::vector<std::string> lms;
  std::string assignment, assignment_id;
  std::string roster;  // empty: none
};

void add_lms_options(CLI::App* command, LmsOptions& options);

// The roster when --roster was given (throws naming the file when it cannot be read).
std::optional<Roster> read_roster_option(const LmsOptions& options);

// What publish_gradebook writes besides the gradebook; `roster` may be null.
GradebookExports lms_exports(const LmsOptions& options, const Roster* roster);

}  // namespace tcpgrade::cli
