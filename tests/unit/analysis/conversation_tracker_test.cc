// Conversation analysis against values read from tshark 4.0 on the same segment sequences
// (written as pcap and dissected with `tshark -T fields -e tcp.stream -e tcp.seq ...`).
#include "analysis/conversation_tracker.h"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tcpgrade {
namespace {

constexpr uint16_t syn = tcp_flag::syn, ack = tcp_flag::ack, fin = tcp_flag::fin,
                   rst = tcp_flag::rst, psh = tcp_flag::psh;

IpAddress ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  IpAddress address;
  address.family = 4;
  address.bytes = {a, b, c, d};
  return address;
}

// One segment as a test writes it; the Session fills in the rest of the frame.
struct Seg {
  bool from_client = true;
  uint16_t flags = tcp_flag::ack;
  uint32_t seq = 0, ack = 0, len = 0;
  uint16_t window = 512;
  int64_t after_us = 1000;  // time since the previous frame of the capture
  std::optional<uint8_t> ws = std::nullopt;
  bool options_cut = false;  // the snap length cut the options
};

// Frames of one capture, numbered and timed, between a client and a server endpoint.
class Session {
 public:
  explicit Session(ConversationTracker& tracker, uint16_t client_port = 40000,
                   uint16_t server_port = 80)
      : tracker_(tracker), client_port_(client_port), server_port_(server_port) {}

  FrameAnalysis operator()(const Seg& s) {
    clock_us_ += s.after_us;
    DecodedFrame frame;
    frame.number = next_number_++;
    frame.timestamp = {1'700'000'000 + clock_us_ / 1'000'000,
                       static_cast<uint32_t>(clock_us_ % 1'000'000) * 1000u};
    frame.ip.version = 4;
    frame.ip.src = s.from_client ? client_ : server_;
    frame.ip.dst = s.from_client ? server_ : client_;
    frame.has_tcp = true;
    frame.tcp.src_port = s.from_client ? client_port_ : server_port_;
    frame.tcp.dst_port = s.from_client ? server_port_ : client_port_;
    frame.tcp.flags = s.flags;
    frame.tcp.seq = s.seq;
    frame.tcp.ack = s.ack;
    frame.tcp.window = s.window;
    frame.tcp.payload_length = s.len;
    frame.tcp.payload_captured = s.len;
    frame.tcp.options.window_scale = s.ws;
    frame.tcp.options_complete = !s.options_cut;
    frame.tcp.header_length = 20;
    frame.wire_length = 54 + s.len;
    frame.captured_length = frame.wire_length;
    return tracker_.add(frame);
  }

  // Continues the frame numbering and clock of another session on the same capture.
  void follow(const Session& other) {
    next_number_ = other.next_number_;
    clock_us_ = other.clock_us_;
  }

  uint64_t next_number() const { return next_number_; }

 private:
  ConversationTracker& tracker_;
  IpAddress client_ = ipv4(10, 0, 0, 1), server_ = ipv4(10, 0, 0, 2);
  uint16_t client_port_, server_port_;
  uint64_t next_number_ = 1;
  int64_t clock_us_ = 0;
};

// ISNs 1000 (client) and 5000 (server); window scale 7 and 3 unless told.
constexpr uint32_t c0 = 1000, s0 = 5000;
void handshake(Session& session, int64_t after_us = 1000, std::optional<uint8_t> client_ws = 7,
               std::optional<uint8_t> server_ws = 3) {
  session({.flags = syn, .seq = c0, .window = 65535, .after_us = 0, .ws = client_ws});
  session({.from_client = false,
           .flags = syn | ack,
           .seq = s0,
           .ack = c0 + 1,
           .window = 65535,
           .after_us = after_us,
           .ws = server_ws});
  session({.seq = c0 + 1, .ack = s0 + 1, .after_us = after_us});
}

ConversationSummary only_summary(const ConversationTracker& tracker) {
  std::vector<ConversationSummary> all = tracker.summaries();
  EXPECT_EQ(all.size(), 1u);
  return all.empty() ? ConversationSummary{} : all.front();
}

// ---- The lab's 12 frames ----------------------------------------------------------------

TEST(ConversationTracker, LabCaptureAsTheDocumentShowsIt) {
  ConversationTracker tracker;
  Session lab(tracker, 53802, 8002);
  const uint32_t c = 1015684903, s = 3021827589;  // ISNs of scenarios/http-lab/LEARN.pcap
  struct Row {
    Seg seg;
    uint32_t rel_seq, rel_ack;
    int64_t window;
    Phase phase;
  };
  const Phase H = Phase::handshake, D = Phase::data, T = Phase::teardown;
  const std::vector<Row> rows = {
      {{.flags = syn, .seq = c, .window = 65495, .after_us = 0, .ws = 7}, 0, 0, 65495, H},
      {{.from_client = false,
        .flags = syn | ack,
        .seq = s,
        .ack = c + 1,
        .window = 65483,
        .after_us = 16,
        .ws = 7},
       0,
       1,
       65483,
       H},
      {{.seq = c + 1, .ack = s + 1, .after_us = 8}, 1, 1, 65536, H},
      {{.flags = psh | ack, .seq = c + 1, .ack = s + 1, .len = 78, .after_us = 74}, 1, 1, 65536, D},
      {{.from_client = false, .seq = s + 1, .ack = c + 79, .after_us = 7}, 1, 79, 65536, D},
      {{.from_client = false,
        .flags = psh | ack,
        .seq = s + 1,
        .ack = c + 79,
        .len = 185,
        .after_us = 1085},
       1,
       79,
       65536,
       D},
      {{.seq = c + 79, .ack = s + 186, .after_us = 24}, 79, 186, 65536, D},
      {{.from_client = false,
        .flags = psh | ack,
        .seq = s + 186,
        .ack = c + 79,
        .len = 33,
        .after_us = 48},
       186,
       79,
       65536,
       D},
      {{.seq = c + 79, .ack = s + 219, .after_us = 8}, 79, 219, 65536, D},
      {{.from_client = false, .flags = fin | ack, .seq = s + 219, .ack = c + 79, .after_us = 71},
       219,
       79,
       65536,
       T},
      {{.flags = fin | ack, .seq = c + 79, .ack = s + 220, .after_us = 48}, 79, 220, 65536, T},
      {{.from_client = false, .seq = s + 220, .ack = c + 80, .after_us = 13}, 220, 80, 65536, T},
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE("frame " + std::to_string(i + 1));
    FrameAnalysis a = lab(rows[i].seg);
    EXPECT_EQ(a.stream, 0u);
    EXPECT_EQ(a.direction,
              rows[i].seg.from_client ? Direction::client_to_server : Direction::server_to_client);
    EXPECT_EQ(a.relative_seq, rows[i].rel_seq);
    EXPECT_EQ(a.relative_ack, rows[i].rel_ack);
    EXPECT_EQ(a.window_scaled, rows[i].window);
    EXPECT_EQ(a.phase, rows[i].phase);
    EXPECT_EQ(a.flags, 0u) << "tshark shows no analysis flag in the lab capture";
  }
  ConversationSummary summary = only_summary(tracker);
  EXPECT_EQ(summary.client.port, 53802);
  EXPECT_EQ(summary.server.port, 8002);
  EXPECT_TRUE(summary.client_known);
  EXPECT_EQ(summary.frames[0], 6u);
  EXPECT_EQ(summary.frames[1], 6u);
  EXPECT_EQ(summary.payload_bytes[0], 78u);
  EXPECT_EQ(summary.payload_bytes[1], 218u);
  EXPECT_EQ(summary.first_frame, 1u);
  EXPECT_EQ(summary.last_frame, 12u);
  EXPECT_EQ(summary.completeness, 31);  // SYN, SYN-ACK, ACK, data, FIN
  EXPECT_EQ(summary.state, "SF");
  EXPECT_EQ(summary.history, "ShADadfF");
  EXPECT_EQ(summary.isn[0], c);
  EXPECT_EQ(summary.isn[1], s);
  EXPECT_TRUE(summary.isn_from_syn[0] && summary.isn_from_syn[1]);
  EXPECT_EQ(summary.window_shift[0], 7);
  EXPECT_EQ(summary.window_shift[1], 7);
}

// ---- Relative numbering -----------------------------------------------------------------

TEST(ConversationTracker, RelativeNumbersWrapPast2To32) {
  ConversationTracker tracker;
  Session session(tracker);
  const uint32_t c = 0xFFFFFF00, s = 0xFFFFFFF0;
  session({.flags = syn, .seq = c, .window = 65535, .after_us = 0, .ws = 7});
  session(
      {.from_client = false, .flags = syn | ack, .seq = s, .ack = c + 1, .window = 65535, .ws = 3});
  session({.seq = c + 1, .ack = s + 1});
  uint32_t seq = c + 1, peer = s + 1;
  for (int i = 0; i < 4; ++i) {
    FrameAnalysis data = session({.flags = psh | ack, .seq = seq, .ack = peer, .len = 100});
    EXPECT_EQ(data.relative_seq, 1u + 100u * i);
    EXPECT_EQ(data.relative_next_seq, 101u + 100u * i);
    EXPECT_EQ(data.flags, 0u);
    seq += 100;
    FrameAnalysis reply =
        session({.from_client = false, .flags = psh | ack, .seq = peer, .ack = seq, .len = 10});
    EXPECT_EQ(reply.relative_ack, 101u + 100u * i);
    EXPECT_EQ(reply.flags, 0u);
    peer += 10;
  }
  EXPECT_LT(seq, c) << "the raw Seq wrapped";
  FrameAnalysis fin_frame = session({.flags = fin | ack, .seq = seq, .ack = peer});
  EXPECT_EQ(fin_frame.relative_seq, 401u);
  EXPECT_EQ(fin_frame.relative_next_seq, 402u);
  EXPECT_EQ(fin_frame.flags, 0u);
}

TEST(ConversationTracker, CaptureStartingMidStream) {
  ConversationTracker tracker;
  Session session(tracker, 50000, 443);
  // The server's data comes first: its Seq-1 and its Ack-1 become the bases.
  FrameAnalysis first = session({.from_client = false,
                                 .flags = psh | ack,
                                 .seq = 777777,
                                 .ack = 123456,
                                 .len = 50,
                                 .window = 300,
                                 .after_us = 0});
  EXPECT_EQ(first.relative_seq, 1u);
  EXPECT_EQ(first.relative_ack, 1u);
  EXPECT_EQ(first.relative_next_seq, 51u);
  EXPECT_EQ(first.window_shift, -1);  // unknown: the SYNs were not seen
  EXPECT_EQ(first.window_scaled, 300);
  EXPECT_EQ(first.direction, Direction::server_to_client);  // port 443 below 50000
  EXPECT_EQ(first.phase, Phase::data);
  FrameAnalysis reply = session({.seq = 123456, .ack = 777827, .window = 400});
  EXPECT_EQ(reply.relative_seq, 1u);
  EXPECT_EQ(reply.relative_ack, 51u);
  EXPECT_EQ(reply.relative_next_seq, 0u) << "a pure ACK occupies no sequence space";
  EXPECT_EQ(reply.direction, Direction::client_to_server);
  EXPECT_EQ(reply.phase, Phase::data);
  EXPECT_EQ(reply.flags, 0u);

  ConversationSummary summary = only_summary(tracker);
  EXPECT_FALSE(summary.client_known);
  EXPECT_EQ(summary.client.port, 50000);
  EXPECT_EQ(summary.isn[0], 123455u);
  EXPECT_EQ(summary.isn[1], 777776u);
  EXPECT_FALSE(summary.isn_from_syn[0]);
  EXPECT_EQ(summary.state, "OTH");
  EXPECT_EQ(summary.history, "^dA");
  EXPECT_EQ(summary.completeness, 4) << "Wireshark ignores the first frame's flags";
}

// ---- Streams ----------------------------------------------------------------------------

TEST(ConversationTracker, StreamsNumberedInOrderOfFirstAppearance) {
  ConversationTracker tracker;
  Session first(tracker, 40001), second(tracker, 40002);
  EXPECT_EQ(first({.flags = syn, .seq = 1, .after_us = 0}).stream, 0u);
  second.follow(first);
  EXPECT_EQ(second({.flags = syn, .seq = 7}).stream, 1u);
  first.follow(second);
  EXPECT_EQ(first({.from_client = false, .flags = syn | ack, .seq = 9, .ack = 2}).stream, 0u);
  second.follow(first);
  EXPECT_EQ(second({.from_client = false, .flags = syn | ack, .seq = 3, .ack = 8}).stream, 1u);
  EXPECT_EQ(tracker.conversation_count(), 2u);
}

TEST(ConversationTracker, PortReuseStartsANewStream) {
  ConversationTracker tracker;
  Session session(tracker);
  handshake(session);
  session({.flags = fin | ack, .seq = c0 + 1, .ack = s0 + 1});
  session({.from_client = false, .flags = fin | ack, .seq = s0 + 1, .ack = c0 + 2});
  session({.seq = c0 + 2, .ack = s0 + 2});
  // The same ISN again is a retransmitted SYN of stream 0.
  FrameAnalysis again = session({.flags = syn, .seq = c0, .window = 65535, .after_us = 1'000'000});
  EXPECT_EQ(again.stream, 0u);
  EXPECT_EQ(again.flags, analysis_flag::retransmission);
  // Another ISN on the same ports is a new conversation.
  FrameAnalysis reused = session({.flags = syn, .seq = 90000, .window = 65535});
  EXPECT_EQ(reused.stream, 1u);
  EXPECT_EQ(reused.flags, analysis_flag::reused_ports);
  EXPECT_EQ(reused.relative_seq, 0u);
  EXPECT_EQ(reused.phase, Phase::handshake);
  FrameAnalysis answer =
      session({.from_client = false, .flags = syn | ack, .seq = 7000, .ack = 90001});
  EXPECT_EQ(answer.stream, 1u);
  EXPECT_EQ(answer.relative_ack, 1u);
  EXPECT_EQ(answer.flags, 0u);
  session({.seq = 90001, .ack = 7001});
  // A SYN-ACK with yet another ISN renumbers the server's side of stream 1.
  FrameAnalysis renumbered =
      session({.from_client = false, .flags = syn | ack, .seq = 8000, .ack = 90001});
  EXPECT_EQ(renumbered.stream, 1u);
  EXPECT_EQ(renumbered.relative_seq, 0u);
  EXPECT_EQ(renumbered.flags, analysis_flag::reused_ports | analysis_flag::lost_segment);
  EXPECT_EQ(session({.seq = 90001, .ack = 8001}).relative_ack, 1u);

  std::vector<ConversationSummary> all = tracker.summaries();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].state, "SF");
  EXPECT_EQ(all[0].completeness, 23);  // SYN, SYN-ACK, ACK, FIN
  EXPECT_EQ(all[1].first_frame, 8u);
  EXPECT_EQ(all[1].completeness, 7);
  EXPECT_EQ(all[1].isn[0], 90000u);
  EXPECT_EQ(all[1].isn[1], 8000u);
}

// ---- Window scaling ---------------------------------------------------------------------

TEST(ConversationTracker, WindowScalingBothOffered) {
  ConversationTracker tracker;
  Session session(tracker);
  handshake(session);  // client WS 7, server WS 3
  FrameAnalysis server =
      session({.from_client = false, .seq = s0 + 1, .ack = c0 + 1, .window = 100});
  EXPECT_EQ(server.window_shift, 3);
  EXPECT_EQ(server.window_scaled, 800);
  FrameAnalysis client = session({.seq = c0 + 1, .ack = s0 + 1, .window = 100});
  EXPECT_EQ(client.window_shift, 7);
  EXPECT_EQ(client.window_scaled, 12800);
}

TEST(ConversationTracker, SynWindowsAreNeverScaled) {
  ConversationTracker tracker;
  Session session(tracker);
  session({.flags = syn, .seq = c0, .window = 65535, .after_us = 0, .ws = 7});
  FrameAnalysis synack = session({.from_client = false,
                                  .flags = syn | ack,
                                  .seq = s0,
                                  .ack = c0 + 1,
                                  .window = 65535,
                                  .ws = 3});
  EXPECT_EQ(synack.window_scaled, 65535);
}

TEST(ConversationTracker, NoScalingWhenEitherSynLacksTheOption) {
  ConversationTracker tracker;
  Session without_client(tracker, 40001);
  handshake(without_client, 1000, std::nullopt, 3);
  EXPECT_EQ(without_client({.from_client = false, .seq = s0 + 1, .ack = c0 + 1, .window = 100})
                .window_shift,
            -2);
  Session without_server(tracker, 40002);
  without_server.follow(without_client);
  handshake(without_server, 1000, 5, std::nullopt);
  FrameAnalysis a = without_server({.seq = c0 + 1, .ack = s0 + 1, .window = 100});
  EXPECT_EQ(a.window_shift, -2);
  EXPECT_EQ(a.window_scaled, 100);
}

TEST(ConversationTracker, ScalingUnknownWithoutTheSyn) {
  ConversationTracker tracker;
  Session session(tracker);
  session({.from_client = false,
           .flags = syn | ack,
           .seq = s0,
           .ack = c0 + 1,
           .window = 65535,
           .after_us = 0,
           .ws = 4});
  FrameAnalysis client = session({.seq = c0 + 1, .ack = s0 + 1, .window = 100});
  EXPECT_EQ(client.window_shift, -1);
  EXPECT_EQ(client.window_scaled, 100);
  FrameAnalysis server =
      session({.from_client = false, .seq = s0 + 1, .ack = c0 + 1, .window = 100});
  EXPECT_EQ(server.window_shift, 4);
  EXPECT_EQ(server.window_scaled, 1600);
  EXPECT_EQ(client.direction, Direction::client_to_server) << "the SYN-ACK's sender serves";
  EXPECT_EQ(only_summary(tracker).history, "^hAa");
}

TEST(ConversationTracker, ShiftAbove14IsCapped) {
  ConversationTracker tracker;
  Session session(tracker);
  handshake(session, 1000, 20, 15);
  FrameAnalysis a = session({.seq = c0 + 1, .ack = s0 + 1, .window = 100});
  EXPECT_EQ(a.window_shift, 14);
  EXPECT_EQ(a.window_scaled, 1638400);
}

TEST(ConversationTracker, OptionsCutBySnapLengthLeaveScalingUnknownAndHideFlags) {
  ConversationTracker tracker;
  Session session(tracker);
  session({.flags = syn, .seq = c0, .window = 65535, .after_us = 0, .options_cut = true});
  session({.from_client = false,
           .flags = syn | ack,
           .seq = s0,
           .ack = c0 + 1,
           .window = 65535,
           .options_cut = true});
  session({.seq = c0 + 1, .ack = s0 + 1, .options_cut = true});
  session({.seq = c0 + 1, .ack = s0 + 1, .len = 100, .options_cut = true});
  // A retransmission, which tshark does not show: the exception ends its dissection first.
  FrameAnalysis resent = session({.seq = c0 + 1, .ack = s0 + 1, .len = 100, .options_cut = true});
  EXPECT_EQ(resent.flags, 0u);
  EXPECT_EQ(resent.window_shift, -1);
  EXPECT_EQ(resent.window_scaled, 512);
  // The same frame whole is flagged.
  EXPECT_EQ(session({.seq = c0 + 1, .ack = s0 + 1, .len = 100}).flags,
            analysis_flag::retransmission);
}

// ---- Analysis flags, each with a sequence that raises it and one that must not ----------

TEST(ConversationTracker, ZeroWindowFamily) {
  ConversationTracker tracker;
  Session session(tracker);
  handshake(session);
  uint32_t c = c0 + 1;
  const uint32_t s = s0 + 1;
  EXPECT_EQ(session({.flags = psh | ack, .seq = c, .ack = s, .len = 100, .after_us = 10000}).flags,
            0u);
  c += 100;
  EXPECT_EQ(session({.from_client = false, .seq = s, .ack = c, .window = 0}).flags,
            analysis_flag::zero_window);
  EXPECT_EQ(session({.seq = c, .ack = s, .len = 1, .after_us = 500000}).flags,
            analysis_flag::zero_window_probe);
  EXPECT_EQ(session({.from_client = false, .seq = s, .ack = c, .window = 0}).flags,
            analysis_flag::zero_window_probe_ack | analysis_flag::zero_window);
  EXPECT_EQ(session({.from_client = false, .seq = s, .ack = c, .window = 100}).flags,
            analysis_flag::window_update);
  // 100 << 3 = 800 bytes fill the advertised window; 799 would not.
  EXPECT_EQ(session({.flags = psh | ack, .seq = c, .ack = s, .len = 800}).flags,
            analysis_flag::window_full);
  c += 800;
  EXPECT_EQ(session({.from_client = false, .seq = s, .ack = c, .window = 100}).flags, 0u);
  EXPECT_EQ(session({.flags = psh | ack, .seq = c, .ack = s, .len = 799}).flags, 0u);
}

TEST(ConversationTracker, ZeroWindowNotOnResetsAndProbeNeedsAClosedWindow) {
  ConversationTracker tracker;
  Session session(tracker);
  handshake(session);
  // One byte at the next Seq while the peer's window is open is plain data.
  EXPECT_EQ(session({.seq = c0 + 1, .ack = s0 + 1, .len = 1}).flags, 0u);
  FrameAnalysis reset = session({.from_client = false, .flags = rst, .seq = s0 + 1, .window = 0});
  EXPECT_EQ(reset.flags, analysis_flag::reset);
  EXPECT_EQ(reset.phase, Phase::reset);
}

TEST(ConversationTracker, KeepAliveAndItsAck) {
  ConversationTracker tracker;
  Session session(tracker);
  handshake(session);
  const uint32_t c = c0 + 11, s = s0 + 1;
  session({.flags = psh | ack, .seq = c0 + 1, .ack = s, .len = 10, .after_us = 10000});
  EXPECT_EQ(session({.from_client = false, .seq = s, .ack = c}).flags, 0u);
  EXPECT_EQ(session({.seq = c - 1, .ack = s, .after_us = 60'000'000}).flags,
            analysis_flag::keep_alive);
  EXPECT_EQ(session({.from_client = false, .seq = s, .ack = c}).flags,
            analysis_flag::keep_alive_ack);
  EXPECT_EQ(session({.seq = c - 1, .ack = s, .len = 1, .after_us = 60'000'000}).flags,
            analysis_flag::keep_alive);
  EXPECT_EQ(session({.from_client = false, .seq = s, .ack = c}).flags,
            analysis_flag::keep_alive_ack);
  EXPECT_EQ(session({.seq = c - 1, .ack = s, .window = 0, .after_us = 60'000'000}).flags,
            analysis_flag::keep_alive | analysis_flag::zero_window);
  // The same shape with FIN is no keep-alive.
  EXPECT_EQ(session({.flags = fin | ack, .seq = c - 1, .ack = s}).flags & analysis_flag::keep_alive,
            0u);
}

TEST(ConversationTracker, LossRetransmissionsAndDuplicateAcks) {
  ConversationTracker tracker;
  Session session(tracker);
  handshake(session, 10000);  // first RTT 20 ms: the out-of-order threshold
  const uint32_t c = c0 + 1, s = s0 + 1;
  EXPECT_EQ(session({.seq = c, .ack = s, .len = 100, .after_us = 10000}).flags, 0u);
  EXPECT_EQ(session({.seq = c + 200, .ack = s, .len = 100, .after_us = 100}).flags,
            analysis_flag::lost_segment);
  EXPECT_EQ(session({.from_client = false, .seq = s, .ack = c + 100}).flags, 0u);  // frame 6
  FrameAnalysis dup1 = session({.from_client = false, .seq = s, .ack = c + 100});
  EXPECT_EQ(dup1.flags, analysis_flag::duplicate_ack);
  EXPECT_EQ(dup1.dup_ack_number, 1u);
  EXPECT_EQ(dup1.dup_ack_of_frame, 6u);
  FrameAnalysis dup2 = session({.from_client = false, .seq = s, .ack = c + 100});
  EXPECT_EQ(dup2.dup_ack_number, 2u);
  EXPECT_EQ(dup2.dup_ack_of_frame, 6u);
  EXPECT_EQ(session({.seq = c + 100, .ack = s, .len = 100}).flags,
            analysis_flag::fast_retransmission | analysis_flag::retransmission);
  EXPECT_EQ(session({.from_client = false, .seq = s, .ack = c + 300}).flags, 0u);
  EXPECT_EQ(session({.seq = c + 200, .ack = s, .len = 100, .after_us = 500000}).flags,
            analysis_flag::spurious_retransmission | analysis_flag::retransmission);
  EXPECT_EQ(session({.seq = c + 300, .ack = s, .len = 100, .after_us = 10000}).flags, 0u);
  EXPECT_EQ(session({.seq = c + 400, .ack = s, .len = 100, .after_us = 500}).flags, 0u);
  EXPECT_EQ(session({.seq = c + 300, .ack = s, .len = 100, .after_us = 500}).flags,
            analysis_flag::out_of_order);
  EXPECT_EQ(session({.seq = c + 400, .ack = s, .len = 100, .after_us = 1'000'000}).flags,
            analysis_flag::retransmission);
  FrameAnalysis unseen = session({.from_client = false, .seq = s, .ack = c + 900});
  EXPECT_EQ(unseen.flags, analysis_flag::ack_lost_segment);
  FrameAnalysis dup = session({.from_client = false, .seq = s, .ack = c + 900});
  EXPECT_EQ(dup.flags, analysis_flag::duplicate_ack);
  EXPECT_EQ(dup.dup_ack_of_frame, 16u);
  // Data that carries an ACK is not a duplicate ACK.
  EXPECT_EQ(session({.from_client = false, .seq = s, .ack = c + 900, .len = 10}).flags, 0u);
}

TEST(ConversationTracker, ResentSegmentOutsideTheFirstRttIsARetransmission) {
  ConversationTracker tracker;
  Session session(tracker);
  handshake(session, 1000);  // first RTT 2 ms
  const uint32_t c = c0 + 1, s = s0 + 1;
  session({.seq = c, .ack = s, .len = 100});
  session({.seq = c + 100, .ack = s, .len = 100, .after_us = 100});
  EXPECT_EQ(session({.seq = c, .ack = s, .len = 100, .after_us = 1000}).flags,
            analysis_flag::out_of_order);
  EXPECT_EQ(session({.seq = c, .ack = s, .len = 100, .after_us = 5000}).flags,
            analysis_flag::retransmission);
}

TEST(ConversationTracker, ResetBeyondTheNextSeqIsNoLostSegment) {
  ConversationTracker tracker;
  Session session(tracker);
  handshake(session);
  FrameAnalysis reset = session({.flags = rst | ack, .seq = c0 + 5000, .ack = s0 + 1});
  EXPECT_EQ(reset.flags, analysis_flag::reset);
}

// ---- Phases and Zeek states -------------------------------------------------------------

TEST(ConversationTracker, HandshakeAckWithDataIsDataPhase) {
  ConversationTracker tracker;
  Session session(tracker);
  session({.flags = syn, .seq = c0, .after_us = 0});
  session({.from_client = false, .flags = syn | ack, .seq = s0, .ack = c0 + 1});
  FrameAnalysis first = session({.flags = psh | ack, .seq = c0 + 1, .ack = s0 + 1, .len = 10});
  EXPECT_EQ(first.phase, Phase::data);
  // A later pure ACK of the client is data transfer, not handshake.
  session({.from_client = false, .seq = s0 + 1, .ack = c0 + 11, .len = 5});
  EXPECT_EQ(session({.seq = c0 + 11, .ack = s0 + 6}).phase, Phase::data);
}

TEST(ConversationTracker, RefusedConnectionIsREJ) {
  ConversationTracker tracker;
  Session session(tracker);
  EXPECT_EQ(session({.flags = syn, .seq = c0, .after_us = 0}).phase, Phase::handshake);
  FrameAnalysis refusal =
      session({.from_client = false, .flags = rst | ack, .seq = 0, .ack = c0 + 1, .window = 0});
  EXPECT_EQ(refusal.phase, Phase::reset);
  EXPECT_EQ(refusal.flags, analysis_flag::reset);
  EXPECT_EQ(refusal.relative_ack, 1u);
  ConversationSummary summary = only_summary(tracker);
  EXPECT_EQ(summary.state, "REJ");
  EXPECT_EQ(summary.history, "Sr");
  EXPECT_EQ(summary.completeness, 37);  // SYN, ACK, RST
}

TEST(ConversationTracker, SynOnlyIsS0) {
  ConversationTracker tracker;
  Session session(tracker);
  session({.flags = syn, .seq = c0, .after_us = 0});
  session({.flags = syn, .seq = c0, .after_us = 1'000'000});
  ConversationSummary summary = only_summary(tracker);
  EXPECT_EQ(summary.state, "S0");
  EXPECT_EQ(summary.history, "S");
  EXPECT_EQ(summary.completeness, 1);
  EXPECT_EQ(summary.frames[0], 2u);
  EXPECT_EQ(summary.frames[1], 0u);
  EXPECT_EQ(summary.window_shift[0], -2);
}

TEST(ConversationTracker, AbortsAreRSTOAndRSTR) {
  ConversationTracker tracker;
  Session client_aborts(tracker, 40001);
  handshake(client_aborts);
  client_aborts({.flags = psh | ack, .seq = c0 + 1, .ack = s0 + 1, .len = 5});
  client_aborts({.flags = rst | ack, .seq = c0 + 6, .ack = s0 + 1});
  Session server_aborts(tracker, 40002);
  server_aborts.follow(client_aborts);
  handshake(server_aborts);
  server_aborts({.from_client = false, .flags = rst, .seq = s0 + 1});
  std::vector<ConversationSummary> all = tracker.summaries();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].state, "RSTO");
  EXPECT_EQ(all[0].history, "ShADR");
  EXPECT_EQ(all[1].state, "RSTR");
  EXPECT_EQ(all[1].history, "ShAr");
}

// ---- Limits and memory ------------------------------------------------------------------

// A whole lab-like exchange on `session`: handshake, FINs both ways, the last ACK.
void closed_connection(Session& session) {
  handshake(session);
  session({.flags = fin | ack, .seq = c0 + 1, .ack = s0 + 1});
  session({.from_client = false, .flags = fin | ack, .seq = s0 + 1, .ack = c0 + 2});
  session({.seq = c0 + 2, .ack = s0 + 2});
}

TEST(ConversationTracker, LimitOnConversationsOpenAtOnce) {
  ConversationTracker tracker({.max_open_conversations = 2});
  Session a(tracker, 40001), b(tracker, 40002), c(tracker, 40003);
  a({.flags = syn, .seq = 1});
  b({.flags = syn, .seq = 1});
  try {
    c({.flags = syn, .seq = 1});
    FAIL() << "a third conversation open at once was accepted";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(),
                 "more than 2 TCP connections open at once (limit --max-connections)");
  }
  // A conversation closed by a RST no longer counts, even while it lingers.
  a({.flags = rst, .seq = 2});
  EXPECT_EQ(tracker.unclosed_conversation_count(), 1u);
  EXPECT_NO_THROW(c({.flags = syn, .seq = 1}));
  EXPECT_EQ(tracker.conversation_count(), 3u);
}

TEST(ConversationTracker, TotalConversationsAreUnbounded) {
  // One open at a time, on reused ports: the total passes the limit, the open count never.
  for (bool streaming : {false, true}) {
    size_t finished = 0;
    ConversationTrackerOptions options{.max_open_conversations = 1};
    if (streaming) options.on_finished = [&finished](const ConversationSummary&) { ++finished; };
    ConversationTracker tracker(std::move(options));
    Session previous(tracker, 40000);
    for (uint32_t i = 0; i < 100; ++i) {
      Session session(tracker, static_cast<uint16_t>(40000 + i % 4));
      session.follow(previous);
      const uint32_t isn = 1000 * i;  // a new ISN: a new stream on the reused ports
      session({.flags = syn, .seq = isn, .window = 65535});
      session({.from_client = false, .flags = syn | ack, .seq = s0, .ack = isn + 1});
      session({.flags = rst, .seq = isn + 1});
      previous.follow(session);
    }
    EXPECT_EQ(tracker.conversation_count(), 100u) << "streaming " << streaming;
    EXPECT_EQ(tracker.endpoint_pair_count(), 4u) << "numbering keeps one entry per port pair";
    if (streaming) {
      EXPECT_EQ(finished, 100u) << "each finished by its RST";
      EXPECT_EQ(tracker.open_conversation_count(), 0u) << "no state held for closed ones";
    }
  }
}

TEST(ConversationTracker, HandedOverConversationsAreFinishedAtTheClose) {
  std::vector<ConversationSummary> finished, late;
  ConversationTracker tracker(
      {.on_finished = [&](const ConversationSummary& summary) { finished.push_back(summary); },
       .on_late = [&](const ConversationSummary& summary) { late.push_back(summary); }});
  Session closed(tracker, 40001);
  closed_connection(closed);
  ASSERT_EQ(finished.size(), 1u) << "finished by its last ACK, no linger";
  EXPECT_EQ(finished[0].stream, 0u);
  EXPECT_EQ(finished[0].state, "SF");
  EXPECT_EQ(finished[0].frames[0] + finished[0].frames[1], 6u);
  EXPECT_EQ(tracker.open_conversation_count(), 0u);
  EXPECT_EQ(tracker.summaries().size(), 0u) << "handed over, not kept";

  Session open(tracker, 40002);
  open.follow(closed);
  handshake(open);

  // A retransmitted FIN after the close keeps the stream, its numbering and the final Seq:
  // it is a retransmission, a note on stream 0, never a second report of it.
  closed.follow(open);
  FrameAnalysis fin_again =
      closed({.from_client = false, .flags = fin | ack, .seq = s0 + 1, .ack = c0 + 2});
  EXPECT_EQ(fin_again.stream, 0u);
  EXPECT_EQ(fin_again.relative_seq, 1u);
  EXPECT_EQ(fin_again.relative_ack, 2u);
  EXPECT_EQ(fin_again.window_shift, 3);
  EXPECT_TRUE(fin_again.flags & analysis_flag::retransmission);
  EXPECT_EQ(fin_again.phase, Phase::teardown);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].stream, 0u);
  EXPECT_EQ(late[0].frames[1], 1u) << "the late frame alone";
  EXPECT_EQ(finished.size(), 1u);
  EXPECT_EQ(tracker.open_conversation_count(), 1u) << "only the open one holds state";

  // A new SYN on the closed ports is a new stream, not a late frame.
  closed({.flags = syn, .seq = 77, .window = 65535, .ws = 7});
  EXPECT_EQ(late.size(), 1u);
  tracker.finish();
  ASSERT_EQ(finished.size(), 3u);
  EXPECT_EQ(finished[1].stream, 1u);
  EXPECT_EQ(finished[1].state, "S1");
  EXPECT_EQ(finished[2].stream, 2u);
  EXPECT_EQ(finished[2].state, "S0");
}

TEST(ConversationTracker, LowestUnfinishedStreamFollowsTheOpenOnes) {
  // What lets check write its report in stream order without an index of every stream.
  ConversationTracker tracker({.on_finished = [](const ConversationSummary&) {}});
  EXPECT_EQ(tracker.lowest_unfinished_stream(), 0u) << "nothing seen: stream 0 is to come";
  Session first(tracker, 40001), second(tracker, 40002), third(tracker, 40003);
  handshake(first);
  second.follow(first);
  handshake(second);
  third.follow(second);
  handshake(third);
  EXPECT_EQ(tracker.lowest_unfinished_stream(), 0u);
  // Stream 1 closes first: stream 0 still holds the lowest place.
  second.follow(third);
  second({.flags = rst | ack, .seq = c0 + 1, .ack = s0 + 1});
  EXPECT_EQ(tracker.lowest_unfinished_stream(), 0u);
  first.follow(second);
  first({.flags = rst | ack, .seq = c0 + 1, .ack = s0 + 1});
  EXPECT_EQ(tracker.lowest_unfinished_stream(), 2u) << "0 and 1 are both done";
  // A late frame on stream 0 reopens it for a moment only: it holds nothing back.
  first({.from_client = false, .flags = ack, .seq = s0 + 1, .ack = c0 + 1});
  EXPECT_EQ(tracker.lowest_unfinished_stream(), 2u);
  third.follow(first);
  third({.flags = rst | ack, .seq = c0 + 1, .ack = s0 + 1});
  EXPECT_EQ(tracker.lowest_unfinished_stream(), 3u) << "none open: the next number";
  EXPECT_EQ(tracker.conversation_count(), 3u);
}

TEST(ConversationTracker, KeptClosedConversationsLingerForLateFrames) {
  // Kept summaries (read_capture, dump --summary --sort): a frame after the close joins the
  // conversation while it lingers, as before.
  ConversationTracker tracker({.close_linger_ns = 1'000'000'000});
  Session session(tracker);
  closed_connection(session);
  EXPECT_EQ(tracker.open_conversation_count(), 1u) << "lingering";
  FrameAnalysis fin_again =
      session({.from_client = false, .flags = fin | ack, .seq = s0 + 1, .ack = c0 + 2});
  EXPECT_TRUE(fin_again.flags & analysis_flag::retransmission);
  tracker.finish();
  ConversationSummary summary = only_summary(tracker);
  EXPECT_EQ(summary.frames[1], 3u);
  EXPECT_EQ(summary.state, "SF");
}

TEST(ConversationTracker, KeptSummariesCountLateFrames) {
  ConversationTracker tracker({.close_linger_ns = 1'000'000'000});
  Session session(tracker);
  handshake(session);
  session({.flags = rst, .seq = c0 + 1});
  session({.from_client = false, .seq = s0 + 1, .ack = c0 + 1, .after_us = 5'000'000});
  EXPECT_EQ(tracker.open_conversation_count(), 1u) << "reopened by the late frame";
  tracker.finish();
  ConversationSummary summary = only_summary(tracker);
  EXPECT_EQ(summary.state, "RSTO");
  EXPECT_EQ(summary.frames[0], 3u);
  EXPECT_EQ(summary.frames[1], 2u);
  EXPECT_EQ(summary.last_frame, 5u);
}

}  // namespace
}  // namespace tcpgrade
