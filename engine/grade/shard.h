// grade --shard K/N: a class larger than one machine. Each submission belongs to one shard by
// a stable hash of its id (not by its place in the list), so every machine of a Slurm array or
// a CI matrix picks the same share from the same class, whatever order it lists the folder in.
// A shard's run writes its reports and a shard file, shard-K-of-N.json: its rows with what copy
// detection needs (each capture's print and file hash), which `gradebook merge` joins into the
// class's gradebook (gradebook_merge.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "grade/gradebook.h"
#include "grade/submissions.h"

namespace tcpgrade {

struct ShardSpec {
  unsigned index = 0, count = 0;  // K and N: 1 ≤ K ≤ N
};

// "K/N" with 1 ≤ K ≤ N ≤ 100000; throws std::runtime_error saying what is wrong.
ShardSpec parse_shard(std::string_view text);

// FNV-1a over the id's bytes: the same on every machine and in every run.
uint64_t stable_id_hash(std::string_view id);
bool in_shard(const std::string& id, const ShardSpec& shard);

// "shard-2-of-4.json".
std::string shard_file_name(const ShardSpec& shard);
// A name shard_file_name gives: what grade clears in --out and merge looks for in a folder.
bool is_shard_file_name(const std::string& name);

// What ties the shards of one class together: the scenario, its maximum and the class's ids
// (a digest of them all), so shards of two classes or two scenarios are never merged.
struct ShardClass {
  std::string scenario;
  double max = 0;
  size_t size = 0;         // submissions in the whole class
  std::string ids_digest;  // of every id in the class, in order
};

ShardClass shard_class(const std::string& scenario, double max,
                       const std::vector<Submission>& whole_class);

struct ShardFile {
  ShardSpec shard;
  ShardClass whole;
  std::vector<GradeRow> rows;  // this shard's, in the class's order, with prints and hashes
};

// Any bytes in ids, files and reasons survive the round trip: text that is not UTF-8 is
// written as {"hex": ...}.
std::string shard_json(const ShardFile& shard);
// Throws std::runtime_error naming `path` when it is not a shard file as shard_json writes.
ShardFile read_shard_file(const std::filesystem::path& path);

}  // namespace tcpgrade
