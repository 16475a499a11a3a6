// `tcpgrade gradebook merge SHARD_DIR... -o OUT`: the shards of one class (shard.h) joined into
// the gradebook a single run would have written, byte for byte: the rows in the class's order,
// the reports copied into OUT/reports, then copy detection over every row (publish_gradebook),
// so a copy across two shards is caught as one within a shard.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "grade/gradebook.h"
#include "grade/shard.h"

namespace tcpgrade {

struct MergedClass {
  ShardClass whole;
  std::vector<GradeRow> rows;                      // the class's order: by id, as grade lists
  std::vector<std::filesystem::path> report_dirs;  // per row: its shard's reports/ folder
};

// Each folder holds one shard file (shard-K-of-N.json). Throws std::runtime_error naming the
// folder or file when one holds none or several, when the shards are of different classes,
// scenarios or counts, when a shard is missing or given twice, or rows are missing.
MergedClass merge_shards(const std::vector<std::filesystem::path>& dirs);

// Each row's three reports copied from its shard into `reports` (created). Throws naming a file.
void copy_shard_reports(const MergedClass& merged, const std::filesystem::path& reports);

}  // namespace tcpgrade
