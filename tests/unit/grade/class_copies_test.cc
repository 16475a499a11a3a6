// Copy detection over a graded class (issue 19): groups from shared conversations and from
// byte-identical files, each row told its group, the others in it and its evidence; rows that
// copied nothing are left alone, and so are the grades.
#include "grade/class_copies.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "grade/capture_print_json.h"

namespace tcpgrade {
namespace {

CapturePrint print_of(const std::string& endpoints, std::vector<uint64_t> keys) {
  ConversationPrint conversation;
  conversation.endpoints = endpoints;
  conversation.segment_keys = std::move(keys);
  CapturePrint print;
  print.conversations.push_back(std::move(conversation));
  return print;
}

GradeRow row(const std::string& id, double score = 2) {
  GradeRow r;
  r.id = id;
  r.file = id + ".pcap";
  r.score = score;
  r.max = 2;
  r.status = score == 2 ? "pass" : "fail";
  return r;
}

TEST(ClassCopies, SharedConversationsAndIdenticalFilesMakeGroups) {
  std::vector<GradeRow> rows = {row("alice"), row("bob", 1), row("carol"),
                                row("dave"),  row("erin"),   row("frank", 0)};
  const std::string lab = "127.0.0.1:44394 → 127.0.0.1:8002";
  rows[0].print = print_of(lab, {1, 2, 3, 4, 5, 6});
  rows[0].file_hash = "aaaa";
  rows[1].print = print_of("127.0.0.1:40000 → 127.0.0.1:8002", {11, 12, 13, 14});  // its own run
  rows[1].file_hash = "bbbb";
  rows[2].print = print_of(lab, {3, 4, 5, 6});  // alice's, trimmed
  rows[2].file_hash = "cccc";
  rows[3].print = rows[0].print;  // alice's file, byte for byte
  rows[3].file_hash = "aaaa";
  rows[4].file_hash = "eeee";  // an essay, no print
  rows[5].file_hash = "eeee";  // the same essay

  std::vector<ClassCopyGroup> groups = mark_copies(rows);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].number, 1u);
  EXPECT_EQ(groups[0].ids, (std::vector<std::string>{"alice", "carol", "dave"}));
  EXPECT_EQ(groups[0].evidence,
            (std::vector<std::string>{"dave is byte-identical to alice",
                                      "alice shares 4 of its 6 segments of " + lab +
                                          " with carol (4 in carol's capture)"}));
  EXPECT_EQ(groups[1].ids, (std::vector<std::string>{"erin", "frank"}));

  EXPECT_EQ(rows[0].copy_group, 1u);
  EXPECT_EQ(rows[0].copied_with, (std::vector<std::string>{"carol", "dave"}));
  EXPECT_EQ(rows[0].copy_evidence, "byte-identical to dave; shares 4 of its 6 segments of " + lab +
                                       " with carol (4 in carol's capture)");
  EXPECT_EQ(rows[2].copy_evidence,
            "shares 4 of its 4 segments of " + lab + " with alice (6 in alice's capture)");
  EXPECT_EQ(rows[3].copy_evidence, "byte-identical to alice");  // not also its conversation
  EXPECT_EQ(rows[5].copy_group, 2u);
  EXPECT_EQ(rows[5].copy_evidence, "byte-identical to erin");

  EXPECT_EQ(rows[1].copy_group, 0u);  // bob copied nothing
  EXPECT_TRUE(rows[1].copied_with.empty());
  EXPECT_TRUE(rows[1].copy_evidence.empty());
  EXPECT_EQ(rows[1].score, 1);  // grades are not changed
  EXPECT_EQ(rows[5].score, 0);
}

TEST(ClassCopies, NothingSharedNoGroup) {
  std::vector<GradeRow> rows = {row("alice"), row("bob"), row("carol")};
  rows[0].print = print_of("a", {1, 2, 3});
  rows[1].print = print_of("b", {4, 5, 6});
  rows[2].print = print_of("c", {1, 7, 8, 9});  // one key in common is not a shared run
  EXPECT_TRUE(mark_copies(rows).empty());
  for (const GradeRow& r : rows) EXPECT_EQ(r.copy_group, 0u) << r.id;
}

// A large group keeps each row's evidence to one readable line.
TEST(ClassCopies, ARowsEvidenceIsBounded) {
  std::vector<GradeRow> rows;
  for (int i = 0; i < 10; ++i) {
    rows.push_back(row("s" + std::to_string(i)));
    rows.back().file_hash = "same";
  }
  std::vector<ClassCopyGroup> groups = mark_copies(rows);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].evidence.size(), 9u);
  EXPECT_EQ(rows[0].copied_with.size(), 9u);
  EXPECT_EQ(rows[0].copy_evidence,
            "byte-identical to s1; byte-identical to s2; byte-identical to s3; and 6 more "
            "(gradebook.json)");
  EXPECT_EQ(rows[9].copy_evidence, "byte-identical to s0");
}

TEST(CapturePrintJson, RoundTripsAndRefusesWhatItDidNotWrite) {
  CapturePrint print = print_of("127.0.0.1:1 → 127.0.0.1:2", {0, 42, 0xffffffffffffffffULL});
  std::optional<CapturePrint> back = capture_print_from_json(capture_print_json(print));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->conversations.size(), 1u);
  EXPECT_EQ(back->conversations[0].endpoints, "127.0.0.1:1 → 127.0.0.1:2");
  EXPECT_EQ(back->conversations[0].segment_keys, print.conversations[0].segment_keys);
  EXPECT_FALSE(capture_print_from_json(nlohmann::json::object()));
  EXPECT_FALSE(capture_print_from_json(nlohmann::json::parse(R"([{"endpoints":"x","keys":[1]}])")));
  EXPECT_FALSE(
      capture_print_from_json(nlohmann::json::parse(R"([{"endpoints":"x","keys":["zz"]}])")));
  EXPECT_FALSE(capture_print_from_json(
      nlohmann::json::parse(R"([{"endpoints":"x","keys":["10000000000000000"]}])")));  // 2^64
  // A child's line is bounded however long the array it sends.
  nlohmann::json many = nlohmann::json::array();
  for (size_t i = 0; i < max_printed_conversations + 5; ++i)
    many.push_back({{"endpoints", "x"}, {"keys", std::vector<std::string>(300, "1")}});
  back = capture_print_from_json(many);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->conversations.size(), max_printed_conversations);
}

}  // namespace
}  // namespace tcpgrade
