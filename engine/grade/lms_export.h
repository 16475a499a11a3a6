// grade --lms canvas|moodle|blackboard: the gradebook as that LMS's grade import CSV, one row
// per student (every gradebook row: missing and ungradable ones with 0 points), written beside
// gradebook.csv as canvas.csv, moodle.csv or blackboard.csv. The identifier columns come from
// the roster (roster.h) when one is given, else from the gradebook's ids:
//
//   canvas.csv      Student,ID,SIS User ID,SIS Login ID,Section,<assignment>, then a
//                   "Points Possible" row (Canvas's Gradebook import).
//                   Student ← name, else "last_name, first_name", else id; ID ← canvas_id;
//                   SIS User ID ← sis_user_id, else id; SIS Login ID ← sis_login_id;
//                   Section ← section. The assignment column is "NAME (ASSIGNMENT_ID)" with an
//                   id (an existing assignment), "NAME" without (Canvas creates it).
//   moodle.csv      ID number,Username,Email address,<assignment>,Feedback (Moodle's "Import
//                   CSV file": map one identifier column to the user, the grade column to the
//                   grade item, Feedback to its feedback). ID number ← idnumber, else
//                   sis_user_id, else id; Username ← username, else id; Email ← email;
//                   Feedback ← the gradebook's reason.
//   blackboard.csv  "Last Name","First Name","Username","Student ID","<assignment>" with every
//                   field quoted (Grade Center's comma-delimited upload). Username ← username,
//                   else id; Student ID ← sis_user_id, else idnumber. The column is
//                   "NAME [Total Pts: MAX Score] |ASSIGNMENT_ID" with an id (Grade Center's own
//                   column id: it updates that column), "NAME" without (a new column).
//
// When the class's write-ups are graded (grade --writeups), each file gets a second grade item
// after the assignment's: "NAME write-up", in percent of the write-up's own maximum (Points
// Possible 100 in Canvas), a new item in every LMS; Moodle's also "Write-up feedback".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grade/gradebook.h"
#include "grade/roster.h"

namespace tcpgrade {

enum class LmsFormat { canvas, moodle, blackboard };

// "canvas", "moodle", "blackboard"; nothing for another name.
std::optional<LmsFormat> lms_format_named(std::string_view name);
// canvas.csv, moodle.csv, blackboard.csv.
std::string lms_file_name(LmsFormat format);
inline constexpr const char* lms_file_names[] = {"canvas.csv", "moodle.csv", "blackboard.csv"};

struct LmsAssignment {
  std::string name;   // the assignment (grade item, column) the scores go to
  std::string id;     // the LMS's id of that assignment or column; empty: none known
  double points = 0;  // the scenario's maximum
};

// `roster` may be null. CRLF line ends, RFC 4180 quoting, formula-looking cells defused.
std::string lms_export_csv(LmsFormat format, const LmsAssignment& assignment,
                           const std::vector<GradeRow>& rows, const Roster* roster);

}  // namespace tcpgrade
