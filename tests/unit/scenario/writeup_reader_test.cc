// The write-up reader: every quoted form and statement the lab document, Wireshark and tshark
// give is read as the statement it is; what cannot be read is kept as not checked; hostile
// text is refused with a cause or read within its limits.
#include "scenario/writeup_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "capture/decoded_frame.h"

namespace tcpgrade {
namespace {

const WriteupStatement* find(const std::vector<WriteupStatement>& all, StatementKind kind) {
  auto it = std::find_if(all.begin(), all.end(),
                         [&](const WriteupStatement& s) { return s.kind == kind; });
  return it == all.end() ? nullptr : &*it;
}

int64_t value_of(std::string_view line, StatementKind kind, bool quoted = false) {
  std::vector<WriteupStatement> found = read_statements(line, quoted);
  const WriteupStatement* st = find(found, kind);
  return st ? st->value : -1;
}

TEST(WriteupReader, NumbersInEveryForm) {
  EXPECT_EQ(value_of("Seq=1", StatementKind::seq), 1);
  EXPECT_EQ(value_of("TCP 53802 → 8002 Seq:79 Ack:186 Len:0", StatementKind::ack), 186);
  EXPECT_EQ(value_of("Sequence Number: 1    (relative sequence number)", StatementKind::seq), 1);
  EXPECT_EQ(value_of("Sequence Number (raw): 1015684904", StatementKind::seq_raw), 1015684904);
  EXPECT_EQ(value_of("Seq number is 0, SYN set", StatementKind::seq), 0);
  EXPECT_EQ(value_of("Seq 0, Ack 1, SYN+ACK", StatementKind::ack), 1);
  EXPECT_EQ(value_of("Acknowledgment number: 79", StatementKind::ack), 79);
  EXPECT_EQ(value_of("Len=78", StatementKind::len), 78);
  EXPECT_EQ(value_of("Packet 9: client ACK, Ack=220.", StatementKind::ack), 220);
  EXPECT_EQ(value_of("Seq 1.5 is no sequence number", StatementKind::seq), -1);
  EXPECT_EQ(value_of("Win=65495 MSS=65495 WS=128", StatementKind::ws), 128);
  EXPECT_EQ(value_of("TSval=2598756481 TSecr=0", StatementKind::tsval), 2598756481);
  // Next Seq is no Seq, and takes the result of the sum.
  EXPECT_EQ(value_of("Next Seq = 79 → handshake of data continuing", StatementKind::seq), -1);
  EXPECT_EQ(value_of("Next Seq = 1 + 185 (data) = 186: the server's next", StatementKind::next_seq),
            186);
  EXPECT_EQ(value_of("the next sequence number 79", StatementKind::next_seq), 79);
  // Content-Length is no Len; "Seq and Ack numbers" holds no number.
  EXPECT_EQ(value_of("Content-Length: 33 follows", StatementKind::len), -1);
  EXPECT_TRUE(read_statements("Seq and Ack numbers used for tracking data flow", false).empty());
}

TEST(WriteupReader, QuotedLinesAndOneLiner) {
  auto found = read_statements(
      "1   0.000000 127.0.0.1 -> 127.0.0.1 TCP 74 53802 → 8002 [SYN] Seq=0 Win=65495 Len=0", true);
  ASSERT_NE(find(found, StatementKind::ports), nullptr);
  EXPECT_EQ(find(found, StatementKind::ports)->value, 53802);
  EXPECT_EQ(find(found, StatementKind::ports)->value2, 8002);
  EXPECT_EQ(find(found, StatementKind::wire_bytes)->value, 74);
  EXPECT_EQ(find(found, StatementKind::flags_exact)->flags, tcp_flag::syn);
  EXPECT_EQ(find(found, StatementKind::seq)->packet, 1u);  // the line's own frame number
  EXPECT_EQ(value_of("66 bytes on wire (528 bits)", StatementKind::wire_bytes, true), 66);
  EXPECT_EQ(value_of("Frame 4: 144 bytes", StatementKind::wire_bytes, true), 144);
  EXPECT_EQ(value_of("251 bytes", StatementKind::wire_bytes, true), 251);
  // Addresses are no ports; a retransmission's brackets are no flags.
  EXPECT_EQ(find(read_statements("127.0.0.1 -> 127.0.0.1", true), StatementKind::ports), nullptr);
  EXPECT_EQ(value_of("from port 49928 → 8002. Then", StatementKind::ports), 49928);
  EXPECT_EQ(find(read_statements("[TCP Retransmission] Seq=1", true), StatementKind::flags_exact),
            nullptr);
  auto get = read_statements("HTTP GET / HTTP/1.1", true);
  ASSERT_EQ(get.size(), 1u);
  EXPECT_EQ(get[0].kind, StatementKind::carries);
  EXPECT_EQ(get[0].text, "GET / HTTP/1.1");
  EXPECT_EQ(read_statements("HTTP/1.0 200 OK", true)[0].text, "HTTP/1.0 200 OK");
  EXPECT_EQ(read_statements("Host: 127.0.0.1:8002", true)[0].kind, StatementKind::carries);
  EXPECT_EQ(read_statements("<h1>TCP HANDSHAKE Learning</h1>", true)[0].kind,
            StatementKind::carries);
}

TEST(WriteupReader, PhaseDirectionPayloadAcknowledges) {
  auto phase = [](std::string_view line) {
    auto found = read_statements(line, false);
    const WriteupStatement* st = find(found, StatementKind::phase);
    return st ? std::optional<Phase>(st->phase) : std::nullopt;
  };
  EXPECT_EQ(phase("Next Seq = 79 → handshake of data continuing"), Phase::handshake);
  EXPECT_EQ(phase("First actual data transmission from client"), Phase::data);
  EXPECT_EQ(phase("Server initiates session termination"), Phase::teardown);
  EXPECT_EQ(phase("Phase: data transfer (frames 4–9); a pure ACK here, not part of a handshake"),
            Phase::data);
  EXPECT_EQ(phase("This ACK comes after the handshake"), std::nullopt);
  EXPECT_EQ(phase("Seq and Ack link each step of the handshake and the teardown"), std::nullopt);

  auto direction = [](std::string_view line) {
    auto found = read_statements(line, false);
    const WriteupStatement* st = find(found, StatementKind::direction);
    return st ? std::optional<Direction>(st->direction) : std::nullopt;
  };
  EXPECT_EQ(direction("Client → Server: Port 53802 → 8002"), Direction::client_to_server);
  EXPECT_EQ(direction("Server acknowledges client’s data"), Direction::server_to_client);
  EXPECT_EQ(direction("the server initiates the close"), Direction::server_to_client);
  EXPECT_EQ(direction("SYN set → first packet from client"), Direction::client_to_server);
  EXPECT_EQ(direction("Client will acknowledge this next"), std::nullopt);
  EXPECT_EQ(direction("Localhost IP used (both client & server)"), std::nullopt);

  auto payload = read_statements("Frame 8 carries the status line", false);
  ASSERT_NE(find(payload, StatementKind::payload_kind), nullptr);
  EXPECT_EQ(find(payload, StatementKind::payload_kind)->payload, PayloadKind::status_line);
  auto body = read_statements(
      "Payload: 33 bytes of the response body (the page itself): no status line here", false);
  ASSERT_EQ(std::count_if(body.begin(), body.end(),
                          [](auto& s) { return s.kind == StatementKind::payload_kind; }),
            1);
  EXPECT_EQ(find(body, StatementKind::payload_kind)->payload, PayloadKind::body);
  EXPECT_EQ(find(read_statements("Server sends an ACK for the GET request", false),
                 StatementKind::payload_kind),
            nullptr);
  EXPECT_EQ(value_of("ACK of the client's FIN in frame 11", StatementKind::acknowledges), 11);
  EXPECT_EQ(value_of("this acknowledges packet 6", StatementKind::acknowledges), 6);
}

TEST(WriteupReader, SectionsInEveryShape) {
  WriteupReading md = read_writeup(
      "# Lab\n\n1. Wireshark\n\n### Packet 3\n\n```\n66 bytes\nTCP 53802 → 8002 Seq:1 Ack:1\n```\n"
      "* Handshake complete after this packet\n* Localhost IP used\n\n## Summary\n"
      "* Seq 5 in the handshake\n");
  EXPECT_EQ(md.packets, std::vector<uint64_t>{3});
  for (const WriteupStatement& st : md.statements) EXPECT_EQ(st.packet, 3u);
  ASSERT_EQ(md.unchecked.size(), 1u);  // the Summary is no packet's section
  EXPECT_EQ(md.unchecked[0].source, "* Localhost IP used");

  WriteupReading text = read_writeup(
      "Packet 7: the client's ACK, Ack = 186\n- Frame 6 was the headers\nFrame 8 - Seq=186\n"
      "- Packet 9: Ack=219\n");
  EXPECT_EQ(text.packets, (std::vector<uint64_t>{7, 8, 9}));

  WriteupReading list = read_writeup("1. SYN from the client, Seq=0\n2) SYN-ACK, Ack=1\n");
  EXPECT_EQ(list.packets, (std::vector<uint64_t>{1, 2}));

  WriteupReading table = read_writeup(
      "| No. | Flags | Seq | Ack | Phase |\n|---|---|---|---|---|\n"
      "| 1 | [SYN] | 0 | | handshake |\n| 7 | [ACK] | 79 | 186 | data transfer |\n");
  EXPECT_EQ(table.packets, (std::vector<uint64_t>{1, 7}));
  const WriteupStatement* ack = nullptr;
  for (const WriteupStatement& st : table.statements)
    if (st.kind == StatementKind::ack) ack = &st;
  ASSERT_NE(ack, nullptr);
  EXPECT_EQ(ack->packet, 7u);
  EXPECT_EQ(ack->value, 186);
}

TEST(WriteupReader, HostileTextIsRefusedWithItsCause) {
  EXPECT_THROW(read_writeup(""), WriteupError);
  EXPECT_THROW(read_writeup("  \n\n"), WriteupError);
  EXPECT_THROW(read_writeup(std::string("Packet 1\0\x01\x02", 11)), WriteupError);
  EXPECT_THROW(read_writeup("just prose, no packets"), WriteupError);
  WriteupLimits small;
  small.max_bytes = 10;
  EXPECT_THROW(read_writeup("Packet 1: Seq=0 and more", small), WriteupError);
  std::string many;
  for (int i = 1; i <= 100000; ++i) many += "Packet " + std::to_string(i) + ": Seq=1\n";
  try {
    read_writeup(many);
    FAIL() << "100000 sections were read";
  } catch (const WriteupError& error) {
    EXPECT_NE(std::string(error.what()).find("more than 1000 packet sections"), std::string::npos);
  }
  // One endless line is read up to the line limit, not parsed whole.
  std::string wide = "Packet 1: " + std::string(10'000'000, '[');
  WriteupLimits large;
  large.max_bytes = 20'000'000;
  EXPECT_NO_THROW(read_writeup(wide, large));
}

// Found reviewing fresh students' write-ups: Wireshark's details pane, bare flag lists, section
// titles that are only a flag, and the packet list's Length column.
TEST(WriteupReader, DetailsPaneFlagsAndPorts) {
  auto flags = read_statements("Flags: 0x012 (SYN, ACK)", false);
  ASSERT_NE(find(flags, StatementKind::flags_exact), nullptr);
  EXPECT_EQ(find(flags, StatementKind::flags_exact)->flags, tcp_flag::syn | tcp_flag::ack);
  auto ports = read_statements(
      "Transmission Control Protocol, Src Port: 34898, Dst Port: 8002, Seq: 1, Len: 0", false);
  ASSERT_NE(find(ports, StatementKind::ports), nullptr);
  EXPECT_EQ(find(ports, StatementKind::ports)->value, 34898);
  EXPECT_EQ(find(ports, StatementKind::ports)->value2, 8002);
  EXPECT_EQ(value_of("Src Port: 34898, Dst Port: 8002, Seq: 1", StatementKind::seq), 1);
}

TEST(WriteupReader, BareFlagLists) {
  auto pair = read_statements("SYN, ACK sent by the server. Seq = 0, Ack = 1.", false);
  ASSERT_NE(find(pair, StatementKind::flags_include), nullptr);
  EXPECT_EQ(find(pair, StatementKind::flags_include)->flags, tcp_flag::syn | tcp_flag::ack);
  EXPECT_EQ(
      find(read_statements("The client sends FIN/ACK", false), StatementKind::flags_include)->flags,
      tcp_flag::fin | tcp_flag::ack);
  EXPECT_EQ(find(read_statements("FIN", false), StatementKind::flags_include)->flags,
            tcp_flag::fin);
  // One capitalised name inside a sentence says nothing sure about this frame's flags.
  EXPECT_EQ(
      find(read_statements("The client sends ACK, seq = 1", false), StatementKind::flags_include),
      nullptr);
  EXPECT_EQ(find(read_statements("the server acknowledges the client's FIN", false),
                 StatementKind::flags_include),
            nullptr);
  // Flags of the segment this one answers are not this frame's.
  for (std::string_view line : {"The client acknowledges the SYN-ACK from the server",
                                "ACK of the SYN/ACK", "sent in reply to the server's FIN, ACK"})
    EXPECT_EQ(find(read_statements(line, false), StatementKind::flags_include), nullptr) << line;
  EXPECT_NE(find(read_statements("the server replies with SYN, ACK", false),
                 StatementKind::flags_include),
            nullptr);
  EXPECT_NE(find(read_statements("The server responds to the client's SYN with a SYN/ACK", false),
                 StatementKind::flags_include),
            nullptr);
}

TEST(WriteupReader, SumsAndQuotedHtmlInProse) {
  // The statement is the sum's result, not its first term.
  EXPECT_EQ(value_of("The server ACKs the request; ack = 1 + 78 = 79.", StatementKind::ack), 79);
  EXPECT_EQ(value_of("Ack 79 = 1 + the 78 bytes of frame 4", StatementKind::ack), 79);
  EXPECT_EQ(value_of("ack = 1 + x", StatementKind::ack), -1);
  // The page's words are not the student's: no phase read from "HANDSHAKE" inside the HTML.
  auto body =
      read_statements("The server sends the HTML body: <h1>TCP HANDSHAKE Learning</h1>.", false);
  EXPECT_EQ(find(body, StatementKind::phase), nullptr);
  EXPECT_NE(find(body, StatementKind::payload_kind), nullptr);
  // The sender named in a later clause, and the "=>" arrow.
  auto sender = [](std::string_view line) {
    auto found = read_statements(line, false);
    const WriteupStatement* st = find(found, StatementKind::direction);
    return st ? static_cast<int>(st->direction) : -1;
  };
  EXPECT_EQ(sender("Connection termination begins: the server has nothing more to send and "
                   "sends a FIN."),
            static_cast<int>(Direction::server_to_client));
  EXPECT_EQ(sender("Then the client sends an ACK for the server's data"),
            static_cast<int>(Direction::client_to_server));
  EXPECT_EQ(sender("Client => Server, seq = 79"), static_cast<int>(Direction::client_to_server));
  EXPECT_EQ(sender("Next, the page: the server's data reaches the client, which sends nothing"),
            -1);
  // A phase named as what came before is not this frame's.
  EXPECT_EQ(find(read_statements("Once the handshake is done the data flows: this frame holds "
                                 "the page",
                                 false),
                 StatementKind::phase),
            nullptr);
}

TEST(WriteupReader, IndentedPayloadLinesAndWiresharkInfo) {
  auto get = read_statements("        GET / HTTP/1.1\\r\\n", false);
  ASSERT_NE(find(get, StatementKind::carries), nullptr);
  EXPECT_EQ(find(get, StatementKind::carries)->text, "GET / HTTP/1.1");
  // The Info column names the reassembled message on its last frame: no quote of its bytes.
  EXPECT_EQ(find(read_statements("HTTP/1.0 200 OK  (text/html)", true), StatementKind::carries),
            nullptr);
  auto first = read_statements("HTTP/1.0 200 OK  [TCP segment of a reassembled PDU]", true);
  ASSERT_NE(find(first, StatementKind::carries), nullptr);
  EXPECT_EQ(find(first, StatementKind::carries)->text, "HTTP/1.0 200 OK");
}

TEST(WriteupReader, PacketListLengthColumnIsTheFrameSize) {
  WriteupReading reading = read_writeup(
      "| No. | Protocol | Length | Info |\n|---|---|---|---|\n"
      "| 1 | TCP | 94 | 53140 → 8002 [SYN] Seq=0 Len=0 |\n");
  auto bytes =
      std::find_if(reading.statements.begin(), reading.statements.end(),
                   [](const WriteupStatement& s) { return s.kind == StatementKind::wire_bytes; });
  ASSERT_NE(bytes, reading.statements.end());
  EXPECT_EQ(bytes->value, 94);
  EXPECT_EQ(bytes->packet, 1u);
  // An empty last cell, or cells left out, keep the row a row; a Flags column lists them all.
  WriteupReading rows = read_writeup(
      "| No. | Flags | Ack | Note |\n|---|---|---|---|\n| 11 | FIN, ACK | 220 | |\n"
      "| 12 | ACK | 80 |\n| 13 | ACK | 81 | last |\n");
  EXPECT_EQ(rows.packets, (std::vector<uint64_t>{11, 12, 13}));
  auto flags =
      std::find_if(rows.statements.begin(), rows.statements.end(),
                   [](const WriteupStatement& s) { return s.kind == StatementKind::flags_exact; });
  ASSERT_NE(flags, rows.statements.end());
  EXPECT_EQ(flags->flags, tcp_flag::fin | tcp_flag::ack);
}

}  // namespace
}  // namespace tcpgrade
