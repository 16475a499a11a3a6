// Zeek's conn_state and history for segment sequences fed straight to the state machine.
#include "analysis/connection_state.h"

#include <gtest/gtest.h>

#include <string>

#include "capture/decoded_frame.h"

namespace tcpgrade {
namespace {

constexpr uint16_t syn = tcp_flag::syn, ack = tcp_flag::ack, fin = tcp_flag::fin,
                   rst = tcp_flag::rst, psh = tcp_flag::psh;
constexpr uint32_t client_isn = 1000, server_isn = 5000;

ZeekSegment orig(uint16_t flags, uint32_t seq, uint32_t ack_number, uint32_t length = 0,
                 uint16_t window = 512) {
  return {true, flags, seq, ack_number, length, window};
}

ZeekSegment resp(uint16_t flags, uint32_t seq, uint32_t ack_number, uint32_t length = 0,
                 uint16_t window = 512) {
  return {false, flags, seq, ack_number, length, window};
}

void handshake(ConnectionState& state) {
  state.observe(orig(syn, client_isn, 0));
  state.observe(resp(syn | ack, server_isn, client_isn + 1));
  state.observe(orig(ack, client_isn + 1, server_isn + 1));
}

TEST(ConnectionState, LabSessionIsSF) {
  // The lab's 12 frames: request of 78 bytes, response of 185 + 33, server closes first.
  ConnectionState state;
  handshake(state);
  const uint32_t c = client_isn + 1, s = server_isn + 1;
  state.observe(orig(psh | ack, c, s, 78));
  state.observe(resp(ack, s, c + 78));
  state.observe(resp(psh | ack, s, c + 78, 185));
  state.observe(orig(ack, c + 78, s + 185));
  state.observe(resp(psh | ack, s + 185, c + 78, 33));
  state.observe(orig(ack, c + 78, s + 218));
  state.observe(resp(fin | ack, s + 218, c + 78));
  state.observe(orig(fin | ack, c + 78, s + 219));
  state.observe(resp(ack, s + 219, c + 79));
  EXPECT_EQ(state.conn_state(), "SF");
  EXPECT_EQ(state.history(), "ShADadfF");
  EXPECT_EQ(state.originator_state(), ZeekEndpointState::closed);
  EXPECT_EQ(state.responder_state(), ZeekEndpointState::closed);
}

TEST(ConnectionState, RefusedConnectionIsREJ) {
  ConnectionState state;
  state.observe(orig(syn, client_isn, 0));
  state.observe(resp(rst | ack, 0, client_isn + 1));
  EXPECT_EQ(state.conn_state(), "REJ");
  EXPECT_EQ(state.history(), "Sr");
}

TEST(ConnectionState, UnansweredSynIsS0) {
  ConnectionState state;
  state.observe(orig(syn, client_isn, 0));
  state.observe(orig(syn, client_isn, 0));  // retransmitted SYN, same Seq: no new letter
  EXPECT_EQ(state.conn_state(), "S0");
  EXPECT_EQ(state.history(), "S");
}

TEST(ConnectionState, EstablishedNotClosedIsS1) {
  ConnectionState state;
  handshake(state);
  EXPECT_EQ(state.conn_state(), "S1");
  EXPECT_EQ(state.history(), "ShA");
}

TEST(ConnectionState, MidStreamTrafficIsOTH) {
  ConnectionState state(/*flipped=*/true);  // the server spoke first
  state.observe(resp(psh | ack, 777777, 123456, 50));
  state.observe(orig(ack, 123456, 777827));
  state.observe(orig(psh | ack, 123456, 777827, 20));
  EXPECT_EQ(state.conn_state(), "OTH");
  EXPECT_EQ(state.history(), "^dAD");
  EXPECT_EQ(state.originator_state(), ZeekEndpointState::partial);
  EXPECT_EQ(state.responder_state(), ZeekEndpointState::partial);
}

TEST(ConnectionState, MidStreamClosedNormallyIsSF) {
  ConnectionState state;
  state.observe(orig(psh | ack, 100, 900, 10));
  state.observe(orig(fin | ack, 110, 900));
  state.observe(resp(fin | ack, 900, 111));
  EXPECT_EQ(state.conn_state(), "SF");
  EXPECT_EQ(state.history(), "DFf");
}

TEST(ConnectionState, OriginatorAbortIsRSTO) {
  ConnectionState state;
  handshake(state);
  state.observe(orig(psh | ack, client_isn + 1, server_isn + 1, 5));
  state.observe(orig(rst | ack, client_isn + 6, server_isn + 1));
  EXPECT_EQ(state.conn_state(), "RSTO");
  EXPECT_EQ(state.history(), "ShADR");
}

TEST(ConnectionState, ResponderAbortIsRSTR) {
  ConnectionState state;
  handshake(state);
  state.observe(resp(rst, server_isn + 1, 0));
  EXPECT_EQ(state.conn_state(), "RSTR");
  EXPECT_EQ(state.history(), "ShAr");
}

TEST(ConnectionState, SynThenOwnRstIsRSTOS0) {
  ConnectionState state;
  state.observe(orig(syn, client_isn, 0));
  state.observe(orig(rst, client_isn + 1, 0));
  EXPECT_EQ(state.conn_state(), "RSTOS0");
  EXPECT_EQ(state.history(), "SR");
}

TEST(ConnectionState, SynAckThenResponderRstIsRSTRH) {
  ConnectionState state(/*flipped=*/true);
  state.observe(resp(syn | ack, server_isn, client_isn + 1));
  state.observe(resp(rst, server_isn + 1, 0));
  EXPECT_EQ(state.conn_state(), "RSTRH");
  EXPECT_EQ(state.history(), "^hr");
}

TEST(ConnectionState, HalfOpenCloses) {
  ConnectionState syn_then_fin;
  syn_then_fin.observe(orig(syn, client_isn, 0));
  syn_then_fin.observe(orig(fin, client_isn + 1, 0));
  EXPECT_EQ(syn_then_fin.conn_state(), "SH");
  EXPECT_EQ(syn_then_fin.history(), "SF");

  ConnectionState synack_then_fin(/*flipped=*/true);
  synack_then_fin.observe(resp(syn | ack, server_isn, client_isn + 1));
  synack_then_fin.observe(resp(fin | ack, server_isn + 1, client_isn + 1));
  EXPECT_EQ(synack_then_fin.conn_state(), "SHR");
  EXPECT_EQ(synack_then_fin.history(), "^hf");
}

TEST(ConnectionState, OneSidedCloseIsS2OrS3) {
  ConnectionState client_closed;
  handshake(client_closed);
  client_closed.observe(orig(fin | ack, client_isn + 1, server_isn + 1));
  EXPECT_EQ(client_closed.conn_state(), "S2");

  ConnectionState server_closed;
  handshake(server_closed);
  server_closed.observe(resp(fin | ack, server_isn + 1, client_isn + 1));
  EXPECT_EQ(server_closed.conn_state(), "S3");
}

TEST(ConnectionState, RstAfterBothFinsKeepsSF) {
  ConnectionState state;
  handshake(state);
  state.observe(orig(fin | ack, client_isn + 1, server_isn + 1));
  state.observe(resp(fin | ack, server_isn + 1, client_isn + 2));
  state.observe(orig(rst, client_isn + 2, 0));
  EXPECT_EQ(state.conn_state(), "SF");
  EXPECT_EQ(state.history(), "ShAFfR");
}

TEST(ConnectionState, RetransmissionsAreLogarithmic) {
  ConnectionState state;
  handshake(state);
  state.observe(orig(psh | ack, client_isn + 1, server_isn + 1, 100));
  // The 1st and the 10th retransmission leave a T; the 2nd to 9th and 11th do not.
  for (int i = 0; i < 11; ++i) state.observe(orig(psh | ack, client_isn + 1, server_isn + 1, 100));
  EXPECT_EQ(state.history(), "ShADTT");
  EXPECT_EQ(state.conn_state(), "S1");
}

TEST(ConnectionState, ZeroWindowIsW) {
  ConnectionState state;
  handshake(state);
  state.observe(resp(ack, server_isn + 1, client_isn + 1, 0, /*window=*/0));
  EXPECT_EQ(state.history(), "ShAaw");
}

TEST(ConnectionState, RepeatedFinWithNewSeqIsRecordedAgain) {
  ConnectionState state;
  handshake(state);
  state.observe(orig(fin | ack, client_isn + 1, server_isn + 1));
  state.observe(orig(fin | ack, client_isn + 1, server_isn + 1));  // same Seq: retransmitted
  state.observe(orig(fin | ack, client_isn + 5, server_isn + 1));  // another Seq
  EXPECT_EQ(state.history(), "ShAFF");
}

TEST(ConnectionState, InconsistentAndMultiFlagPackets) {
  ConnectionState state;
  state.observe(orig(syn | fin, client_isn, 0));
  state.observe(orig(fin | rst, client_isn + 2, 0));
  EXPECT_EQ(state.history(), "QI");
}

TEST(ConnectionState, HistoryIsBounded) {
  ConnectionState state;
  handshake(state);
  // Each FIN with a new Seq adds a letter; the history stops at its bound.
  for (uint32_t i = 0; i < 200; ++i) state.observe(orig(fin | ack, client_isn + 1 + i, 0));
  EXPECT_EQ(state.history().size(), ConnectionState::max_history_length);
}

TEST(ConnectionState, StateNames) {
  EXPECT_STREQ(to_string(ZeekEndpointState::inactive), "inactive");
  EXPECT_STREQ(to_string(ZeekEndpointState::established), "established");
  EXPECT_STREQ(to_string(ZeekEndpointState::reset), "reset");
}

}  // namespace
}  // namespace tcpgrade
