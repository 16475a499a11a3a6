// What a grader is handed: a folder with one capture or one folder per student, or a CSV roster
// mapping student ids to files. Every student becomes exactly one Submission, whatever is
// (or is not) there; nothing outside the submissions folder is ever read through a symlink.
// Listing resolves a symlink that stays inside; the file is then opened once, from the folder
// down, following no symlink (open_submission), so a file swapped for a symlink while the
// class is graded is refused, never followed. A write-up beside the capture
// (writeup_discovery.h) is listed and opened the same way.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tcpgrade {

struct Submission {
  std::string id;         // the student: file name without extension, folder name, or roster id
  std::string file;       // the capture to grade, as reports name it; empty when there is none
  std::string problem;    // set when it cannot be graded: "no submission", "symlink outside ..."
  std::string safe_name;  // for report file names: [A-Za-z0-9._%-], unique, never "." or ".."
  std::string root;       // the submissions folder (the roster's folder), symlinks resolved
  std::string relative;   // `file` below `root`, symlinks resolved when it was listed
  std::string listed;     // the file as the roster names it (a roster's duplicate lines compare it)
  // The write-up handed in beside the capture (writeup_discovery.h): named as reports name it,
  // and below `root` as open_submission opens it; `writeup_problem` when none can be picked
  // (two write-ups) or the roster's path leaves the folder. All empty: no write-up.
  std::string writeup_file{};
  std::string writeup_relative{};
  std::string writeup_problem{};
};

struct SubmissionLimits {
  uint64_t max_bytes = 512ull << 20;  // a larger file is not read
};

// Sorted by id. Throws std::runtime_error when `path` is neither a folder nor a readable CSV.
// `roster_ids` (grade --roster): each id without a submission gets one, that is missing.
std::vector<Submission> find_submissions(const std::string& path,
                                         const SubmissionLimits& limits = {},
                                         const std::vector<std::string>& roster_ids = {});

// A student who handed nothing in (the problem starts "no submission"): the gradebook's
// `missing` status, rather than an `error` one for a file that could not be graded.
bool is_missing_submission(const std::string& problem);

// One student's folder, chosen as `grade` chooses in a folder per student (what an autograder
// is handed): the one file named .pcap/.pcapng/.cap/.dmp, else the one file that is a capture by
// its magic bytes (LEARN.txt), else the one file; otherwise `problem` names the files ("2
// capture files in the folder (a.pcap, b.pcap); hand in one"). Throws std::runtime_error when
// `folder` is not a folder.
Submission find_folder_submission(const std::string& folder, const SubmissionLimits& limits = {});

// Opens `s.file` for reading: from `s.root` down `s.relative` one component at a time, following
// no symlink, so what is read is what was listed inside the folder even when a student swaps
// the file (or a folder on its way) for a symlink meanwhile. What was opened must be a regular
// file within `limits` (a FIFO does not block). Returns the descriptor (close-on-exec), or -1
// with `problem` set: "the submission changed while grading (a symlink appeared): not read".
int open_submission(const Submission& s, const SubmissionLimits& limits, std::string& problem);

// The write-up of `s` as a Submission of its own (file and relative are the write-up's), for
// open_submission: a write-up is opened exactly as safely as a capture.
Submission writeup_submission(const Submission& s);

// A name that cannot leave its folder, one per id: letters, digits, '-', '_' and inner dots
// kept, every other byte percent-encoded ("jörgen" → "j%C3%B6rgen", "../x" → "%2E.%2Fx"); an
// id whose name would pass 80 bytes is cut and ends in a hash of the whole id.
std::string safe_file_name(const std::string& id);

}  // namespace tcpgrade
