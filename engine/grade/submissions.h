// What a grader is handed: a folder with one capture or one folder per student, or a CSV roster
// mapping student ids to files. Every student becomes exactly one Submission, whatever is
// (or is not) there; nothing outside the submissions folder is ever read through a symlink.
#pragma once

#include <string>
#include <vector>

namespace tcpgrade {

struct Submission {
  std::string id;         // the student: file name without extension, folder name, or roster id
  std::string file;       // the capture to grade; empty when there is none
  std::string problem;    // set when it cannot be graded: "no submission", "symlink outside ..."
  std::string safe_name;  // for report file names: [A-Za-z0-9._-], unique, never "." or ".."
};

struct SubmissionLimits {
  uint64_t max_bytes = 512ull << 20;  // a larger file is not read
};

// Sorted by id. Throws std::runtime_error when `path` is neither a folder nor a readable CSV.
std::vector<Submission> find_submissions(const std::string& path, const SubmissionLimits& limits = {});

// A name that cannot leave its folder: odd characters become '_', no leading dot, at most 80
// bytes. Callers make it unique.
std::string safe_file_name(const std::string& id);

}  // namespace tcpgrade
