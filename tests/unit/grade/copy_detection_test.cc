// Copy detection: captures of one run found together however the copy was altered, and
// separate runs of the same lab never.
#include "grade/copy_detection.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "analysis/capture_fingerprint.h"
#include "analysis/captured_conversation.h"

namespace tcpgrade {
namespace {

namespace fs = std::filesystem;

const fs::path captures = fs::path(TCPGRADE_SOURCE_DIR) / "tests" / "data" / "captures";
const fs::path lab = fs::path(TCPGRADE_SOURCE_DIR) / "scenarios" / "http-lab";

PrintedSubmission printed(const std::string& id, const fs::path& file) {
  return {id, fingerprint_capture(read_capture(file.string()))};
}

TEST(CopyDetection, SeparateRunsOfTheLabAreNeverFlagged) {
  // Every real capture of the lab in the test data is a separate run.
  std::vector<PrintedSubmission> class_of;
  for (const char* name :
       {"lab-lo.pcap", "lab-lo.pcapng", "lab-any-sll.pcap", "lab-any-sll2.pcap", "lab-lo-ipv6.pcap",
        "lab-lo-keepalive.pcap", "lab-lo-sack-off.pcap", "lab-lo-timestamps-off.pcap",
        "lab-lo-window-scaling-off.pcap", "matrix-wget.pcap", "matrix-python-urllib.pcap",
        "matrix-slow-server.pcap", "matrix-curl-close.pcap", "matrix-http11-server.pcap",
        "matrix-nanoseconds.pcap", "matrix-dumpcap.pcapng", "lab-refused.pcap"})
    class_of.push_back(printed(name, captures / name));
  EXPECT_TRUE(find_copies(class_of).empty());
}

TEST(CopyDetection, ACopyIsFoundRenamedTrimmedOrCutShort) {
  // learn-cut-short and learn-late-start are LEARN.pcap cut at the end and at the start.
  std::vector<PrintedSubmission> class_of = {
      printed("a1", lab / "LEARN.pcap"),
      printed("a2", captures / "lab-lo.pcap"),
      printed("a3", captures / "learn-cut-short.pcap"),
      printed("a4", captures / "learn-late-start.pcap"),
      printed("a5", lab / "LEARN.pcap"),
  };
  std::vector<CopyGroup> groups = find_copies(class_of);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].ids, (std::vector<std::string>{"a1", "a3", "a4", "a5"}));
  // Each copy is tied to the group by evidence naming the conversation.
  ASSERT_FALSE(groups[0].evidence.empty());
  const SharedConversation& first = groups[0].evidence.front();
  EXPECT_EQ(first.a, "a1");
  EXPECT_EQ(first.endpoints, "127.0.0.1:53802 → 127.0.0.1:8002");
  EXPECT_EQ(evidence_text(first, "a1").rfind("shares ", 0), 0u);
}

TEST(CopyDetection, KeysIgnoreCaptureTimesAndTrimming) {
  CaptureContents whole = read_capture((lab / "LEARN.pcap").string());
  CaptureContents altered = whole;
  CapturedConversation& c = altered.conversations.at(0);
  for (CapturedSegment& s : c.segments) s.timestamp.sec += 86400;  // a day later
  c.segments.erase(c.segments.begin(), c.segments.begin() + 4);    // trimmed at the start
  c.segments.pop_back();                                           // and at the end
  std::vector<CopyGroup> groups =
      find_copies({{"orig", fingerprint_capture(whole)}, {"copy", fingerprint_capture(altered)}});
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].evidence.at(0).common, 7u);
  EXPECT_EQ(groups[0].evidence.at(0).in_b, 7u);
}

TEST(CopyDetection, OneSharedSegmentOfLongConversationsIsNotACopy) {
  ConversationPrint a{"x", {0, 0}, {1, 2, 3, 4, 5, 6}};
  ConversationPrint b{"y", {0, 0}, {6, 7, 8, 9, 10, 11}};
  EXPECT_TRUE(find_copies({{"s1", {{a}}}, {"s2", {{b}}}}).empty());
  ConversationPrint c{"z", {0, 0}, {4, 5, 6, 12, 13, 14}};  // half of the shorter
  EXPECT_EQ(find_copies({{"s1", {{a}}}, {"s2", {{c}}}}).size(), 1u);
}

}  // namespace
}  // namespace tcpgrade
