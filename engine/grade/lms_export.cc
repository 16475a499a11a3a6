#include "grade/lms_export.h"

#include <fmt/format.h>

#include "report/report.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

std::string first_of(std::initializer_list<const std::string*> candidates) {
  for (const std::string* text : candidates)
    if (!text->empty()) return *text;
  return "";
}

// A cell as gradebook.csv writes it: control bytes escaped, formulas defused, quoted if needed.
std::string cell(const std::string& text) { return csv_cell(terminal_safe(text)); }

// Blackboard's comma-delimited upload wants every field between quotes.
std::string quoted(const std::string& text) {
  std::string cell = csv_cell(terminal_safe(text));
  if (!cell.empty() && cell.front() == '"') return cell;
  return "\"" + cell + "\"";
}

// Each row's score: an ungradable or missing row holds 0 points, and says so with 0, not a
// blank an LMS would read as "not graded yet".
std::string points(const GradeRow& row) { return format_points(row.score); }

// The write-up's grade item: its own column, a new item in every LMS (the assignment id is the
// capture's). Out of 100: each write-up's maximum is its own count of checkable statements, and
// an LMS column has one "points possible".
std::string writeup_column(const LmsAssignment& a) { return a.name + " write-up"; }
std::string writeup_points(const GradeRow& row) {
  return row.writeup ? format_points(writeup_percent(*row.writeup)) : "0";
}
std::string canvas_csv(const LmsAssignment& a, const std::vector<GradeRow>& rows,
                       const Roster* roster) {
  std::string column = a.id.empty() ? a.name : fmt::format("{} ({})", a.name, a.id);
  const bool writeups = has_writeups(rows);
  std::string out =
      fmt::format("Student,ID,SIS User ID,SIS Login ID,Section,{}{}\r\n", cell(column),
                  writeups ? fmt::format(",{}", cell(writeup_column(a))) : std::string());
  out +=
      fmt::format("Points Possible,,,,,{}{}\r\n", format_points(a.points), writeups ? ",100" : "");
  const RosterStudent none;
  for (const GradeRow& row : rows) {
    const RosterStudent* s = roster ? roster->find(row.id) : nullptr;
    if (!s) s = &none;
    std::string last_first =
        s->last_name.empty() ? s->first_name : s->last_name + ", " + s->first_name;
    std::string student = first_of({&s->name, &last_first, &row.id});
    out += fmt::format("{},{},{},{},{},{}{}\r\n", cell(student), cell(s->canvas_id),
                       cell(first_of({&s->sis_user_id, &row.id})), cell(s->sis_login_id),
                       cell(s->section), points(row),
                       writeups ? fmt::format(",{}", writeup_points(row)) : std::string());
  }
  return out;
}

std::string moodle_csv(const LmsAssignment& a, const std::vector<GradeRow>& rows,
                       const Roster* roster) {
  const bool writeups = has_writeups(rows);
  std::string out =
      fmt::format("ID number,Username,Email address,{},Feedback{}\r\n", cell(a.name),
                  writeups ? fmt::format(",{},Write-up feedback", cell(writeup_column(a))) : "");
  const RosterStudent none;
  for (const GradeRow& row : rows) {
    const RosterStudent* s = roster ? roster->find(row.id) : nullptr;
    if (!s) s = &none;
    out += fmt::format(
        "{},{},{},{},{}{}\r\n", cell(first_of({&s->idnumber, &s->sis_user_id, &row.id})),
        cell(first_of({&s->username, &row.id})), cell(s->email), points(row), cell(row.reason),
        writeups ? fmt::format(",{},{}", writeup_points(row),
                               cell(row.writeup ? row.writeup->reason : ""))
                 : "");
  }
  return out;
}

std::string blackboard_csv(const LmsAssignment& a, const std::vector<GradeRow>& rows,
                           const Roster* roster) {
  std::string column = a.id.empty() ? a.name
                                    : fmt::format("{} [Total Pts: {} Score] |{}", a.name,
                                                  format_points(a.points), a.id);
  const bool writeups = has_writeups(rows);
  std::string out = fmt::format(
      "\"Last Name\",\"First Name\",\"Username\",\"Student ID\",{}{}\r\n", quoted(column),
      writeups ? fmt::format(",{}", quoted(writeup_column(a))) : std::string());
  const RosterStudent none;
  for (const GradeRow& row : rows) {
    const RosterStudent* s = roster ? roster->find(row.id) : nullptr;
    if (!s) s = &none;
    out += fmt::format(
        "{},{},{},{},{}\r\n", quoted(s->last_name), quoted(s->first_name),
        quoted(first_of({&s->username, &row.id})),
        quoted(first_of({&s->sis_user_id, &s->idnumber})),
        quoted(points(row)) +
            (writeups ? fmt::format(",{}", quoted(writeup_points(row))) : std::string()));
  }
  return out;
}

}  // namespace

std::optional<LmsFormat> lms_format_named(std::string_view name) {
  if (name == "canvas") return LmsFormat::canvas;
  if (name == "moodle") return LmsFormat::moodle;
  if (name == "blackboard") return LmsFormat::blackboard;
  return std::nullopt;
}

std::string lms_file_name(LmsFormat format) { return lms_file_names[static_cast<size_t>(format)]; }

std::string lms_export_csv(LmsFormat format, const LmsAssignment& assignment,
                           const std::vector<GradeRow>& rows, const Roster* roster) {
  switch (format) {
    case LmsFormat::canvas:
      return canvas_csv(assignment, rows, roster);
    case LmsFormat::moodle:
      return moodle_csv(assignment, rows, roster);
    case LmsFormat::blackboard:
      return blackboard_csv(assignment, rows, roster);
  }
  return "";
}

}  // namespace tcpgrade
