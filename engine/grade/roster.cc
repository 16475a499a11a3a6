#include "grade/roster.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "grade/csv_records.h"

namespace tcpgrade {
namespace {

// "First Name", "first-name" and "first_name" are one column.
std::string column_key(const std::string& header) {
  std::string key;
  for (unsigned char c : header) {
    if (c != ' ' && c != '_' && c != '-') key += static_cast<char>(std::tolower(c));
  }
  return key;
}

std::string* field_of(RosterStudent& student, const std::string& key) {
  if (key == "id" || key == "studentid" || key == "student") return &student.id;
  if (key == "name" || key == "fullname") return &student.name;
  if (key == "firstname" || key == "givenname") return &student.first_name;
  if (key == "lastname" || key == "surname" || key == "familyname") return &student.last_name;
  if (key == "email" || key == "emailaddress") return &student.email;
  if (key == "username" || key == "login") return &student.username;
  if (key == "sisuserid") return &student.sis_user_id;
  if (key == "sisloginid") return &student.sis_login_id;
  if (key == "canvasid" || key == "canvasuserid") return &student.canvas_id;
  if (key == "section") return &student.section;
  if (key == "idnumber") return &student.idnumber;
  return nullptr;
}

}  // namespace

const RosterStudent* Roster::find(const std::string& id) const {
  auto found = index.find(id);
  return found == index.end() ? nullptr : &students[found->second];
}

std::vector<std::string> Roster::ids() const {
  std::vector<std::string> ids;
  for (const RosterStudent& student : students) ids.push_back(student.id);
  return ids;
}

Roster read_roster(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot read the roster", path));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<CsvRecord> records = csv_records(text);
  if (records.empty()) throw std::runtime_error(fmt::format("{}: the roster is empty", path));
  std::vector<std::string> keys;
  for (const std::string& header : records[0].fields) keys.push_back(column_key(header));
  RosterStudent probe;
  if (std::none_of(keys.begin(), keys.end(),
                   [&probe](const std::string& key) { return field_of(probe, key) == &probe.id; }))
    throw std::runtime_error(
        fmt::format("{}: the roster's first line names no id column (id,name,email,...)", path));
  Roster roster;
  std::vector<size_t> line_of;  // each student's line, for a duplicate's error
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    if (record.fields.size() == 1 && record.fields[0].empty()) continue;
    RosterStudent student;
    for (size_t c = 0; c < record.fields.size() && c < keys.size(); ++c) {
      if (std::string* field = field_of(student, keys[c])) *field = record.fields[c];
      const std::string& header = records[0].fields[c];
      if (keys[c].rfind("param:", 0) == 0 && header.size() > 6 && !record.fields[c].empty())
        student.params[header.substr(6)] = record.fields[c];
    }
    if (student.id.empty())
      throw std::runtime_error(
          fmt::format("{}: the roster's line {} names no student id", path, record.line));
    auto [seen, fresh] = roster.index.try_emplace(student.id, roster.students.size());
    if (!fresh)
      throw std::runtime_error(fmt::format("{}: the roster's line {} lists {} again (line {})",
                                           path, record.line, student.id, line_of[seen->second]));
    roster.students.push_back(std::move(student));
    line_of.push_back(record.line);
  }
  return roster;
}

}  // namespace tcpgrade
