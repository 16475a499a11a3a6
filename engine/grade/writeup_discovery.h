// Which file of a student's hand-in is their write-up (issue 16): a text file beside the
// capture. Names only; submissions.cc lists the files and opens the one picked.
//
// - A write-up is named .md, .markdown or .txt (any case) and is not a capture by its bytes
//   (a capture handed in as LEARN.txt stays the capture).
// - One such file in a student's folder is the write-up, whatever its name (README.md too).
// - Several: the README-like ones (README, README.md, readme.txt) are set aside as notes; if
//   exactly one remains it is the write-up, else the student gets a problem naming them all.
// - In a flat class folder, ID.md (or .markdown, .txt) beside ID.pcap is ID's write-up.
// - A roster names it in a `writeup` column (also spelled `write-up`, `writeup_file`).
#pragma once

#include <string>
#include <vector>

namespace tcpgrade {

// By its name only: .md, .markdown or .txt, any case.
bool has_writeup_extension(const std::string& file_name);

// README, README.md, Readme.txt ...: notes that came with the hand-in, set aside when another
// write-up is there.
bool is_readme_name(const std::string& file_name);

struct WriteupPick {
  std::string file;     // the file name picked; empty when none
  std::string problem;  // set when several are there and none can be chosen
};

// `candidates`: the file names of a student's folder that are write-ups by name and not
// captures by bytes. None: no write-up, no problem.
WriteupPick pick_writeup(std::vector<std::string> candidates);

// A roster's header cell that names the write-up column: "writeup", "Write-up", "writeup_file".
bool is_writeup_column(const std::string& header);

}  // namespace tcpgrade
