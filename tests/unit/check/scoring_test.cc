// Scoring fixed by the scenario: a repeated frame scores once, weights share a frame's points,
// all_or_nothing, unexpected frames take points off (so the verdict and the points agree), an
// optional frame absent earns its points, and the maximum never depends on the capture.
#include "check/scoring.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "capture/capture_reader.h"
#include "check/capture_grader.h"
#include "report/report_render.h"
#include "scenario/scenario_loader.h"
#include "support/packet_builder.h"

namespace tcpgrade {
namespace {

using testing::Frame;
using testing::Segment;

constexpr uint16_t SYN = 0x02, ACK = 0x10, PSH = 0x08, RST = 0x04;

// A handshake, then `data` segments of 10 bytes from the server, each ACKed by the client;
// `refused`: the SYN is answered by RST-ACK instead.
std::string capture(int data, bool refused = false, const std::string& name = "c.pcap") {
  std::vector<Frame> frames;
  uint32_t usec = 0;
  auto add = [&](bool from_client, uint16_t flags, uint32_t seq, uint32_t ack, size_t len) {
    Segment s;
    s.sport = from_client ? 40000 : 8002;
    s.dport = from_client ? 8002 : 40000;
    s.flags = flags;
    s.seq = (from_client ? 1000 : 5000) + seq;
    s.ack = (flags & ACK) ? (from_client ? 5000 : 1000) + ack : 0;
    s.payload.assign(len, 'x');
    frames.push_back({s, usec += 10});
  };
  add(true, SYN, 0, 0, 0);
  if (refused) {
    add(false, RST | ACK, 0, 1, 0);
  } else {
    add(false, SYN | ACK, 0, 1, 0);
    add(true, ACK, 1, 1, 0);
    for (int i = 0; i < data; ++i) {
      add(false, PSH | ACK, 1 + 10 * i, 1, 10);
      add(true, ACK, 1, 11 + 10 * i, 0);
    }
  }
  return testing::write_temp_file(name, testing::ethernet_capture(frames));
}

Report check(const std::string& yaml, const std::string& path) {
  return check_capture(parse_scenario(yaml, "s.yaml"), read_capture(path));
}

const std::string handshake =
    "scenario: t\nconversation: {server_port: 8002}\nframes:\n"
    "  - {id: syn, dir: c2s, flags: [SYN], seq: 0, points: 2}\n"
    "  - {id: syn-ack, dir: s2c, flags: [SYN, ACK], seq: 0, ack: 1, points: 2}\n"
    "  - {id: ack, dir: c2s, flags: [ACK], seq: 1, ack: 1, points: 2}\n";

TEST(CheckShares, WeightsShareACopysPoints) {
  ScoringPolicy policy;
  PointRule rule;
  rule.weights = {{"flags", 2}, {"options", 3}};
  std::vector<double> shares = check_shares(policy, rule, 7, {"flags", "seq", "options.mss"});
  EXPECT_EQ(shares, (std::vector<double>{1, 2, 1, 3}));  // present 1, flags 2, seq 1, mss 3
  policy.weights = {{"present", 0}, {"seq", 0}};
  EXPECT_EQ(check_shares(policy, rule, 5, {"flags", "seq", "options.ws"}),
            (std::vector<double>{0, 2, 0, 3}));
  // Nothing weighs: being there earns the frame.
  EXPECT_EQ(check_shares(policy, {}, 4, {"seq"}), (std::vector<double>{4, 0}));
}

TEST(Scoring, ARepeatedFrameScoresOnce) {
  // Data and ACKs alike: one repeated frame that any segment with ACK (and no SYN) matches.
  std::string yaml = handshake +
                     "  - {id: transfer, flags: {includes: [ACK], excludes: [SYN]}, repeat: "
                     "{min: 1, max: 32}, points: 6}\n";
  for (int exchanges : {1, 3, 9}) {
    Report report = check(yaml, capture(exchanges));
    EXPECT_EQ(report.max_points, 12) << exchanges;
    EXPECT_NEAR(report.points, 12, 1e-9) << exchanges;
    EXPECT_TRUE(report.passed()) << exchanges;
  }
  // A copy that fails costs its share: one of 2 copies with a wrong flag.
  std::string strict =
      handshake + "  - {id: transfer, flags: [ACK], repeat: {min: 1, max: 32}, points: 6}\n";
  Report report = check(strict, capture(1));  // [PSH, ACK] then [ACK]
  EXPECT_EQ(report.max_points, 12);
  EXPECT_FALSE(report.passed());
}

TEST(Scoring, UnexpectedFramesTakePointsOff) {
  Report report = check(handshake, capture(2));  // 4 frames the scenario does not expect
  EXPECT_FALSE(report.passed());
  EXPECT_EQ(report.max_points, 6);
  EXPECT_EQ(report.points, 2);  // 6, less 1 per unexpected frame
  Report half = check(handshake + "scoring: {unexpected_frame: 0.5}\n", capture(2));
  EXPECT_EQ(half.points, 4);
  Report floor = check(handshake + "scoring: {unexpected_frame: 10}\n", capture(2));
  EXPECT_EQ(floor.points, 0);  // never below zero
}

TEST(Scoring, WeightsAndAllOrNothing) {
  // The SYN-ACK expected with Ack 2: its ack check fails.
  std::string wrong_ack =
      "scenario: t\nconversation: {server_port: 8002}\nrest: ignore\nframes:\n"
      "  - {id: syn, dir: c2s, flags: [SYN], seq: 0, points: 2}\n"
      "  - {id: syn-ack, dir: s2c, flags: [SYN, ACK], seq: 0, ack: 2, points: 6";
  // Even: present, dir, flags, seq, ack share 6: four of five pass.
  EXPECT_NEAR(check(wrong_ack + "}\n", capture(0)).points, 2 + 6 * 4 / 5.0, 1e-9);
  // present and dir weigh nothing, flags 2, seq 1, ack 3: 3 of 6.
  EXPECT_EQ(
      check(wrong_ack + ", weights: {present: 0, dir: 0, flags: 2, seq: 1, ack: 3}}\n", capture(0))
          .points,
      2 + 3);
  // The scenario's default weights, the frame's own on top.
  EXPECT_EQ(check(wrong_ack + ", weights: {ack: 3}}\nscoring: {weights: {present: 0, dir: 0, "
                              "flags: 2}}\n",
                  capture(0))
                .points,
            2 + 3);
  EXPECT_EQ(check(wrong_ack + ", all_or_nothing: true}\n", capture(0)).points, 2);
  EXPECT_EQ(check(wrong_ack + ", all_or_nothing: true}\n", capture(0)).max_points, 8);
}

TEST(Scoring, AnOptionalFrameAbsentEarnsItsPoints) {
  std::string yaml = handshake + "  - {id: extra, dir: s2c, flags: [RST], optional: true}\n";
  Report report = check(yaml, capture(0));
  EXPECT_TRUE(report.passed());
  EXPECT_EQ(report.max_points, 7);
  EXPECT_EQ(report.points, 7);
  EXPECT_EQ(scenario_max_points(parse_scenario(yaml, "s.yaml")), 7);
}

TEST(Scoring, ARefusedLabWithTheServerRunningScoresLittle) {
  const std::string refused =
      "scenario: refused\nconversation: {server_port: 8002}\nprerequisite: none\nframes:\n"
      "  - {id: syn, dir: c2s, flags: [SYN], seq: 0, points: 1}\n"
      "  - {id: rst, dir: s2c, flags: [RST, ACK], seq: 1, ack: 1, points: 2}\n";
  Report passing = check(refused, capture(0, true));
  EXPECT_TRUE(passing.passed());
  EXPECT_TRUE(passing.root_causes.empty());     // connection-refused explains no failure here
  Report running = check(refused, capture(1));  // the server answered: a whole exchange
  EXPECT_FALSE(running.passed());
  EXPECT_EQ(running.max_points, 3);
  EXPECT_LT(running.points / running.max_points, 0.5);
}

// hint: per check (a map) or for the whole frame; the text report shows a hint once per run
// of checks that share it.
TEST(Hints, PerFieldAndPerFrame) {
  std::string yaml =
      "scenario: t\nconversation: {server_port: 8002}\nrest: ignore\nframes:\n"
      "  - {id: syn, dir: c2s, flags: [SYN], seq: 0}\n"
      "  - {id: rst, dir: s2c, flags: [RST, ACK], seq: 1, ack: 1, window: 0,\n"
      "     hint: {flags: Nobody should listen., seq: The RST continues the SYN.}}\n"
      "  - {id: ack, dir: c2s, flags: [FIN], hint: The client just ACKs.}\n";
  Report report = check(yaml, capture(0));
  std::map<std::string, std::string> hints;
  for (const CheckResult& c : report.conversations.at(0).checks)
    if (c.status != CheckStatus::pass) hints[c.id] = c.scenario_hint;
  EXPECT_EQ(hints,
            (std::map<std::string, std::string>{{"frame.rst.flags", "Nobody should listen."},
                                                {"frame.rst.seq", "The RST continues the SYN."},
                                                {"frame.rst.window", ""},
                                                {"frame.ack.flags", "The client just ACKs."}}));
  std::string text = render_text(report);
  EXPECT_NE(text.find("hint:     Nobody should listen."), std::string::npos) << text;
  EXPECT_NE(text.find("hint:     The RST continues the SYN."), std::string::npos) << text;
  EXPECT_NE(text.find("hint:     The client just ACKs."), std::string::npos) << text;
}

TEST(Scoring, ScenarioRootCauseTextsReplaceTheBuiltIn) {
  std::string yaml = handshake +
                     "root_causes: {connection-refused: {title: Nobody listens, advice: Start "
                     "the lab server with make serve.}}\n";
  Report report = check(yaml, capture(0, true));
  ASSERT_FALSE(report.root_causes.empty());
  EXPECT_EQ(report.root_causes[0].id, "connection-refused");
  EXPECT_EQ(report.root_causes[0].title, "Nobody listens");
  EXPECT_EQ(report.root_causes[0].explanation, "Start the lab server with make serve.");
}

TEST(Scoring, BuiltInAdviceNamesTheScenariosServer) {
  std::string yaml = handshake +
                     "live: {server: \"python3 -m http.server {port} --protocol HTTP/1.1\", "
                     "port: 9090}\n";
  Report report = check(yaml, capture(0, true));
  ASSERT_FALSE(report.root_causes.empty());
  EXPECT_NE(report.root_causes[0].explanation.find(
                "Start the server first (`python3 -m http.server 9090 --protocol HTTP/1.1`, "
                "listening on port 9090), then run the client (`curl "
                "http://127.0.0.1:9090/`)."),
            std::string::npos)
      << report.root_causes[0].explanation;
}

}  // namespace
}  // namespace tcpgrade
