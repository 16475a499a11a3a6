#include "grade/gradebook_merge.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <stdexcept>

#include "grade/review_child.h"

namespace tcpgrade {
namespace {

namespace fs = std::filesystem;

fs::path shard_file_in(const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error))
    throw std::runtime_error(fmt::format("{}: no such shard folder", dir.string()));
  std::vector<fs::path> found;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error))
    if (is_shard_file_name(entry.path().filename().string())) found.push_back(entry.path());
  if (error)
    throw std::runtime_error(
        fmt::format("{}: cannot list the folder: {}", dir.string(), error.message()));
  if (found.empty())
    throw std::runtime_error(fmt::format(
        "{}: no shard file (shard-K-of-N.json, written by grade --shard K/N)", dir.string()));
  if (found.size() > 1)
    throw std::runtime_error(fmt::format("{}: {} shard files; give each shard's --out folder once",
                                         dir.string(), found.size()));
  return found.front();
}

}  // namespace

MergedClass merge_shards(const std::vector<fs::path>& dirs) {
  if (dirs.empty()) throw std::runtime_error("gradebook merge: no shard folder given");
  MergedClass merged;
  std::vector<fs::path> from;                     // each shard's folder, by index - 1
  std::vector<std::pair<GradeRow, size_t>> rows;  // with the shard's index
  for (const fs::path& dir : dirs) {
    fs::path file = shard_file_in(dir);
    ShardFile shard = read_shard_file(file);
    if (from.empty()) {
      merged.whole = shard.whole;
      from.resize(shard.shard.count);
    }
    const ShardClass& first = merged.whole;
    if (shard.shard.count != from.size())
      throw std::runtime_error(fmt::format("{}: a shard of {}, the first given is of {}",
                                           file.string(), shard.shard.count, from.size()));
    if (shard.whole.ids_digest != first.ids_digest || shard.whole.size != first.size)
      throw std::runtime_error(fmt::format(
          "{}: a shard of another class ({} submissions, the first given has {}, or other ids)",
          file.string(), shard.whole.size, first.size));
    if (shard.whole.scenario != first.scenario || shard.whole.max != first.max)
      throw std::runtime_error(fmt::format("{}: graded with scenario {}, the first with {}",
                                           file.string(), shard.whole.scenario, first.scenario));
    if (shard.shard.index == 0 || shard.shard.index > from.size())
      throw std::runtime_error(
          fmt::format("{}: shard index {} out of range", file.string(), shard.shard.index));
    if (!from[shard.shard.index - 1].empty())
      throw std::runtime_error(fmt::format("{}: shard {}/{} given twice (also in {})",
                                           file.string(), shard.shard.index, from.size(),
                                           from[shard.shard.index - 1].string()));
    from[shard.shard.index - 1] = dir;
    for (GradeRow& row : shard.rows) rows.emplace_back(std::move(row), shard.shard.index - 1);
  }
  std::vector<std::string> absent;
  for (size_t i = 0; i < from.size(); ++i)
    if (from[i].empty()) absent.push_back(fmt::format("{}/{}", i + 1, from.size()));
  if (!absent.empty())
    throw std::runtime_error(
        fmt::format("gradebook merge: shard {} missing: give every shard's "
                    "folder",
                    fmt::join(absent, ", ")));
  if (rows.size() != merged.whole.size)
    throw std::runtime_error(
        fmt::format("gradebook merge: the shards hold {} rows, the class has {} submissions",
                    rows.size(), merged.whole.size));
  // grade lists a class sorted by id (stable): one id's rows share a shard, in its order.
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first.id < b.first.id; });
  for (auto& [row, shard] : rows) {
    merged.rows.push_back(std::move(row));
    merged.report_dirs.push_back(from[shard] / "reports");
  }
  return merged;
}

void copy_shard_reports(const MergedClass& merged, const fs::path& reports) {
  fs::create_directories(reports);
  auto copy = [](const fs::path& from, const fs::path& to, const std::string& name) {
    for (const char* extension : {".txt", ".json", ".html"}) {
      fs::path source = from / (name + extension);
      std::error_code error;
      fs::copy_file(source, to / (name + extension), fs::copy_options::overwrite_existing, error);
      if (error)
        throw std::runtime_error(
            fmt::format("{}: cannot copy the report: {}", source.string(), error.message()));
    }
  };
  for (size_t i = 0; i < merged.rows.size(); ++i) {
    const GradeRow& row = merged.rows[i];
    copy(merged.report_dirs[i], reports, fs::path(row.report).stem().string());  // reports/NAME.txt
    if (row.writeup && !row.writeup->report.empty()) {  // reports/writeups/NAME.txt
      fs::path writeup(row.writeup->report);
      fs::create_directories(reports / writeup_reports_folder);
      copy(merged.report_dirs[i] / writeup_reports_folder, reports / writeup_reports_folder,
           writeup.stem().string());
    }
  }
}

}  // namespace tcpgrade
