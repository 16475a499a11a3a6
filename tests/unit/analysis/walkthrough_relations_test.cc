// The relation sentences of `explain`: each Seq, Ack and Next Seq tied to the frame it follows
// from, on a hand-made conversation shaped like the lab's.
#include "analysis/walkthrough_relations.h"

#include <gtest/gtest.h>

#include <string>

namespace tcpgrade {
namespace {

constexpr Direction c2s = Direction::client_to_server, s2c = Direction::server_to_client;

// Appends a segment with the relational context append_segment would give it.
void add(CapturedConversation& c, uint64_t frame, Direction d, uint16_t flags, uint32_t seq,
         uint32_t ack, uint32_t len) {
  CapturedSegment s;
  s.frame = frame;
  s.direction = d;
  s.flags = flags;
  s.seq = seq;
  s.ack = ack;
  s.len = len;
  s.seq_raw = 1000 + seq;
  s.next_seq = seq + len + ((flags & tcp_flag::syn) ? 1 : 0) + ((flags & tcp_flag::fin) ? 1 : 0);
  s.payload.assign(len, 'x');
  c.segments.push_back(s);
}

CapturedConversation lab() {
  using namespace tcp_flag;
  CapturedConversation c;
  add(c, 1, c2s, syn, 0, 0, 0);
  add(c, 2, s2c, syn | ack, 0, 1, 0);
  add(c, 3, c2s, ack, 1, 1, 0);
  add(c, 4, c2s, psh | ack, 1, 1, 78);
  add(c, 5, s2c, ack, 1, 79, 0);
  add(c, 6, s2c, psh | ack, 1, 79, 185);
  add(c, 7, c2s, ack, 79, 186, 0);
  add(c, 8, s2c, psh | ack, 186, 79, 33);
  add(c, 9, c2s, ack, 79, 219, 0);
  add(c, 10, s2c, fin | ack, 219, 79, 0);
  add(c, 11, c2s, fin | ack, 79, 220, 0);
  add(c, 12, s2c, ack, 220, 80, 0);
  return c;
}

TEST(WalkthroughRelations, AckCountsTheBytesOfTheFrameItAcknowledges) {
  CapturedConversation c = lab();
  EXPECT_EQ(ack_relation(c, 4).substr(0, 38), "Ack 79 = 1 + the 78 bytes of frame 4: ");
  EXPECT_EQ(ack_relation(c, 6).substr(0, 40), "Ack 186 = 1 + the 185 bytes of frame 6: ");
  EXPECT_EQ(ack_relation(c, 8).substr(0, 41), "Ack 219 = 186 + the 33 bytes of frame 8: ");
}

TEST(WalkthroughRelations, AckOfASynOrAFinCountsOne) {
  CapturedConversation c = lab();
  EXPECT_EQ(ack_relation(c, 1),
            "Ack 1 = 0 + 1 for the SYN of frame 1: the server has received the client's SYN");
  EXPECT_EQ(ack_relation(c, 10),
            "Ack 220 = 219 + 1 for the FIN of frame 10: the client has received the server's FIN");
  EXPECT_EQ(ack_relation(c, 11).substr(0, 39), "Ack 80 = 79 + 1 for the FIN of frame 11");
}

TEST(WalkthroughRelations, NoAckFlagNoAckSentence) {
  CapturedConversation c = lab();
  EXPECT_EQ(ack_relation(c, 0), "");
}

TEST(WalkthroughRelations, SeqFollowsThisSidesEarlierSegments) {
  CapturedConversation c = lab();
  EXPECT_EQ(seq_relation(c, 2), "Seq 1 = 0 + 1 for the SYN of frame 1");
  EXPECT_EQ(seq_relation(c, 7), "Seq 186 = 1 + the 185 bytes of frame 6");
  EXPECT_EQ(seq_relation(c, 6), "Seq 79 = 1 + the 78 bytes of frame 4");
  EXPECT_NE(seq_relation(c, 0).find("the client's initial sequence number (raw 1000"),
            std::string::npos);
}

TEST(WalkthroughRelations, SeqPastAGapSaysTheBytesAreNotCaptured) {
  CapturedConversation c = lab();
  c.segments[7].seq = 300;  // frame 8 after bytes the capture lost
  c.segments[7].side_next_before = 186;
  EXPECT_NE(seq_relation(c, 7).find("not in the capture"), std::string::npos);
}

TEST(WalkthroughRelations, AckOfBytesNeverSeenSaysSo) {
  CapturedConversation c = lab();
  c.segments[8].ack = 400;
  c.segments[8].peer_next_before = 219;
  EXPECT_NE(ack_relation(c, 8).find("acknowledges a segment the capture missed"),
            std::string::npos);
}

TEST(WalkthroughRelations, NextSeqAddsLengthSynAndFin) {
  CapturedConversation c = lab();
  EXPECT_EQ(next_seq_relation(c.segments[5]),
            "Next Seq = 1 + 185 (data) = 186: the server's next segment starts there");
  EXPECT_EQ(next_seq_relation(c.segments[0]),
            "Next Seq = 0 + 1 (SYN) = 1: the client's next segment starts there");
  EXPECT_EQ(next_seq_relation(c.segments[9]),
            "Next Seq = 219 + 1 (FIN) = 220: the server's next segment starts there");
  EXPECT_EQ(next_seq_relation(c.segments[6]),
            "No Next Seq: the segment carries no data, SYN or FIN, so the client's Seq stays 79");
}

}  // namespace
}  // namespace tcpgrade
