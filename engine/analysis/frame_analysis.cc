#include "analysis/frame_analysis.h"

#include <fmt/format.h>

#include <array>

namespace tcpgrade {
namespace {

struct FlagName {
  uint32_t bit;
  const char* field;
};

constexpr std::array<FlagName, 16> flag_fields{{
    {analysis_flag::retransmission, "tcp.analysis.retransmission"},
    {analysis_flag::spurious_retransmission, "tcp.analysis.spurious_retransmission"},
    {analysis_flag::fast_retransmission, "tcp.analysis.fast_retransmission"},
    {analysis_flag::out_of_order, "tcp.analysis.out_of_order"},
    {analysis_flag::lost_segment, "tcp.analysis.lost_segment"},
    {analysis_flag::ack_lost_segment, "tcp.analysis.ack_lost_segment"},
    {analysis_flag::duplicate_ack, "tcp.analysis.duplicate_ack"},
    {analysis_flag::zero_window, "tcp.analysis.zero_window"},
    {analysis_flag::zero_window_probe, "tcp.analysis.zero_window_probe"},
    {analysis_flag::zero_window_probe_ack, "tcp.analysis.zero_window_probe_ack"},
    {analysis_flag::window_full, "tcp.analysis.window_full"},
    {analysis_flag::window_update, "tcp.analysis.window_update"},
    {analysis_flag::keep_alive, "tcp.analysis.keep_alive"},
    {analysis_flag::keep_alive_ack, "tcp.analysis.keep_alive_ack"},
    {analysis_flag::reused_ports, "tcp.analysis.reused_ports"},
    {analysis_flag::reset, "tcp.connection.rst"},
}};

// The bracketed texts, in the order tshark's Info column shows them. tshark prepends each
// text in turn (reused ports first, zero-window texts last), so the last added reads first.
struct FlagLabel {
  uint32_t bit;
  const char* text;
};

constexpr std::array<FlagLabel, 14> labels_in_info_order{{
    {analysis_flag::zero_window_probe_ack, "TCP ZeroWindowProbeAck"},
    {analysis_flag::zero_window, "TCP ZeroWindow"},
    {analysis_flag::zero_window_probe, "TCP ZeroWindowProbe"},
    {analysis_flag::duplicate_ack, nullptr},  // "TCP Dup ACK <frame>#<number>"
    {analysis_flag::keep_alive_ack, "TCP Keep-Alive ACK"},
    {analysis_flag::keep_alive, "TCP Keep-Alive"},
    {analysis_flag::window_full, "TCP Window Full"},
    {analysis_flag::window_update, "TCP Window Update"},
    {analysis_flag::ack_lost_segment, "TCP ACKed unseen segment"},
    {analysis_flag::lost_segment, "TCP Previous segment not captured"},
    {analysis_flag::out_of_order, "TCP Out-Of-Order"},
    {analysis_flag::spurious_retransmission, "TCP Spurious Retransmission"},
    {analysis_flag::fast_retransmission, "TCP Fast Retransmission"},
    {analysis_flag::retransmission, "TCP Retransmission"},
}};

}  // namespace

const char* analysis_field_name(uint32_t flag_bit) {
  for (const FlagName& name : flag_fields)
    if (name.bit == flag_bit) return name.field;
  return "";
}

std::vector<std::string> analysis_labels(uint32_t flags, uint32_t dup_ack_number,
                                         uint64_t dup_ack_of_frame,
                                         [[maybe_unused]] uint64_t frame_number) {
  std::vector<std::string> labels;
  // Fast and spurious retransmissions also carry tcp.analysis.retransmission, but tshark
  // prints only their own text for them.
  const uint32_t specific_retransmission =
      analysis_flag::fast_retransmission | analysis_flag::spurious_retransmission;
  for (const FlagLabel& label : labels_in_info_order) {
    if (!(flags & label.bit)) continue;
    if (label.bit == analysis_flag::retransmission && (flags & specific_retransmission)) continue;
    if (label.bit == analysis_flag::duplicate_ack) {
      if (dup_ack_number == 0) continue;  // tshark prints the text only with a number
      labels.push_back(fmt::format("TCP Dup ACK {}#{}", dup_ack_of_frame, dup_ack_number));
      continue;
    }
    labels.emplace_back(label.text);
  }
  if (flags & analysis_flag::reused_ports) labels.emplace_back("TCP Port numbers reused");
  return labels;
}

const char* to_string(Direction direction) {
  return direction == Direction::client_to_server ? "client→server" : "server→client";
}

const char* to_string(Phase phase) {
  switch (phase) {
    case Phase::handshake:
      return "handshake";
    case Phase::data:
      return "data";
    case Phase::teardown:
      return "teardown";
    case Phase::reset:
      return "reset";
  }
  return "?";
}

}  // namespace tcpgrade
