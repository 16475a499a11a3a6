#include "grade/submissions.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>
#include <string_view>

#include "grade/csv_records.h"
#include "grade/writeup_discovery.h"
#include "util/fnv_hash.h"

namespace tcpgrade {
namespace {

namespace fs = std::filesystem;

// Files an operating system or a tool leaves beside submissions; anything else gets a row.
bool is_clutter(const std::string& name) {
  return name.empty() || name == "." || name == ".." || name == ".DS_Store" || name == ".git" ||
         name == ".gitkeep" || name == ".tcpgrade-work" || name.rfind("._", 0) == 0 ||
         name == "Thumbs.db" || name == "desktop.ini";
}

// The folder with its symlinks resolved: what every submission must stay below.
fs::path resolved(const fs::path& folder) {
  std::error_code error;
  fs::path real = fs::canonical(folder, error);
  return error ? fs::absolute(folder, error).lexically_normal() : real;
}

bool is_capture_name(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext == ".pcap" || ext == ".pcapng" || ext == ".cap" || ext == ".dmp";
}

std::string too_large(uint64_t size, const SubmissionLimits& limits) {
  return fmt::format("too large: {} bytes, over the limit of {} (--max-size)", size,
                     limits.max_bytes);
}

// Where `entry` leads, symlinks resolved: kept as s.root and s.relative when it stays inside
// `real_root` (the folder, resolved), else a problem. A missing file is check_file's to name.
void locate(const fs::path& real_root, const fs::path& entry, Submission& s) {
  s.file = entry.string();
  s.root = real_root.string();
  std::error_code error;
  fs::path real = fs::canonical(entry, error);
  if (error == std::errc::too_many_symbolic_link_levels) {
    s.problem = "a symlink loop: not followed";
    return;
  }
  if (error) real = fs::weakly_canonical(entry, error);
  fs::path relative = real.lexically_relative(real_root);
  if (error || relative.empty() || *relative.begin() == "..")
    s.problem = "a symlink that leads outside the submissions folder: not followed";
  else
    s.relative = relative.string();
}

// The write-up at `entry`, judged as locate() judges a capture.
void locate_writeup(const fs::path& real_root, const fs::path& entry, Submission& s) {
  Submission writeup;
  locate(real_root, entry, writeup);
  s.root = writeup.root;
  s.writeup_file = writeup.file;
  s.writeup_relative = writeup.relative;
  s.writeup_problem = writeup.problem;
}

void check_file(Submission& s, const SubmissionLimits& limits) {
  if (s.file.empty() || !s.problem.empty()) return;
  std::error_code error;
  fs::file_status status = fs::status(s.file, error);
  if (error || !fs::exists(status)) {
    s.problem = "no submission (the file is missing)";
  } else if (!fs::is_regular_file(status)) {
    s.problem = "not a regular file";
  } else if (uint64_t size = fs::file_size(s.file, error); !error && size > limits.max_bytes) {
    s.problem = too_large(size, limits);
  }
}

// A pcap (either byte order, micro or nanoseconds) or pcapng file by its first four bytes: a
// capture handed in as LEARN.txt is still a capture. Symlinks are not opened here (locate()
// judges them when they are picked).
bool has_capture_magic(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  unsigned char magic[4] = {};
  struct stat info {};
  bool read_all = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) &&
                  ::read(fd, magic, sizeof magic) == static_cast<ssize_t>(sizeof magic);
  ::close(fd);
  if (!read_all) return false;
  uint32_t word = uint32_t{magic[0]} << 24 | uint32_t{magic[1]} << 16 | uint32_t{magic[2]} << 8 |
                  uint32_t{magic[3]};
  for (uint32_t known : {0xa1b2c3d4u, 0xd4c3b2a1u, 0xa1b23c4du, 0x4d3cb2a1u, 0x0a0d0d0au})
    if (word == known) return true;
  return false;
}

std::string file_list(const std::vector<fs::path>& files) {
  std::string out;
  for (const fs::path& file : files) out += (out.empty() ? "" : ", ") + file.filename().string();
  return out;
}

// A write-up by its name and not a capture by its bytes (LEARN.txt that is a pcap is a capture).
// A symlink is not opened here: its bytes are judged when it is read, safely.
bool is_writeup_file(const fs::directory_entry& entry) {
  std::error_code error;
  return has_writeup_extension(entry.path().filename().string()) &&
         (entry.is_symlink(error) || !has_capture_magic(entry.path()));
}

// One student's folder: its one file named as a capture, else its one file that is a capture by
// its bytes, else its one file; several captures, or several files none
// of which is one, are a problem naming them. Beside it, its write-up (writeup_discovery.h).
Submission from_folder(const fs::path& real_root, const fs::path& folder) {
  Submission s;
  s.id = folder.filename().string();
  std::vector<fs::path> files, named, by_magic, writeups;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, error)) {
    std::string name = entry.path().filename().string();
    if (is_clutter(name)) continue;
    if (!entry.is_regular_file(error) && !entry.is_symlink(error)) continue;
    files.push_back(entry.path());
    if (is_capture_name(entry.path())) named.push_back(entry.path());
    if (!entry.is_symlink(error) && has_capture_magic(entry.path()))
      by_magic.push_back(entry.path());
    if (is_writeup_file(entry)) writeups.push_back(entry.path());
  }
  for (std::vector<fs::path>* list : {&files, &named, &by_magic, &writeups})
    std::sort(list->begin(), list->end());
  const std::vector<fs::path>& pick = named.size() == 1      ? named
                                      : by_magic.size() == 1 ? by_magic
                                                             : files;
  const std::vector<fs::path>& captures = named.size() > 1 ? named : by_magic;
  // The write-up: among the text files, not the one picked as the capture (a folder holding only
  // essay.txt has it graded as its capture, whose report says it is none, as before write-ups).
  std::vector<std::string> writeup_names;
  for (const fs::path& file : writeups)
    if (pick.size() != 1 || file != pick[0]) writeup_names.push_back(file.filename().string());
  WriteupPick writeup = pick_writeup(writeup_names);
  if (!writeup.file.empty())
    locate_writeup(real_root, folder / writeup.file, s);
  else
    s.writeup_problem = writeup.problem;
  if (pick.size() == 1)
    locate(real_root, pick[0], s);
  else if (pick.empty())
    s.problem = "no submission (the folder holds no file)";
  else if (captures.size() > 1)
    s.problem = fmt::format("{} capture files in the folder ({}); hand in one", captures.size(),
                            file_list(captures));
  else
    s.problem = fmt::format("no capture among the {} files in the folder ({}); hand in one",
                            files.size(), file_list(files));
  return s;
}

bool is_header(const std::vector<std::string>& fields) {
  std::string first = fields[0];
  std::transform(first.begin(), first.end(), first.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return first == "id" || first == "student" || first == "student_id" || first == "student id";
}

std::vector<Submission> from_roster(const fs::path& csv) {
  std::ifstream in(csv, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot read the roster", csv.string()));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::path root = csv.parent_path().empty() ? fs::path(".") : csv.parent_path();
  fs::path real_root = resolved(root);
  std::vector<Submission> out;
  // Each id once: a roster that names a student twice with two files is the instructor's to
  // settle, so that student gets one error row naming the lines, never two rows of one id.
  std::map<std::string, size_t> row_of;
  std::map<std::string, std::vector<size_t>> lines_of;
  std::set<std::string> conflicting;
  std::vector<CsvRecord> records = csv_records(text);
  // A header's `writeup` column names each student's write-up (writeup_discovery.h).
  size_t writeup_column = 0;
  if (!records.empty() && !records[0].fields.empty() && is_header(records[0].fields))
    for (size_t c = 1; c < records[0].fields.size(); ++c)
      if (is_writeup_column(records[0].fields[c])) writeup_column = c;
  for (size_t r = 0; r < records.size(); ++r) {
    CsvRecord& record = records[r];
    std::vector<std::string>& fields = record.fields;
    if (fields.size() == 1 && fields[0].empty()) continue;
    if (r == 0 && is_header(fields)) continue;
    Submission s;
    s.id = fields[0];
    std::string file = fields.size() > 1 ? fields[1] : "";
    if (s.id.empty()) {
      // A row, not a silent drop: the gradebook shows the roster has a hole.
      s.id = fmt::format("(no id, roster line {})", record.line);
      s.problem =
          fmt::format("the roster's line {} names no student id: fix the roster", record.line);
      out.push_back(std::move(s));
      continue;
    }
    lines_of[s.id].push_back(record.line);
    if (auto seen = row_of.find(s.id); seen != row_of.end()) {
      if (file != out[seen->second].listed) conflicting.insert(s.id);
      continue;
    }
    s.listed = file;
    fs::path named(file);
    if (file.empty()) {
      s.problem = "no submission (the roster names no file)";
    } else if (named.is_absolute() ||
               std::any_of(named.begin(), named.end(),
                           [](const fs::path& part) { return part == ".."; })) {
      // Paths are relative to the roster: this one is not a symlink, it is a way out.
      s.file = (root / named).string();
      s.problem = "the roster's path leaves the submissions folder: not read";
    } else {
      locate(real_root, root / named, s);
    }
    if (std::string writeup =
            writeup_column && writeup_column < fields.size() ? fields[writeup_column] : "";
        !writeup.empty()) {
      fs::path writeup_path(writeup);
      if (writeup_path.is_absolute() ||
          std::any_of(writeup_path.begin(), writeup_path.end(),
                      [](const fs::path& part) { return part == ".."; })) {
        s.writeup_file = (root / writeup_path).string();
        s.writeup_problem = "the roster's write-up path leaves the submissions folder: not read";
      } else {
        locate_writeup(real_root, root / writeup_path, s);
      }
    }
    row_of[s.id] = out.size();
    out.push_back(std::move(s));
  }
  for (const std::string& id : conflicting) {
    Submission& s = out[row_of[id]];
    const std::vector<size_t>& lines = lines_of[id];
    s.file.clear();
    s.problem = fmt::format(
        "the roster names this student {} times with different files (lines {}): fix the roster",
        lines.size(), fmt::join(lines, ", "));
  }
  return out;
}

// Why opening `name` below `dir` failed, in a gradebook's words. O_NOFOLLOW fails with ELOOP on
// a symlink, O_DIRECTORY with ENOTDIR.
std::string open_problem(int dir, const std::string& name, int error) {
  struct stat info {};
  bool symlink = error == ELOOP || (::fstatat(dir, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 &&
                                    S_ISLNK(info.st_mode));
  if (symlink) return "the submission changed while grading (a symlink appeared): not read";
  if (error == ENOENT) return "no submission (the file is missing)";
  if (error == ENOTDIR)
    return "the submission changed while grading (a folder was replaced): not read";
  return fmt::format("cannot open: {}", std::strerror(error));
}

}  // namespace

int open_submission(const Submission& s, const SubmissionLimits& limits, std::string& problem) {
  problem.clear();
  std::vector<std::string> parts;
  for (const fs::path& part : fs::path(s.relative)) parts.push_back(part.string());
  if (s.root.empty() || parts.empty() || fs::path(s.relative).is_absolute() ||
      std::find(parts.begin(), parts.end(), "..") != parts.end()) {
    problem = "no submission (the file is missing)";
    return -1;
  }
  int fd = ::open(s.root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    problem =
        fmt::format("cannot open the submissions folder {}: {}", s.root, std::strerror(errno));
    return -1;
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    const bool last = i + 1 == parts.size();
    const char* name = parts[i].c_str();
    struct stat info {};
    if (last && ::fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(info.st_mode) &&
        !S_ISLNK(info.st_mode)) {
      // A device or a socket is not opened at all: opening one may do something.
      ::close(fd);
      problem = "not a regular file";
      return -1;
    }
    // O_NONBLOCK: a FIFO put in place meanwhile opens at once, and is refused below.
    int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK | O_NOCTTY : O_DIRECTORY);
    int next = ::openat(fd, name, flags);
    if (next < 0) problem = open_problem(fd, name, errno);
    ::close(fd);
    if (next < 0) return -1;
    fd = next;
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode))
    problem = "not a regular file";
  else if (static_cast<uint64_t>(info.st_size) > limits.max_bytes)
    problem = too_large(static_cast<uint64_t>(info.st_size), limits);
  else if (int flags = ::fcntl(fd, F_GETFL);
           flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
    problem = fmt::format("cannot open: {}", std::strerror(errno));
  if (problem.empty()) return fd;
  ::close(fd);
  return -1;
}

std::string safe_file_name(const std::string& id) {
  // Percent-encoding keeps names apart: "jörgen" and "jürgen", or "h i" and "h_i", never meet.
  std::string out;
  for (unsigned char c : id) {
    bool keep = std::isalnum(c) || c == '-' || c == '_' || (c == '.' && !out.empty());
    if (keep)
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  if (out.empty()) return "%";
  if (out.size() <= 80) return out;
  // Cut, with the whole id's hash so two long ids sharing 64 bytes stay apart (FNV-1a).
  uint64_t hash = fnv1a(id);
  size_t cut = 64;
  while (cut > 0 && out[cut - 1] == '%') --cut;  // never inside an escape
  if (cut >= 2 && out[cut - 2] == '%') cut -= 2;
  return fmt::format("{}-{:016x}", out.substr(0, cut), hash);
}

Submission writeup_submission(const Submission& s) {
  Submission writeup = s;
  writeup.file = s.writeup_file;
  writeup.relative = s.writeup_relative;
  writeup.problem = s.writeup_problem;
  return writeup;
}

bool is_missing_submission(const std::string& problem) {
  return problem.rfind("no submission", 0) == 0;
}

Submission find_folder_submission(const std::string& folder, const SubmissionLimits& limits) {
  std::error_code error;
  if (!fs::is_directory(folder, error))
    throw std::runtime_error(fmt::format("{}: no such folder", folder));
  Submission s = from_folder(resolved(folder), folder);
  check_file(s, limits);
  s.safe_name = safe_file_name(s.id);
  return s;
}

std::vector<Submission> find_submissions(const std::string& path, const SubmissionLimits& limits,
                                         const std::vector<std::string>& roster_ids) {
  std::error_code error;
  fs::path root(path);
  std::vector<Submission> out;
  if (fs::is_directory(root, error)) {
    fs::path real_root = resolved(root);
    std::vector<std::string> file_names;  // beside `out`: empty for a student's folder
    std::vector<fs::directory_entry> entries;
    for (const fs::directory_entry& entry : fs::directory_iterator(root, error))
      if (!is_clutter(entry.path().filename().string())) entries.push_back(entry);
    // A flat folder: ID.md beside ID.pcap is ID's write-up, not a student of its own.
    std::map<std::string, int> captures_of_stem;
    std::map<std::string, std::vector<std::string>> writeups_of_stem;
    for (const fs::directory_entry& entry : entries) {
      if (entry.is_directory(error) && !entry.is_symlink(error)) continue;
      if (is_writeup_file(entry))
        writeups_of_stem[entry.path().stem().string()].push_back(entry.path().filename().string());
      else
        ++captures_of_stem[entry.path().stem().string()];
    }
    std::set<std::string> attached;  // write-ups' file names that belong to a capture
    for (const auto& [stem, names] : writeups_of_stem)
      if (captures_of_stem[stem] == 1) attached.insert(names.begin(), names.end());
    for (const fs::directory_entry& entry : entries) {
      std::string name = entry.path().filename().string();
      if (attached.count(name)) continue;
      if (entry.is_directory(error) && !entry.is_symlink(error)) {
        out.push_back(from_folder(real_root, entry.path()));
        file_names.emplace_back();
        continue;
      }
      Submission s;
      s.id = entry.path().stem().string();
      if (s.id.empty()) s.id = name;
      locate(real_root, entry.path(), s);
      if (auto found = writeups_of_stem.find(s.id);
          found != writeups_of_stem.end() && captures_of_stem[s.id] == 1 && s.id != name) {
        WriteupPick writeup = pick_writeup(found->second);
        if (!writeup.file.empty())
          locate_writeup(real_root, root / writeup.file, s);
        else
          s.writeup_problem = writeup.problem;
      }
      out.push_back(std::move(s));
      file_names.push_back(name);
    }
    // alice.pcap beside alice.pcapng (or a folder alice): one id would name two rows, and a
    // gradebook imported by id would keep one. Such files are named by their whole file name.
    std::map<std::string, int> uses;
    for (const Submission& s : out) ++uses[s.id];
    for (size_t i = 0; i < out.size(); ++i)
      if (uses[out[i].id] > 1 && !file_names[i].empty()) out[i].id = file_names[i];
    if (error)
      throw std::runtime_error(
          fmt::format("{}: cannot list the folder: {}", path, error.message()));
  } else if (fs::is_regular_file(root, error)) {
    out = from_roster(root);
  } else {
    throw std::runtime_error(fmt::format("{}: no such folder or roster file", path));
  }
  std::set<std::string> handed_in;
  for (const Submission& s : out) handed_in.insert(s.id);
  for (const std::string& id : roster_ids)
    if (handed_in.insert(id).second) {
      Submission s;
      s.id = id;
      s.problem = "no submission (on the roster, nothing handed in)";
      out.push_back(std::move(s));
    }
  std::stable_sort(out.begin(), out.end(),
                   [](const Submission& a, const Submission& b) { return a.id < b.id; });
  // Two rows for one id (a.pcap and a.pcapng): both stay, the second named apart.
  std::set<std::string> taken;
  for (Submission& s : out) {
    check_file(s, limits);
    std::string base = safe_file_name(s.id), name = base;
    for (int n = 2; taken.count(name); ++n) name = fmt::format("{}-{}", base, n);
    taken.insert(name);
    s.safe_name = name;
  }
  return out;
}

}  // namespace tcpgrade
