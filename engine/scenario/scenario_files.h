// The files a scenario's `file:` keys name (a payload, a stream, what a claim carries), read
// while one scenario loads. A scenario may come from anyone (shared between courses, found
// online): `file:` reads only inside the scenario's own folder tree and the folders given to
// --allow-file-root, so it cannot bring /etc/shadow or /proc/self/environ, or even their sizes,
// into a student's report. Each file is read once however many keys name it (known by device
// and inode: a second spelling or a hard link is the same file) and its bytes are shared; all
// the files together stay within max_file_bytes_total.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "scenario/scenario_limits.h"

namespace tcpgrade {

class ScenarioFiles {
 public:
  // `base_dir`: the scenario file's folder; "" is the current folder (a scenario from stdin).
  ScenarioFiles(const std::string& base_dir, const ScenarioLimits& limits);

  // The bytes of the file `written` names (relative to base_dir), shared with every other key
  // that names the same file. Null when it cannot be had, with `problem` set to what to tell
  // the author after the field's label: "'x' is outside the scenario's folder (...)..." (such a
  // file is never opened: no size, no content), or "cannot read file 'x' (...): REASON".
  // `max_bytes`: the file's own limit; 0 is --max-text-file-bytes (a transfer block's file,
  // a whole download, may be larger: it is limited by the budget of all files together).
  std::shared_ptr<const std::string> read(const std::string& written, std::string& problem,
                                          size_t max_bytes = 0);

  // Whether the folder `written` names (relative to base_dir) lies inside the same folders
  // `file:` may read: `live: www:` is served to whoever connects, so it is confined alike.
  // False with `problem` set as read() sets it; nothing is opened.
  bool folder_allowed(const std::string& written, std::string& problem) const;

 private:
  bool allowed(const std::filesystem::path& real) const;
  bool allowed_as_written(const std::filesystem::path& path) const;
  std::string outside(const std::string& written, bool through_link,
                      const char* reader = "file: reads only files") const;
  // The path as written (absolute) and resolved; false with `problem` set when it is outside.
  bool inside(const std::string& written, const char* reader, std::filesystem::path& real,
              bool& inside_as_written, std::string& problem) const;

  const ScenarioLimits& limits_;
  std::string base_dir_;
  std::vector<std::filesystem::path> roots_;          // real paths; the scenario's folder first
  std::vector<std::filesystem::path> written_roots_;  // the same, as given (absolute)
  std::map<std::pair<dev_t, ino_t>, std::shared_ptr<const std::string>> read_;
  size_t loaded_bytes_ = 0;  // of the files read so far, each once
};

}  // namespace tcpgrade
