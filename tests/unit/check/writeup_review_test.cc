// review_writeup: a write-up's statements judged against LEARN.pcap. The lab document gives
// exactly its two misreads; a wrong statement fails on its packet with the capture's reading;
// numbering offsets and pasted lines are one finding each.
#include "check/writeup_review.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "capture/capture_reader.h"

namespace tcpgrade {
namespace {

const std::string source_dir = TCPGRADE_SOURCE_DIR;

CaptureContents learn() { return read_capture(source_dir + "/scenarios/http-lab/LEARN.pcap"); }

std::string file_text(const std::string& path) {
  std::ifstream in(source_dir + "/" + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The statements' findings. Most write-ups here describe a packet or two, so review.coverage
// fails on them by design; it has tests of its own below.
std::set<std::string> not_passed(const Report& report) {
  std::set<std::string> ids;
  for (const CheckResult& check : report.claims)
    if (check.status != CheckStatus::pass && check.id != "review.coverage") ids.insert(check.id);
  return ids;
}

const CheckResult* check_of(const Report& report, const std::string& id) {
  for (const CheckResult& check : report.claims)
    if (check.id == id) return &check;
  return nullptr;
}

TEST(WriteupReview, LabDocumentGivesExactlyItsTwoMisreads) {
  Report report =
      review_writeup(file_text("tests/data/writeups/lab-document.md"), "lab-document.md", learn());
  EXPECT_EQ(not_passed(report),
            (std::set<std::string>{"review.packet7.phase", "review.packet8.carries"}));
  EXPECT_TRUE(report.root_causes.empty());
  EXPECT_GT(report.claims.size(), 60u);  // the document's statements were read, not skipped
  const CheckResult* phase = check_of(report, "review.packet7.phase");
  ASSERT_NE(phase, nullptr);
  EXPECT_EQ(phase->expected, "handshake");
  EXPECT_EQ(phase->actual, "data");
  EXPECT_NE(phase->hint.find("the handshake ended at frame 3"), std::string::npos);
  const CheckResult* status_line = check_of(report, "review.packet8.carries");
  ASSERT_NE(status_line, nullptr);
  EXPECT_NE(status_line->hint.find("frame 6"), std::string::npos);
  ASSERT_FALSE(report.notes.empty());
  EXPECT_NE(report.notes[0].find("12 packet sections"), std::string::npos);
  EXPECT_NE(report.notes[0].find("not checked"), std::string::npos);
  EXPECT_FALSE(report.passed());
}

TEST(WriteupReview, WrongStatementFailsOnItsPacket) {
  Report report =
      review_writeup("### Packet 5\n* Server acknowledges frame 4: Ack = 78\n* Localhost IP used\n",
                     "w.md", learn());
  EXPECT_EQ(not_passed(report), std::set<std::string>{"review.packet5.ack"});
  const CheckResult* ack = check_of(report, "review.packet5.ack");
  ASSERT_NE(ack, nullptr);
  EXPECT_EQ(ack->frame, 5u);
  EXPECT_EQ(ack->actual, "79");
  EXPECT_NE(report.notes[0].find("2 statements found: 1 checked"), std::string::npos);
  EXPECT_NE(report.notes.at(1).find("Localhost IP used"), std::string::npos);
}

TEST(WriteupReview, NumberingOffsetIsOneFinding) {
  // Packets 3 to 5 of this write-up are frames 1 to 3.
  Report report = review_writeup(
      "Packet 3: [SYN] Seq=0 Len=0, 74 bytes on wire\n"
      "Packet 4: [SYN, ACK] Seq=0 Ack=1 Len=0\n"
      "Packet 5: [ACK] Seq=1 Ack=1 Len=0, 66 bytes on wire\n",
      "w.md", learn());
  EXPECT_EQ(not_passed(report), std::set<std::string>{"review.numbering"});
  ASSERT_EQ(report.root_causes.size(), 1u);
  EXPECT_EQ(report.root_causes[0].id, writeup_cause::numbering_offset);
  EXPECT_NE(check_of(report, "review.numbering")->hint.find("its packet 3 is frame 1"),
            std::string::npos);
}

TEST(WriteupReview, PastedLinesAreOneFinding) {
  Report report = review_writeup(
      "Packet 1: 1 0.000000 10.0.0.1 → 10.0.0.2 TCP 74 40000 → 8002 [SYN] Seq=0 TSval=17\n"
      "Packet 2: 2 0.000100 10.0.0.2 → 10.0.0.1 TCP 74 8002 → 40000 [SYN, ACK] Seq=0 Ack=1\n"
      "Packet 3: the client ACKs the SYN, Ack=1, in the handshake\n",
      "w.md", learn());
  EXPECT_EQ(not_passed(report), std::set<std::string>{"review.pasted-lines"});
  ASSERT_EQ(report.root_causes.size(), 1u);
  EXPECT_EQ(report.root_causes[0].id, writeup_cause::pasted_lines);
  EXPECT_NE(check_of(report, "review.pasted-lines")->actual.find("40000 → 8002"),
            std::string::npos);
}

TEST(WriteupReview, AbsoluteNumbersNamed) {
  Report report = review_writeup("Packet 3: Seq = 1015684904\n", "w.md", learn());
  EXPECT_EQ(not_passed(report), std::set<std::string>{"review.packet3.seq"});
  ASSERT_EQ(report.root_causes.size(), 1u);
  EXPECT_EQ(report.root_causes[0].id, "absolute-numbers");
}

TEST(WriteupReview, UnreadableWriteupNamesTheFile) {
  try {
    review_writeup("no packets in here", "essay.md", learn());
    FAIL() << "read";
  } catch (const WriteupError& error) {
    EXPECT_EQ(std::string(error.what()).rfind("essay.md: no packet sections", 0), 0u);
  }
}

// Found reviewing fresh students' write-ups.
TEST(WriteupReview, AckFieldOfTheSynIsNoAbsoluteNumber) {
  // Wireshark's details pane shows "Acknowledgment Number: 0" on the SYN: right, not raw.
  Report report = review_writeup("### Frame 1\n    Acknowledgment Number: 0\n", "w.md", learn());
  EXPECT_TRUE(not_passed(report).empty());
  EXPECT_TRUE(report.root_causes.empty());
  Report wrong = review_writeup("### Frame 1\nAck = 1\n", "w.md", learn());
  EXPECT_EQ(not_passed(wrong), std::set<std::string>{"review.packet1.ack"});
  EXPECT_NE(check_of(wrong, "review.packet1.ack")->hint.find("no ACK flag"), std::string::npos);
}

TEST(WriteupReview, SwappedFinSendersNameTheOtherFin) {
  Report report = review_writeup(
      "Packet 10: the client initiates the close, [FIN, ACK], Seq=79\n"
      "Packet 11: the server answers with its FIN\n",
      "w.md", learn());
  EXPECT_EQ(not_passed(report), (std::set<std::string>{"review.packet10.dir", "review.packet10.seq",
                                                       "review.packet11.dir"}));
  const CheckResult* dir = check_of(report, "review.packet10.dir");
  ASSERT_NE(dir, nullptr);
  EXPECT_EQ(dir->hint,
            "frame 10 (8002 → 53802) is a FIN from the server: the server closes first; the "
            "client's FIN is frame 11");
  EXPECT_NE(check_of(report, "review.packet10.seq")
                ->hint.find("Seq=79 belongs to frame 11 (client→server [FIN, ACK]"),
            std::string::npos);
}

TEST(WriteupReview, WriteupOfTheSecondConnectionIsAboutIt) {
  CaptureContents two =
      read_capture(source_dir + "/tests/data/captures/writeup-extra-connection.pcap");
  Report report = review_writeup(
      "Frame 13: the client's SYN, Seq=0, first step of the handshake.\n"
      "Frame 14: SYN-ACK from the server, Ack=1.\n"
      "Frame 16: the GET request (Len=78), from the client.\n",
      "w.md", std::move(two));
  EXPECT_TRUE(not_passed(report).empty());
  EXPECT_TRUE(report.root_causes.empty());  // no "several connections" against the student
  ASSERT_EQ(report.conversations.size(), 1u);
  EXPECT_EQ(report.conversations[0].stream, 1u);
  EXPECT_NE(report.notes.at(1).find("connection stream 1"), std::string::npos);
}

TEST(WriteupReview, CoverageNamesTheFramesLeftOut) {
  Report report = review_writeup(
      "Frame 1: SYN from the client\nFrame 2: SYN, ACK from the server\nFrame 3: ACK, the "
      "handshake is done\n",
      "thin.txt", learn());
  const CheckResult* coverage = check_of(report, "review.coverage");
  ASSERT_NE(coverage, nullptr);
  EXPECT_EQ(coverage->status, CheckStatus::fail);
  EXPECT_EQ(coverage->points, 3);  // a point per frame described, of the connection's 12
  EXPECT_EQ(coverage->max_points, 12);
  EXPECT_EQ(coverage->expected, "sections on frames 1–3");
  EXPECT_EQ(coverage->actual, "the connection's frames 1–12");
  EXPECT_NE(coverage->hint.find("for frames 4–12"), std::string::npos);
  EXPECT_FALSE(report.passed());  // right about three packets is not a reading of twelve
}

TEST(WriteupReview, CoverageFollowsTheNumberingOffset) {
  // Packets 3-14 of a display filter are frames 1-12: every frame has its section.
  Report report = review_writeup(file_text("tests/data/writeups/mistake-numbered-with-offset.md"),
                                 "offset.md", learn());
  ASSERT_NE(check_of(report, "review.numbering"), nullptr);
  const CheckResult* coverage = check_of(report, "review.coverage");
  ASSERT_NE(coverage, nullptr);
  EXPECT_EQ(coverage->status, CheckStatus::pass) << coverage->expected;
  EXPECT_EQ(coverage->max_points, 12);
}

}  // namespace
}  // namespace tcpgrade
