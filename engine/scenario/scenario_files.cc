#include "scenario/scenario_files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <optional>

#include "scenario/diagnostic_format.h"
#include "util/small_file.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

namespace fs = std::filesystem;

constexpr size_t max_path = 4096;  // a file name is shown whole: lint must name it

// Whether `path` is `root` or lies below it, part by part (both absolute and normal).
bool within(const fs::path& path, const fs::path& root) {
  auto part = path.begin();
  for (const fs::path& root_part : root) {
    if (root_part.empty()) continue;  // a trailing separator
    if (part == path.end() || *part != root_part) return false;
    ++part;
  }
  return true;
}

fs::path written_folder(const std::string& dir) {
  std::error_code ignored;
  return fs::absolute(dir.empty() ? "." : dir, ignored).lexically_normal();
}

// The folder with every symbolic link resolved; as written when it cannot be resolved.
fs::path real_folder(const std::string& dir) {
  std::error_code error;
  fs::path real = fs::canonical(dir.empty() ? "." : dir, error);
  return error ? written_folder(dir) : real;
}

}  // namespace

ScenarioFiles::ScenarioFiles(const std::string& base_dir, const ScenarioLimits& limits)
    : limits_(limits), base_dir_(base_dir) {
  roots_.push_back(real_folder(base_dir));
  written_roots_.push_back(written_folder(base_dir));
  for (const std::string& root : limits.file_roots) {
    roots_.push_back(real_folder(root));
    written_roots_.push_back(written_folder(root));
  }
}

bool ScenarioFiles::allowed(const fs::path& real) const {
  for (const fs::path& root : roots_)
    if (within(real, root)) return true;
  return false;
}

bool ScenarioFiles::allowed_as_written(const fs::path& path) const {
  for (const fs::path& root : written_roots_)
    if (within(path, root)) return true;
  return allowed(path);
}

std::string ScenarioFiles::outside(const std::string& written, bool through_link,
                                   const char* reader) const {
  bool more = roots_.size() > 1;
  return fmt::format(
      "{} {} the scenario's folder ({}){}; {} in {} and below "
      "{} (--allow-file-root DIR adds a folder)",
      quote(written, max_path),
      through_link ? "leads through a symbolic link out of" : "is outside", roots_.front().string(),
      more ? " and the --allow-file-root folders" : "", reader,
      more ? "those folders" : "that folder", more ? "them" : "it");
}

bool ScenarioFiles::inside(const std::string& written, const char* reader, fs::path& real,
                           bool& inside_as_written, std::string& problem) const {
  std::string path = written;
  if (path.empty() || (path.front() != '/' && !base_dir_.empty())) path = base_dir_ + "/" + path;
  // Decided on the path with `..` and every symbolic link resolved as the system resolves them
  // (a missing end stays as written), before anything is opened.
  std::error_code error;
  fs::path absolute = fs::absolute(path, error);
  inside_as_written = !error && allowed_as_written(absolute.lexically_normal());
  real = error ? fs::path() : fs::weakly_canonical(absolute, error);
  if (error && !inside_as_written) {
    problem = outside(written, false, reader);
    return false;
  }
  if (error) {
    problem = fmt::format("cannot read {}: {}", quote(written, max_path), error.message());
    return false;
  }
  if (!allowed(real)) {
    problem = outside(written, inside_as_written, reader);
    return false;
  }
  return true;
}

bool ScenarioFiles::folder_allowed(const std::string& written, std::string& problem) const {
  fs::path real;
  bool inside_as_written = false;
  return inside(written, "live: serves only folders", real, inside_as_written, problem);
}

std::shared_ptr<const std::string> ScenarioFiles::read(const std::string& written,
                                                       std::string& problem, size_t max_bytes) {
  if (max_bytes == 0) max_bytes = limits_.max_text_file_bytes;
  std::string path = written;
  if (path.front() != '/' && !base_dir_.empty()) path = base_dir_ + "/" + path;
  std::string shown = path == written ? "" : fmt::format(" ({})", quote(path, max_path));
  auto cannot_read = [&](const std::string& reason) {
    problem = fmt::format("cannot read file {}{}: {}", quote(written, max_path), shown, reason);
    return nullptr;
  };
  // Decided on the path with `..` and every symbolic link resolved as the system resolves them
  // (a missing end stays as written), before anything is opened.
  std::error_code error;
  fs::path absolute = fs::absolute(path, error);
  bool inside_as_written = !error && allowed_as_written(absolute.lexically_normal());
  fs::path real = error ? fs::path() : fs::weakly_canonical(absolute, error);
  if (error && !inside_as_written) {
    problem = outside(written, false);
    return nullptr;
  }
  if (error) return cannot_read(error.message());
  if (!allowed(real)) {
    problem = outside(written, inside_as_written);
    return nullptr;
  }
  // O_NOFOLLOW: a symbolic link put in the file's place since is not followed out.
  struct stat info {};
  std::string reason;
  OpenFile file = open_small_file(real.string(), O_NOFOLLOW, max_bytes, info, reason);
  if (!file) return cannot_read(reason);
  auto known = read_.find({info.st_dev, info.st_ino});
  if (known != read_.end()) return known->second;
  auto over_budget = [&](uint64_t size) { return size > limits_.max_file_bytes_total; };
  std::string budget = fmt::format(
      "with it the files named by file: hold more than {} bytes together (limit "
      "--max-scenario-file-bytes)",
      limits_.max_file_bytes_total);
  if (over_budget(loaded_bytes_ + static_cast<uint64_t>(info.st_size))) return cannot_read(budget);
  std::optional<std::string> bytes = read_open_file(file, max_bytes, reason);
  if (!bytes) return cannot_read(reason);
  if (over_budget(loaded_bytes_ + bytes->size())) return cannot_read(budget);  // it grew
  loaded_bytes_ += bytes->size();
  auto shared = std::make_shared<const std::string>(std::move(*bytes));
  read_.emplace(std::make_pair(info.st_dev, info.st_ino), shared);
  return shared;
}

}  // namespace tcpgrade
