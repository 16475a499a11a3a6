// A class's results: one row per submission, and what the class got wrong most often. Written
// as CSV (for a spreadsheet: formula-looking cells neutralised), JSON and a text summary.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/capture_fingerprint.h"
#include "grade/gradebook_stats.h"

namespace tcpgrade {

// A write-up graded beside the capture (review_child.h): its own score, max and status.
struct WriteupGrade {
  std::string file;           // as the submission names it; empty when none
  double score = 0, max = 0;  // max: the write-up's own (its checkable statements)
  std::string status;         // pass, fail, error (not graded), missing
  std::string reason;         // the first failed check or the error, one line
  std::string report;         // "reports/writeups/ID.txt"; empty when none
};

// A student without a write-up in a class whose write-ups are graded.
WriteupGrade missing_writeup();

struct GradeRow {
  std::string id, file;
  double score = 0, max = 0;               // max: the scenario's, the same in every row
  std::string status;                      // pass, fail, error (not graded), missing
  std::string reason;                      // the first failed check or the error, one line
  std::vector<std::string> failed_checks;  // ids
  std::string report;                      // "reports/ID.txt" (.json and .html beside it)
  // Copy detection (class_copies.h): what the child found, then what the class shows.
  std::optional<CapturePrint> print{};     // none when the file is no capture
  std::string file_hash{};                 // empty when the child did not read the file
  size_t copy_group = 0;                   // 1, 2, ...; 0: none
  std::vector<std::string> copied_with{};  // the group's other ids
  std::string copy_evidence{};             // one line
  // Set on every row when the class's write-ups are graded (grade --writeups): the gradebooks
  // then carry the write-up columns; none on any row: they do not.
  std::optional<WriteupGrade> writeup{};
};

// Some row has a write-up: the gradebooks show the write-up columns.
bool has_writeups(const std::vector<GradeRow>& rows);
double writeup_percent(const WriteupGrade& writeup);

// Submissions that share a conversation or are byte-identical: each group's ids, in the
// gradebook's order, and one line of evidence per pair that ties it together.
struct ClassCopyGroup {
  size_t number = 0;
  std::vector<std::string> ids;
  std::vector<std::string> evidence;
};

// One CSV cell per RFC 4180, with a leading = + - @ tab or CR defused by a ' (a spreadsheet
// would run such a cell as a formula). Bytes are kept: gradebook_csv makes each cell
// terminal_safe first.
std::string csv_cell(const std::string& text);

std::string gradebook_csv(const std::vector<GradeRow>& rows);
// Ids, file names and reasons in gradebook.json: bytes that are not UTF-8 written as \xNN.
// `copies`: gradebook.json's top-level copy_groups, and the summary's "Copied captures".
std::string gradebook_json(const std::string& scenario, const std::vector<GradeRow>& rows,
                           const ClassSummary& summary,
                           const std::vector<ClassCopyGroup>& copies = {});
std::string gradebook_summary_text(const std::string& scenario, const std::vector<GradeRow>& rows,
                                   const ClassSummary& summary,
                                   const std::vector<ClassCopyGroup>& copies = {});

}  // namespace tcpgrade
