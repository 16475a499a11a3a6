// `explain`'s walkthrough of the lab's LEARN.pcap and of captures with their limits: the two
// misreads of the lab document put right, the notes on what a capture lacks.
#include "analysis/walkthrough.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace tcpgrade {
namespace {

std::string data(const std::string& relative) {
  return std::string(TCPGRADE_SOURCE_DIR) + "/" + relative;
}

bool any_contains(const std::vector<std::string>& lines, const std::string& text) {
  for (const std::string& line : lines)
    if (line.find(text) != std::string::npos) return true;
  return false;
}

Walkthrough learn() {
  return build_walkthrough(read_walkthrough_input(data("scenarios/http-lab/LEARN.pcap")));
}

TEST(Walkthrough, LearnHasTwelvePacketsWithTsharkLines) {
  Walkthrough w = learn();
  ASSERT_EQ(w.packets.size(), 12u);
  EXPECT_EQ(w.stream, 0u);
  EXPECT_EQ(w.packets[0].title, "SYN – the client opens the handshake (client → server)");
  EXPECT_NE(w.packets[0].summary_line.find("53802 → 8002 [SYN] Seq=0 Win=65495 Len=0 MSS=65495"),
            std::string::npos);
  EXPECT_EQ(w.packets[3].title, "HTTP GET request (client → server)");
}

TEST(Walkthrough, FrameSevenIsADataPhaseAckNotAHandshake) {
  Walkthrough w = learn();
  const WalkthroughPacket& p = w.packets[6];
  EXPECT_TRUE(any_contains(p.bullets, "Phase: data transfer"));
  EXPECT_TRUE(any_contains(p.bullets, "not part of a handshake"));
  EXPECT_TRUE(any_contains(p.bullets, "Ack 186 = 1 + the 185 bytes of frame 6"));
  EXPECT_TRUE(any_contains(w.packets[2].bullets,
                           "Phase: the three-way handshake (frames 1–3): it ends here"));
}

TEST(Walkthrough, FrameEightCarriesOnlyThePageTheStatusLineIsInFrameSix) {
  Walkthrough w = learn();
  const WalkthroughPacket& six = w.packets[5];
  EXPECT_EQ(six.title, "HTTP response status line and headers (server → client)");
  EXPECT_TRUE(any_contains(six.bullets, "status line `HTTP/1.0 200 OK`"));
  EXPECT_TRUE(any_contains(six.bullets, "(185 bytes)"));
  const WalkthroughPacket& eight = w.packets[7];
  EXPECT_EQ(eight.title, "HTTP response body: the page (server → client)");
  EXPECT_TRUE(any_contains(eight.bullets,
                           "Payload: 33 bytes of the response body (the page itself): "
                           "`<h1>TCP HANDSHAKE Learning</h1>\\n\\n`"));
  EXPECT_TRUE(any_contains(eight.bullets, "those came in frame 6"));
  EXPECT_TRUE(any_contains(eight.bullets, "Wireshark shows the reassembled HTTP response"));
}

TEST(Walkthrough, SummarySaysWhoClosedFirst) {
  Walkthrough w = learn();
  EXPECT_TRUE(any_contains(w.summary, "Handshake: frames 1, 2, 3"));
  EXPECT_TRUE(any_contains(w.summary, "Data server → client: 2 frames, 218 bytes (frames 6, 8)"));
  EXPECT_TRUE(any_contains(w.summary, "Closed first by the server (FIN in frame 10)"));
}

TEST(Walkthrough, LateStartSaysTheHandshakeIsNotInTheCapture) {
  Walkthrough w =
      build_walkthrough(read_walkthrough_input(data("tests/data/captures/learn-late-start.pcap")));
  EXPECT_TRUE(any_contains(w.notes, "the handshake is not in it"));
  EXPECT_TRUE(any_contains(w.summary, "Handshake: not in the capture"));
}

TEST(Walkthrough, SnapLengthCutSaysThePayloadCannotBeRead) {
  Walkthrough w =
      build_walkthrough(read_walkthrough_input(data("tests/data/captures/lab-lo-snap60.pcap")));
  EXPECT_TRUE(any_contains(w.notes, "snap length of 60 bytes"));
  bool cut = false;
  for (const WalkthroughPacket& p : w.packets)
    cut = cut || any_contains(p.bullets, "cannot be read");
  EXPECT_TRUE(cut);
}

TEST(Walkthrough, FileCutShortSaysSoAndTheConnectionIsLeftOpen) {
  Walkthrough w =
      build_walkthrough(read_walkthrough_input(data("tests/data/captures/learn-cut-short.pcap")));
  EXPECT_EQ(w.packets.size(), 5u);
  EXPECT_TRUE(any_contains(w.notes, "The file was cut short"));
  EXPECT_TRUE(any_contains(w.notes, "its teardown is not in the capture"));
  EXPECT_TRUE(any_contains(w.summary, "Not closed in the capture"));
}

TEST(Walkthrough, FramesLostByAnyCaptureAreExplainedWithWiresharksFlags) {
  Walkthrough w =
      build_walkthrough(read_walkthrough_input(data("scenarios/keepalive-lab/tests/any.pcap")));
  bool lost = false, unseen = false;
  for (const WalkthroughPacket& p : w.packets) {
    lost = lost || any_contains(p.bullets, "Wireshark: Previous segment not captured");
    unseen = unseen || any_contains(p.bullets, "it acknowledges a segment the capture missed");
  }
  EXPECT_TRUE(lost);
  EXPECT_TRUE(unseen);
  EXPECT_TRUE(any_contains(w.notes, "`-i any`"));
}

TEST(Walkthrough, KeepAliveNumbersTheSecondRequest) {
  Walkthrough w =
      build_walkthrough(read_walkthrough_input(data("tests/data/captures/lab-lo-keepalive.pcap")));
  ASSERT_EQ(w.packets.size(), 17u);
  EXPECT_TRUE(any_contains(w.packets[9].bullets, "request 2 on this connection"));
  EXPECT_TRUE(any_contains(w.summary, "Closed first by the client (FIN in frame 15)"));
}

TEST(Walkthrough, AnAckThatCrossedTheFinSaysSo) {
  Walkthrough w = build_walkthrough(
      read_walkthrough_input(data("tests/data/captures/learn-fin-overtakes-ack.pcap")));
  ASSERT_EQ(w.packets.size(), 12u);
  EXPECT_EQ(w.packets[9].title, "ACK of frame 8 (client → server)");
  EXPECT_TRUE(any_contains(w.packets[9].bullets, "The server had already sent up to 220"));
  EXPECT_FALSE(any_contains(w.packets[8].bullets, "crossed on the way"));
}

TEST(Walkthrough, RefusedConnectionIsARefusal) {
  Walkthrough w =
      build_walkthrough(read_walkthrough_input(data("tests/data/captures/lab-refused.pcap")));
  ASSERT_EQ(w.packets.size(), 2u);
  EXPECT_NE(w.packets[1].title.find("refuses the connection"), std::string::npos);
  EXPECT_TRUE(any_contains(w.summary, "never answered by a SYN-ACK"));
}

TEST(Walkthrough, UnknownStreamIsAnErrorNamingTheFile) {
  WalkthroughInput input = read_walkthrough_input(data("scenarios/http-lab/LEARN.pcap"));
  try {
    build_walkthrough(input, 5);
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("LEARN.pcap: no TCP stream 5"), std::string::npos);
  }
}

TEST(Walkthrough, SecondStreamOfTwoConnections) {
  WalkthroughInput input = read_walkthrough_input(data("tests/data/captures/two-connections.pcap"));
  ASSERT_EQ(input.contents.conversations.size(), 2u);
  Walkthrough w = build_walkthrough(input, 1);
  EXPECT_EQ(w.stream, 1u);
  EXPECT_EQ(w.connections.size(), 2u);
  EXPECT_NE(w.chosen.find("--stream"), std::string::npos);
}

}  // namespace
}  // namespace tcpgrade
