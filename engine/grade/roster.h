// grade --roster FILE: the class list. Every student on it gets a gradebook row (a `missing`
// one when nothing was handed in), and its name, e-mail and LMS ids fill the LMS exports
// (lms_export.h). A CSV whose first line names the columns; only `id` is required.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace tcpgrade {

// Columns are matched by name, case and spaces ignored ("First Name" = first_name); columns of
// other names (the submissions roster's `file`) are ignored.
struct RosterStudent {
  std::string id;  // the gradebook's id: the submission's file or folder name, or roster id
  std::string name, first_name, last_name;
  std::string email, username;
  std::string sis_user_id, sis_login_id, canvas_id, section;  // Canvas
  std::string idnumber;                                       // Moodle's "ID number"
  // Lab variant values from `param:NAME` columns (scenario params:), over the secret's.
  std::map<std::string, std::string> params{};
};

struct Roster {
  std::vector<RosterStudent> students;  // in the file's order
  std::map<std::string, size_t> index;  // id → students

  const RosterStudent* find(const std::string& id) const;
  std::vector<std::string> ids() const;
};

// Throws std::runtime_error naming the file and the cause: unreadable, no `id` column, a line
// without an id, an id listed twice.
Roster read_roster(const std::string& path);

}  // namespace tcpgrade
