// Names and bracketed texts of the analysis flags, and the words for direction and phase.
// Label orders below were read from tshark 4.0's Info column on captures that raise them.
#include "analysis/frame_analysis.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tcpgrade {
namespace {

using Labels = std::vector<std::string>;

TEST(AnalysisFieldName, NamesEveryFlagAsWireshark) {
  EXPECT_STREQ(analysis_field_name(analysis_flag::retransmission), "tcp.analysis.retransmission");
  EXPECT_STREQ(analysis_field_name(analysis_flag::spurious_retransmission),
               "tcp.analysis.spurious_retransmission");
  EXPECT_STREQ(analysis_field_name(analysis_flag::fast_retransmission),
               "tcp.analysis.fast_retransmission");
  EXPECT_STREQ(analysis_field_name(analysis_flag::out_of_order), "tcp.analysis.out_of_order");
  EXPECT_STREQ(analysis_field_name(analysis_flag::lost_segment), "tcp.analysis.lost_segment");
  EXPECT_STREQ(analysis_field_name(analysis_flag::ack_lost_segment),
               "tcp.analysis.ack_lost_segment");
  EXPECT_STREQ(analysis_field_name(analysis_flag::duplicate_ack), "tcp.analysis.duplicate_ack");
  EXPECT_STREQ(analysis_field_name(analysis_flag::zero_window), "tcp.analysis.zero_window");
  EXPECT_STREQ(analysis_field_name(analysis_flag::zero_window_probe),
               "tcp.analysis.zero_window_probe");
  EXPECT_STREQ(analysis_field_name(analysis_flag::zero_window_probe_ack),
               "tcp.analysis.zero_window_probe_ack");
  EXPECT_STREQ(analysis_field_name(analysis_flag::window_full), "tcp.analysis.window_full");
  EXPECT_STREQ(analysis_field_name(analysis_flag::window_update), "tcp.analysis.window_update");
  EXPECT_STREQ(analysis_field_name(analysis_flag::keep_alive), "tcp.analysis.keep_alive");
  EXPECT_STREQ(analysis_field_name(analysis_flag::keep_alive_ack), "tcp.analysis.keep_alive_ack");
  EXPECT_STREQ(analysis_field_name(analysis_flag::reused_ports), "tcp.analysis.reused_ports");
  EXPECT_STREQ(analysis_field_name(analysis_flag::reset), "tcp.connection.rst");
}

TEST(AnalysisFieldName, UnknownOrCombinedBitsHaveNoName) {
  EXPECT_STREQ(analysis_field_name(0), "");
  EXPECT_STREQ(analysis_field_name(1u << 31), "");
  EXPECT_STREQ(analysis_field_name(analysis_flag::keep_alive | analysis_flag::zero_window), "");
}

TEST(AnalysisLabels, NoFlagsNoLabels) { EXPECT_EQ(analysis_labels(0, 0, 0, 7), Labels{}); }

TEST(AnalysisLabels, EachFlagHasTsharksText) {
  EXPECT_EQ(analysis_labels(analysis_flag::retransmission, 0, 0, 9), Labels{"TCP Retransmission"});
  EXPECT_EQ(analysis_labels(analysis_flag::lost_segment, 0, 0, 9),
            Labels{"TCP Previous segment not captured"});
  EXPECT_EQ(analysis_labels(analysis_flag::ack_lost_segment, 0, 0, 9),
            Labels{"TCP ACKed unseen segment"});
  EXPECT_EQ(analysis_labels(analysis_flag::window_update, 0, 0, 9), Labels{"TCP Window Update"});
  EXPECT_EQ(analysis_labels(analysis_flag::keep_alive, 0, 0, 9), Labels{"TCP Keep-Alive"});
  EXPECT_EQ(analysis_labels(analysis_flag::keep_alive_ack, 0, 0, 9), Labels{"TCP Keep-Alive ACK"});
  EXPECT_EQ(analysis_labels(analysis_flag::reused_ports, 0, 0, 9),
            Labels{"TCP Port numbers reused"});
  EXPECT_EQ(analysis_labels(analysis_flag::zero_window, 0, 0, 9), Labels{"TCP ZeroWindow"});
  EXPECT_EQ(analysis_labels(analysis_flag::window_full, 0, 0, 9), Labels{"TCP Window Full"});
  EXPECT_EQ(analysis_labels(analysis_flag::out_of_order, 0, 0, 9), Labels{"TCP Out-Of-Order"});
  EXPECT_EQ(analysis_labels(analysis_flag::zero_window_probe, 0, 0, 9),
            Labels{"TCP ZeroWindowProbe"});
  EXPECT_EQ(analysis_labels(analysis_flag::zero_window_probe_ack, 0, 0, 9),
            Labels{"TCP ZeroWindowProbeAck"});
}

TEST(AnalysisLabels, DuplicateAckNamesTheOriginalFrameAndTheCount) {
  EXPECT_EQ(analysis_labels(analysis_flag::duplicate_ack, 1, 5, 6), Labels{"TCP Dup ACK 5#1"});
  EXPECT_EQ(analysis_labels(analysis_flag::duplicate_ack, 12, 40, 77), Labels{"TCP Dup ACK 40#12"});
}

TEST(AnalysisLabels, FastAndSpuriousRetransmissionsShowOnlyTheirOwnText) {
  // Wireshark also sets tcp.analysis.retransmission on them; tshark prints one text.
  EXPECT_EQ(
      analysis_labels(analysis_flag::fast_retransmission | analysis_flag::retransmission, 0, 0, 9),
      Labels{"TCP Fast Retransmission"});
  EXPECT_EQ(analysis_labels(analysis_flag::spurious_retransmission | analysis_flag::retransmission,
                            0, 0, 9),
            Labels{"TCP Spurious Retransmission"});
}

TEST(AnalysisLabels, ResetIsAnExpertNoteWithoutBracketedText) {
  EXPECT_EQ(analysis_labels(analysis_flag::reset, 0, 0, 3), Labels{});
  EXPECT_EQ(analysis_labels(analysis_flag::reset | analysis_flag::lost_segment, 0, 0, 3),
            Labels{"TCP Previous segment not captured"});
}

TEST(AnalysisLabels, CombinationsInTsharksOrder) {
  // tshark 4.0: "[TCP ZeroWindow] [TCP Keep-Alive] 40000 → 80 [ACK] ..."
  EXPECT_EQ(analysis_labels(analysis_flag::keep_alive | analysis_flag::zero_window, 0, 0, 10),
            (Labels{"TCP ZeroWindow", "TCP Keep-Alive"}));
  // "[TCP ZeroWindowProbeAck] [TCP ZeroWindow] 80 → 40000 [ACK] ..."
  EXPECT_EQ(
      analysis_labels(analysis_flag::zero_window | analysis_flag::zero_window_probe_ack, 0, 0, 7),
      (Labels{"TCP ZeroWindowProbeAck", "TCP ZeroWindow"}));
  // "[TCP Previous segment not captured] [TCP Port numbers reused] 80 → 40001 [SYN, ACK] ..."
  EXPECT_EQ(analysis_labels(analysis_flag::reused_ports | analysis_flag::lost_segment, 0, 0, 11),
            (Labels{"TCP Previous segment not captured", "TCP Port numbers reused"}));
  // "[TCP Out-Of-Order] [TCP Port numbers reused] ..."
  EXPECT_EQ(analysis_labels(analysis_flag::reused_ports | analysis_flag::out_of_order, 0, 0, 3),
            (Labels{"TCP Out-Of-Order", "TCP Port numbers reused"}));
}

TEST(DirectionAndPhase, Words) {
  EXPECT_STREQ(to_string(Direction::client_to_server), "client→server");
  EXPECT_STREQ(to_string(Direction::server_to_client), "server→client");
  EXPECT_STREQ(to_string(Phase::handshake), "handshake");
  EXPECT_STREQ(to_string(Phase::data), "data");
  EXPECT_STREQ(to_string(Phase::teardown), "teardown");
  EXPECT_STREQ(to_string(Phase::reset), "reset");
}

}  // namespace
}  // namespace tcpgrade
