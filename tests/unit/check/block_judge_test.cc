// Transfer and teardown blocks judged on the segments they claimed (check/block_judge.h).
#include "check/block_judge.h"

#include <gtest/gtest.h>

#include <memory>
#include <numeric>

namespace tcpgrade {
namespace {

constexpr Direction c2s = Direction::client_to_server, s2c = Direction::server_to_client;
constexpr uint16_t ack = tcp_flag::ack, fin = tcp_flag::fin | tcp_flag::ack,
                   rst = tcp_flag::rst | tcp_flag::ack;

// A conversation written segment by segment, relative numbers as Wireshark shows them.
struct Conversation {
  CapturedConversation c;
  Conversation& add(Direction d, uint16_t flags, uint32_t seq, uint32_t ack_number, uint32_t len,
                    uint32_t analysis = 0) {
    CapturedSegment& s = c.segments.emplace_back();
    s.frame = c.segments.size();
    s.direction = d;
    s.flags = flags;
    s.seq = seq;
    s.ack = ack_number;
    s.len = len;
    s.analysis_flags = analysis;
    s.payload.assign(len, 'x');
    return *this;
  }
  std::vector<size_t> all() const {
    std::vector<size_t> v(c.segments.size());
    std::iota(v.begin(), v.end(), 0);
    return v;
  }
};

const BlockCheck& check(const BlockVerdict& v, const std::string& field) {
  for (const BlockCheck& b : v.checks)
    if (b.field == field) return b;
  ADD_FAILURE() << "no check " << field;
  static BlockCheck none;
  return none;
}

BlockExpectation transfer(int64_t bytes) {
  BlockExpectation b;
  b.kind = BlockKind::transfer;
  b.transfer.direction = s2c;
  b.transfer.bytes.kind = MatchKind::exact;
  b.transfer.bytes.value = bytes;
  return b;
}

TEST(TransferBlock, ContiguousAcknowledgedBytesPassEveryCheck) {
  Conversation t;
  t.add(s2c, ack, 206, 86, 1000).add(c2s, ack, 86, 1206, 0).add(s2c, ack, 1206, 86, 1000);
  t.add(c2s, ack, 86, 2206, 0);
  BlockVerdict v = judge_block(transfer(2000), t.c, t.all(), 0);
  ASSERT_EQ(v.checks.size(), 3u);  // bytes, seq, acked: the list the scenario fixes
  for (const BlockCheck& b : v.checks) EXPECT_EQ(b.status, CheckStatus::pass) << b.field;
  EXPECT_EQ(check(v, "bytes").actual, "2000 bytes in 2 data segments");
  EXPECT_EQ(check(v, "acked").actual, "Ack 2206 (frame 4)");
  EXPECT_EQ(v.first_frame, 1u);
  EXPECT_EQ(v.last_frame, 4u);
}

TEST(TransferBlock, WrongByteCountFails) {
  Conversation t;
  t.add(s2c, ack, 1, 1, 1000).add(c2s, ack, 1, 1001, 0);
  BlockVerdict v = judge_block(transfer(2000), t.c, t.all(), 0);
  EXPECT_EQ(check(v, "bytes").status, CheckStatus::fail);
  EXPECT_EQ(check(v, "bytes").expected, "2000");
}

TEST(TransferBlock, AGapNamesTheBytesNeverSent) {
  Conversation t;
  t.add(s2c, ack, 1, 1, 1448).add(s2c, ack, 2897, 1, 1448).add(c2s, ack, 1, 4345, 0);
  BlockVerdict v = judge_block(transfer(2896), t.c, t.all(), 0);
  EXPECT_EQ(check(v, "seq").status, CheckStatus::fail);
  EXPECT_EQ(check(v, "seq").actual,
            "bytes 1448–2895 (Seq 1449–2896) are missing before frame 2: never sent, or lost by "
            "the capture");
}

TEST(TransferBlock, BytesNeverAcknowledgedAreNamed) {
  Conversation t;
  t.add(s2c, ack, 1, 1, 1448).add(c2s, ack, 1, 1449, 0).add(s2c, ack, 1449, 1, 1448);
  BlockVerdict v = judge_block(transfer(2896), t.c, t.all(), 0);
  EXPECT_EQ(check(v, "acked").status, CheckStatus::fail);
  EXPECT_EQ(check(v, "acked").actual,
            "bytes 1448–2895 never acknowledged: the highest Ack is 1449 (frame 2)");
}

TEST(TransferBlock, TheAckMayComeAfterTheBlock) {
  Conversation t;
  t.add(s2c, ack, 1, 1, 100);
  t.add(c2s, fin, 1, 101, 0);  // not claimed: the teardown's
  BlockVerdict v = judge_block(transfer(100), t.c, {0}, 0);
  EXPECT_EQ(check(v, "acked").status, CheckStatus::pass);
}

TEST(TransferBlock, RetransmittedBytesCountOnceAndPassOnlyAsToleratedNoise) {
  Conversation t;
  t.add(s2c, ack, 1, 1, 100).add(s2c, ack, 1, 1, 100, analysis_flag::retransmission);
  t.add(c2s, ack, 1, 101, 0);
  BlockVerdict tolerated = judge_block(transfer(100), t.c, t.all(), analysis_flag::retransmission);
  EXPECT_EQ(check(tolerated, "bytes").status, CheckStatus::pass);
  EXPECT_EQ(check(tolerated, "seq").status, CheckStatus::pass);
  BlockVerdict strict = judge_block(transfer(100), t.c, t.all(), 0);
  EXPECT_EQ(check(strict, "seq").status, CheckStatus::fail);
  EXPECT_EQ(check(strict, "seq").actual,
            "frame 2 sends bytes 0–99 again, a retransmission the scenario's noise: does not "
            "allow");
}

TEST(TransferBlock, SegmentCountRangeAndNoDataAtAll) {
  BlockExpectation b = transfer(100);
  b.transfer.segments.kind = MatchKind::range;
  b.transfer.segments.low = 2;
  b.transfer.segments.high = 5;
  Conversation t;
  t.add(s2c, ack, 1, 1, 100).add(c2s, ack, 1, 101, 0);
  EXPECT_EQ(check(judge_block(b, t.c, t.all(), 0), "segments").status, CheckStatus::fail);
  Conversation acks_only;
  acks_only.add(c2s, ack, 1, 1, 0);
  BlockVerdict none = judge_block(b, acks_only.c, acks_only.all(), 0);
  ASSERT_EQ(none.checks.size(), 4u);  // the same list: bytes, seq, acked, segments
  for (const BlockCheck& c : none.checks) EXPECT_EQ(c.status, CheckStatus::fail);
  EXPECT_EQ(none.checks[3].field, "segments");
}

TEST(TransferBlock, AFileIsComparedWholeBySizeThenContent) {
  BlockExpectation b = transfer(3000);
  b.transfer.payload.kind = TextMatchKind::equals_file;
  b.transfer.payload.file = "big.bin";
  b.transfer.payload.file_bytes = std::make_shared<const std::string>(3000, 'x');
  Conversation t;
  t.add(s2c, ack, 1, 1, 1500).add(s2c, ack, 1501, 1, 1500).add(c2s, ack, 1, 3001, 0);
  EXPECT_EQ(check(judge_block(b, t.c, t.all(), 0), "payload").actual,
            "3000 bytes, the same as big.bin");
  t.c.segments[1].payload[10] = 'y';
  BlockVerdict changed = judge_block(b, t.c, t.all(), 0);
  EXPECT_EQ(check(changed, "payload").status, CheckStatus::fail);
  EXPECT_EQ(check(changed, "payload").actual, "3000 bytes, differing from big.bin at byte 1510");
  Conversation cut;
  cut.add(s2c, ack, 1, 1, 1500).add(c2s, ack, 1, 1501, 0);
  cut.c.segments[0].payload.resize(30);  // the snap length
  EXPECT_EQ(check(judge_block(b, cut.c, cut.all(), 0), "payload").status,
            CheckStatus::unverifiable);
}

TEST(TransferBlock, WhatFitsATransfer) {
  BlockExpectation b = transfer(0);
  CapturedSegment data, pure_ack, fin_data, syn;
  data.direction = s2c, data.flags = ack, data.len = 10;
  pure_ack.direction = c2s, pure_ack.flags = ack;
  fin_data.direction = s2c, fin_data.flags = fin, fin_data.len = 10;
  syn.direction = c2s, syn.flags = tcp_flag::syn;
  EXPECT_EQ(block_absorb_cost(b, data), 0);
  EXPECT_EQ(block_absorb_cost(b, pure_ack), 1);
  EXPECT_EQ(block_absorb_cost(b, fin_data), -1);
  b.transfer.last_may_carry_fin = true;
  EXPECT_EQ(block_absorb_cost(b, fin_data), 0);
  EXPECT_EQ(block_absorb_cost(b, syn), -1);
}

BlockExpectation teardown(bool allow_rst = false) {
  BlockExpectation b;
  b.kind = BlockKind::teardown;
  b.teardown.allow_rst_after_fin = allow_rst;
  return b;
}

void expect_all_pass(const BlockVerdict& v) {
  ASSERT_EQ(v.checks.size(), 4u);  // fins, fin-acks, no-data-after-fin, rst
  for (const BlockCheck& b : v.checks)
    EXPECT_EQ(b.status, CheckStatus::pass) << b.field << ": " << b.actual;
}

TEST(TeardownBlock, ServerClosesFirst) {
  Conversation t;
  t.add(s2c, fin, 219, 79, 0).add(c2s, fin, 79, 220, 0).add(s2c, ack, 220, 80, 0);
  BlockVerdict v = judge_block(teardown(), t.c, t.all(), 0);
  expect_all_pass(v);
  EXPECT_EQ(v.note, "the server closed first (frame 1), the client then (frame 2)");
}

TEST(TeardownBlock, ClientClosesFirst) {
  Conversation t;
  t.add(c2s, fin, 79, 219, 0).add(s2c, fin, 219, 80, 0).add(c2s, ack, 80, 220, 0);
  BlockVerdict v = judge_block(teardown(), t.c, t.all(), 0);
  expect_all_pass(v);
  EXPECT_EQ(v.note, "the client closed first (frame 1), the server then (frame 2)");
}

TEST(TeardownBlock, SimultaneousCloseTheFinsCross) {
  Conversation t;
  t.add(s2c, fin, 219, 79, 0).add(c2s, fin, 79, 219, 0);
  t.add(c2s, ack, 80, 220, 0).add(s2c, ack, 220, 80, 0);
  BlockVerdict v = judge_block(teardown(), t.c, t.all(), 0);
  expect_all_pass(v);
  EXPECT_EQ(v.note, "both sides closed at once, the FINs crossed (frames 1 and 2)");
}

TEST(TeardownBlock, FinOnTheLastDataSegmentBeforeTheBlock) {
  Conversation t;
  t.add(s2c, fin, 186, 79, 33);  // claimed by the transfer before the teardown
  t.add(c2s, ack, 79, 220, 0).add(c2s, fin, 79, 220, 0).add(s2c, ack, 220, 80, 0);
  BlockVerdict v = judge_block(teardown(), t.c, {1, 2, 3}, 0);
  expect_all_pass(v);
  EXPECT_EQ(v.note,
            "the server closed first (frame 1), the client then (frame 3), the first FIN on the "
            "last data segment");
}

TEST(TeardownBlock, FinOvertakesTheAckOfTheData) {
  Conversation t;
  t.add(s2c, fin, 219, 79, 0).add(c2s, ack, 79, 219, 0);  // the body's ACK, after the FIN
  t.add(c2s, fin, 79, 220, 0).add(s2c, ack, 220, 80, 0);
  expect_all_pass(judge_block(teardown(), t.c, t.all(), 0));
}

TEST(TeardownBlock, AnUnacknowledgedFinNamesFrameAndAck) {
  Conversation t;
  t.add(s2c, fin, 219, 79, 0).add(c2s, fin, 79, 220, 0);
  BlockVerdict v = judge_block(teardown(), t.c, t.all(), 0);
  EXPECT_EQ(check(v, "fin-acks").status, CheckStatus::fail);
  EXPECT_EQ(check(v, "fin-acks").actual,
            "the client's FIN (frame 2, Seq 79) is never acknowledged: no Ack 80 from the server");
}

TEST(TeardownBlock, OneSideNeverCloses) {
  Conversation t;
  t.add(s2c, fin, 219, 79, 0).add(c2s, ack, 79, 220, 0);
  BlockVerdict v = judge_block(teardown(), t.c, t.all(), 0);
  EXPECT_EQ(check(v, "fins").status, CheckStatus::fail);
  EXPECT_EQ(check(v, "fins").actual, "the client never sent FIN");
}

TEST(TeardownBlock, DataAfterAFinBreaksTheRule) {
  Conversation t;
  t.add(s2c, fin, 219, 79, 0).add(s2c, ack, 220, 79, 10).add(c2s, fin, 79, 220, 0);
  t.add(s2c, ack, 220, 80, 0);
  BlockVerdict v = judge_block(teardown(), t.c, t.all(), 0);
  EXPECT_EQ(check(v, "no-data-after-fin").status, CheckStatus::fail);
  EXPECT_EQ(check(v, "no-data-after-fin").actual,
            "frame 2: the server sends data (Seq 220, Len 10) after its FIN (frame 1)");
}

TEST(TeardownBlock, RstAfterFinOnlyWhenAllowed) {
  Conversation t;
  t.add(s2c, fin, 219, 79, 0).add(c2s, rst, 79, 220, 0);
  expect_all_pass(judge_block(teardown(true), t.c, t.all(), 0));
  BlockVerdict strict = judge_block(teardown(false), t.c, t.all(), 0);
  EXPECT_EQ(check(strict, "rst").status, CheckStatus::fail);
  EXPECT_EQ(check(strict, "rst").actual,
            "frame 2: the client resets the connection (RST), which the scenario does not allow "
            "after a FIN");
}

TEST(TeardownBlock, RstBeforeAnyFinIsAnAbortEvenWhenAllowed) {
  Conversation t;
  t.add(c2s, rst, 79, 219, 0);
  BlockVerdict v = judge_block(teardown(true), t.c, t.all(), 0);
  EXPECT_EQ(check(v, "rst").status, CheckStatus::fail);
  EXPECT_EQ(check(v, "fins").status, CheckStatus::fail);
}

}  // namespace
}  // namespace tcpgrade
