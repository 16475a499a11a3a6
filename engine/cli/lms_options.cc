#include "cli/lms_options.h"

#include <algorithm>

namespace tcpgrade::cli {

void add_lms_options(CLI::App* command, LmsOptions& options) {
  command
      ->add_option("--lms", options.lms,
                   "also write that LMS's grade import CSV beside gradebook.csv: canvas.csv, "
                   "moodle.csv or blackboard.csv (repeatable)")
      ->check(CLI::IsMember({"canvas", "moodle", "blackboard"}));
  command->add_option("--lms-assignment", options.assignment,
                      "the LMS assignment (grade item, column) the scores go to (default: the "
                      "scenario's name)");
  command->add_option("--lms-assignment-id", options.assignment_id,
                      "the LMS's id of that assignment: Canvas's assignment id, Blackboard's "
                      "column id (default: none, the LMS creates a new one)");
  command->add_option(
      "--roster", options.roster,
      "the class list, a CSV whose first line names its columns: id (required), and name, "
      "first_name, last_name, email, username, sis_user_id, sis_login_id, canvas_id, section, "
      "idnumber for the LMS exports; grade gives a student on it without a submission a missing "
      "row");
}

std::optional<Roster> read_roster_option(const LmsOptions& options) {
  if (options.roster.empty()) return std::nullopt;
  return read_roster(options.roster);
}

GradebookExports lms_exports(const LmsOptions& options, const Roster* roster) {
  GradebookExports exports;
  for (const std::string& name : options.lms)
    if (std::optional<LmsFormat> format = lms_format_named(name);
        format && std::find(exports.lms.begin(), exports.lms.end(), *format) == exports.lms.end())
      exports.lms.push_back(*format);
  exports.assignment.name = options.assignment;
  exports.assignment.id = options.assignment_id;
  exports.roster = roster;
  return exports;
}

}  // namespace tcpgrade::cli
