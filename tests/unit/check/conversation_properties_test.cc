// A scenario's `properties:` judged on a conversation (check/conversation_properties.h).
#include "check/conversation_properties.h"

#include <gtest/gtest.h>

namespace tcpgrade {
namespace {

constexpr Direction c2s = Direction::client_to_server, s2c = Direction::server_to_client;
constexpr uint16_t syn = tcp_flag::syn, ack = tcp_flag::ack,
                   syn_ack = tcp_flag::syn | tcp_flag::ack, fin = tcp_flag::fin | tcp_flag::ack;

struct Conversation {
  CapturedConversation c;
  CapturedSegment& add(Direction d, uint16_t flags, uint32_t seq, uint32_t ack_number,
                       uint32_t len) {
    CapturedSegment& s = c.segments.emplace_back();
    s.frame = c.segments.size();
    s.direction = d, s.flags = flags, s.seq = seq, s.ack = ack_number, s.len = len;
    return s;
  }
};

// The lab: handshake (WS and MSS in both SYNs), one request, a 1000-byte answer, the close.
Conversation lab() {
  Conversation t;
  CapturedSegment& s1 = t.add(c2s, syn, 0, 0, 0);
  s1.options.window_scale = 10, s1.options.mss = 65495;
  CapturedSegment& s2 = t.add(s2c, syn_ack, 0, 1, 0);
  s2.options.window_scale = 10, s2.options.mss = 65495;
  t.add(c2s, ack, 1, 1, 0);
  t.add(c2s, ack, 1, 1, 80);
  t.add(s2c, ack, 1, 81, 1000);
  t.add(c2s, ack, 81, 1001, 0);
  t.add(s2c, fin, 1001, 81, 0);
  t.add(c2s, fin, 81, 1002, 0);
  t.add(s2c, ack, 1002, 82, 0);
  return t;
}

Matcher exact(int64_t v) {
  Matcher m;
  m.kind = MatchKind::exact;
  m.value = v;
  return m;
}

TEST(ConversationProperties, EachGivenPropertyIsOneCheckInTheListedOrder) {
  ConversationProperties p;
  p.bytes_to_server = exact(80);
  p.bytes_to_client = exact(1000);
  p.acked_by_client = exact(1000);
  p.window_scaling = true;
  p.mss = exact(65495);
  p.no_rst = true;
  p.retransmissions = exact(0);
  p.requests = exact(1);
  p.points = 0.5;
  std::vector<CheckResult> checks = judge_properties(p, lab().c, "visible");
  std::vector<std::string> ids;
  for (const CheckResult& c : checks) {
    ids.push_back(c.id);
    EXPECT_EQ(c.status, CheckStatus::pass) << c.id << ": " << c.actual;
    EXPECT_EQ(c.points, 0.5);
  }
  EXPECT_EQ(
      ids, (std::vector<std::string>{"conversation.bytes_to_server", "conversation.bytes_to_client",
                                     "conversation.acked_by_client", "conversation.window_scaling",
                                     "conversation.mss", "conversation.no_rst",
                                     "conversation.retransmissions", "conversation.requests"}));
  // connections is judged by the capture's driver, not here.
  EXPECT_EQ(p.given().size(), 8u);
  EXPECT_EQ(p.max_points(), 4.0);
}

TEST(ConversationProperties, WindowScalingNeedsBothSyns) {
  Conversation t = lab();
  t.c.segments[1].options.window_scale.reset();
  ConversationProperties p;
  p.window_scaling = true;
  std::vector<CheckResult> checks = judge_properties(p, t.c, "visible");
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].status, CheckStatus::fail);
  EXPECT_EQ(checks[0].actual, "WS in the SYN: yes; in the SYN-ACK: no");
  p.window_scaling = false;
  EXPECT_EQ(judge_properties(p, t.c, "visible")[0].status, CheckStatus::pass);
}

TEST(ConversationProperties, OptionsCutByTheSnapLengthAreUnverifiable) {
  Conversation t = lab();
  for (int i : {0, 1}) {
    t.c.segments[i].options = {};
    t.c.segments[i].options_complete = false;
  }
  ConversationProperties p;
  p.window_scaling = true;
  p.mss = exact(65495);
  std::vector<CheckResult> checks = judge_properties(p, t.c, "visible");
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].status, CheckStatus::unverifiable);
  EXPECT_EQ(checks[0].actual, "the snap length cut the options of frame 2");
  EXPECT_EQ(checks[1].status, CheckStatus::unverifiable);
}

TEST(ConversationProperties, AResetNamesItsFrame) {
  Conversation t = lab();
  t.c.segments[6].flags = tcp_flag::rst | tcp_flag::ack;
  ConversationProperties p;
  p.no_rst = true;
  CheckResult check = judge_properties(p, t.c, "visible")[0];
  EXPECT_EQ(check.status, CheckStatus::fail);
  EXPECT_EQ(check.actual, "RST in frame 7 from the server");
}

TEST(ConversationProperties, RequestsAreClientDataBursts) {
  Conversation t = lab();
  EXPECT_EQ(client_data_bursts(t.c), 1u);
  // A second request after the answer: keep-alive.
  t.add(c2s, ack, 81, 1001, 40);
  t.add(c2s, ack, 121, 1001, 40);  // the same request, cut in two: still one burst
  t.add(c2s, ack, 81, 1001, 40).analysis_flags = analysis_flag::retransmission;
  t.add(s2c, ack, 1001, 161, 500);
  EXPECT_EQ(client_data_bursts(t.c), 2u);
}

TEST(ConversationProperties, AckedBytesLeaveTheFinOut) {
  ConversationProperties p;
  p.acked_by_client = exact(1000);
  p.acked_by_server = exact(80);
  for (const CheckResult& c : judge_properties(p, lab().c, "visible"))
    EXPECT_EQ(c.status, CheckStatus::pass) << c.id << ": " << c.actual;
}

TEST(ConversationProperties, ConnectionsCountsTheServersConnections) {
  ConversationProperties p;
  p.connections = exact(1);
  EXPECT_EQ(judge_connections(p, 1, "visible").status, CheckStatus::pass);
  CheckResult two = judge_connections(p, 2, "visible");
  EXPECT_EQ(two.status, CheckStatus::fail);
  EXPECT_EQ(two.actual, "2 connections");
  EXPECT_EQ(two.expected, "connections to the server: 1");
  EXPECT_EQ(two.points, 0);
  EXPECT_EQ(two.max_points, 1);
}

}  // namespace
}  // namespace tcpgrade
