// grade --shard K/N and gradebook merge: each id in exactly one shard whatever the listing
// order, shard files that survive any bytes, and merges that refuse shards that do not fit.
#include "grade/shard.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include "grade/gradebook_merge.h"

namespace tcpgrade {
namespace {

namespace fs = std::filesystem;

std::string error_of_shard(const std::string& text) {
  try {
    parse_shard(text);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "no error";
}

TEST(Shard, KOfNIsParsedAndEverythingElseRefused) {
  ShardSpec shard = parse_shard("3/8");
  EXPECT_EQ(shard.index, 3u);
  EXPECT_EQ(shard.count, 8u);
  EXPECT_EQ(parse_shard("1/1").count, 1u);
  for (const char* bad : {"0/4", "5/4", "4", "/4", "1/", "1/0", "a/b", "1/4x", "-1/4", " 1/4",
                          "1/100001", "99999999999/4"})
    EXPECT_EQ(error_of_shard(bad),
              std::string("--shard ") + bad +
                  ": expected K/N with 1 <= K <= N <= 100000 (the first of four is 1/4)")
        << bad;
}

TEST(Shard, EachIdIsInExactlyOneShardWhateverTheOrder) {
  std::vector<std::string> ids;
  for (int i = 0; i < 4000; ++i) ids.push_back(fmt::format("student{}", i));
  std::vector<size_t> sizes(4);
  for (const std::string& id : ids) {
    int shards = 0;
    for (unsigned k = 1; k <= 4; ++k)
      if (in_shard(id, {k, 4})) ++shards, ++sizes[k - 1];
    EXPECT_EQ(shards, 1) << id;
  }
  for (size_t size : sizes) EXPECT_NEAR(static_cast<double>(size), 1000, 150);
  // A fixed hash: the same on every machine, so this value never changes.
  EXPECT_EQ(stable_id_hash(""), 14695981039346656037ull);
  EXPECT_EQ(stable_id_hash("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(shard_file_name({2, 4}), "shard-2-of-4.json");
  EXPECT_TRUE(is_shard_file_name("shard-2-of-4.json"));
  EXPECT_FALSE(is_shard_file_name("shard-02-of-4.json"));
  EXPECT_FALSE(is_shard_file_name("shard-2-of-4.json.tmp.12"));
  EXPECT_FALSE(is_shard_file_name("gradebook.json"));
}

std::vector<Submission> listed(const std::vector<std::string>& ids) {
  std::vector<Submission> all(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) all[i].id = ids[i];
  return all;
}

GradeRow row(const std::string& id, double score) {
  GradeRow r{
      id, id + ".pcap", score, 14, score == 14 ? "pass" : "fail", "", {}, "reports/" + id + ".txt"};
  r.file_hash = "00ff";
  return r;
}

TEST(Shard, AShardFileKeepsEveryByteAndThePrints) {
  std::vector<Submission> whole = listed({"a\xff", "b"});
  ShardFile shard{{1, 2}, shard_class("lab \xfe", 14, whole), {row("a\xff", 3), row("b", 14)}};
  shard.rows[0].reason = "bad \x1b[31m byte \xfe";
  shard.rows[0].failed_checks = {"frame.\xc3", "frame.ack"};
  CapturePrint print;
  print.conversations.push_back(
      {"127.0.0.1:53802 → 127.0.0.1:8002", {1, 2}, {7, 0xffffffffffffull}});
  shard.rows[1].print = print;
  fs::path path = fs::path(::testing::TempDir()) / shard_file_name(shard.shard);
  std::ofstream(path, std::ios::binary) << shard_json(shard);
  ShardFile back = read_shard_file(path);
  EXPECT_EQ(back.shard.index, 1u);
  EXPECT_EQ(back.shard.count, 2u);
  EXPECT_EQ(back.whole.scenario, "lab \xfe");
  EXPECT_EQ(back.whole.size, 2u);
  EXPECT_EQ(back.whole.ids_digest, shard.whole.ids_digest);
  ASSERT_EQ(back.rows.size(), 2u);
  EXPECT_EQ(back.rows[0].id, "a\xff");
  EXPECT_EQ(back.rows[0].reason, "bad \x1b[31m byte \xfe");
  EXPECT_EQ(back.rows[0].failed_checks, shard.rows[0].failed_checks);
  EXPECT_EQ(back.rows[0].score, 3);
  EXPECT_EQ(back.rows[0].file_hash, "00ff");
  EXPECT_FALSE(back.rows[0].print);
  ASSERT_TRUE(back.rows[1].print);
  EXPECT_EQ(back.rows[1].print->conversations[0].segment_keys, print.conversations[0].segment_keys);
  EXPECT_EQ(back.rows[1].print->conversations[0].endpoints, print.conversations[0].endpoints);
  // Another class (other ids) gives another digest.
  EXPECT_NE(shard_class("lab", 14, listed({"a", "b"})).ids_digest,
            shard_class("lab", 14, listed({"ab"})).ids_digest);
}

// Writes the shards of class `ids` (all rows of score 1) into DIR/shardK, reports included.
std::vector<fs::path> write_shards(const fs::path& dir, const std::vector<std::string>& ids,
                                   unsigned count) {
  std::vector<Submission> whole = listed(ids);
  std::vector<fs::path> dirs;
  for (unsigned k = 1; k <= count; ++k) {
    ShardFile shard{{k, count}, shard_class("lab", 14, whole), {}};
    fs::path folder = dir / fmt::format("shard{}", k);
    fs::create_directories(folder / "reports");
    for (const std::string& id : ids)
      if (in_shard(id, shard.shard)) {
        shard.rows.push_back(row(id, 1));
        for (const char* extension : {".txt", ".json", ".html"})
          std::ofstream(folder / "reports" / (id + extension)) << id << extension;
      }
    std::ofstream(folder / shard_file_name(shard.shard)) << shard_json(shard);
    dirs.push_back(folder);
  }
  return dirs;
}

std::string merge_error(const std::vector<fs::path>& dirs) {
  try {
    merge_shards(dirs);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "no error";
}

TEST(GradebookMerge, RowsComeBackInTheClassOrderWithTheirReports) {
  fs::path dir = fs::path(::testing::TempDir()) / "merge-order";
  fs::remove_all(dir);
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) ids.push_back(fmt::format("s{}", i));
  std::sort(ids.begin(), ids.end());
  std::vector<fs::path> dirs = write_shards(dir, ids, 4);
  std::reverse(dirs.begin(), dirs.end());  // any order of the folders
  MergedClass merged = merge_shards(dirs);
  std::vector<std::string> got;
  for (const GradeRow& r : merged.rows) got.push_back(r.id);
  EXPECT_EQ(got, ids);
  copy_shard_reports(merged, dir / "out" / "reports");
  std::ifstream text(dir / "out" / "reports" / "s17.json");
  std::string contents((std::istreambuf_iterator<char>(text)), std::istreambuf_iterator<char>());
  EXPECT_EQ(contents, "s17.json");
  fs::remove_all(dir);
}

TEST(GradebookMerge, ShardsThatDoNotMakeOneClassAreRefused) {
  fs::path dir = fs::path(::testing::TempDir()) / "merge-refused";
  fs::remove_all(dir);
  std::vector<std::string> ids = {"a", "b", "c", "d", "e", "f", "g", "h"};
  std::vector<fs::path> dirs = write_shards(dir / "one", ids, 3);
  EXPECT_EQ(merge_error({dirs[0], dirs[2]}),
            "gradebook merge: shard 2/3 missing: give every shard's folder");
  EXPECT_EQ(merge_error({dirs[0], dirs[1], dirs[1]}), (dirs[1] / "shard-2-of-3.json").string() +
                                                          ": shard 2/3 given twice (also in " +
                                                          dirs[1].string() + ")");
  std::vector<fs::path> other = write_shards(dir / "two", {"a", "b", "c"}, 3);
  EXPECT_NE(merge_error({dirs[0], dirs[1], other[2]}).find("a shard of another class"),
            std::string::npos);
  std::vector<fs::path> four = write_shards(dir / "four", ids, 4);
  EXPECT_EQ(merge_error({dirs[0], four[1]}),
            (four[1] / "shard-2-of-4.json").string() + ": a shard of 4, the first given is of 3");
  fs::create_directories(dir / "empty");
  EXPECT_EQ(merge_error({dir / "empty"}),
            (dir / "empty").string() +
                ": no shard file (shard-K-of-N.json, written by grade --shard K/N)");
  EXPECT_EQ(merge_error({dir / "nothing"}), (dir / "nothing").string() + ": no such shard folder");
  std::ofstream(dirs[0] / "shard-1-of-3.json") << "{\"format\": \"tcpgrade-shard\"";
  EXPECT_NE(merge_error(dirs).find("shard-1-of-3.json: not a valid shard file: "),
            std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tcpgrade
