#include "analysis/dump_format.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

namespace tcpgrade {
namespace {

std::string relative_time(const Timestamp& now, const Timestamp& first) {
  int64_t ns = now.total_ns() - first.total_ns();
  const char* sign = ns < 0 ? "-" : "";
  if (ns < 0) ns = -ns;
  return fmt::format("{}{}.{:09}", sign, ns / 1'000'000'000, ns % 1'000'000'000);
}

std::string epoch_time(const Timestamp& t) { return fmt::format("{}.{:09}", t.sec, t.nsec); }

const char* network_name(const DecodedFrame& frame) {
  if (frame.has_tcp) return "TCP";
  if (frame.ip.version == 4) return "IPv4";
  if (frame.ip.version == 6) return "IPv6";
  return "-";
}

// Base of the peer's relative numbering, so SACK edges print relative like Wireshark's.
uint32_t peer_base(const DecodedFrame& frame, const FrameAnalysis* analysis) {
  return analysis ? frame.tcp.ack - analysis->relative_ack : 0;
}

void append_options_info(std::string& out, const DecodedFrame& frame,
                         const FrameAnalysis* analysis) {
  const TcpOptions& options = frame.tcp.options;
  uint8_t sack_printed = 0;
  for (uint8_t i = 0; i < options.entry_count; ++i) {
    switch (options.entries[i].kind) {
      case tcp_option::mss:
        if (options.mss) out += fmt::format(" MSS={}", *options.mss);
        break;
      case tcp_option::sack_permitted:
        if (options.sack_permitted) out += " SACK_PERM";
        break;
      case tcp_option::timestamps:
        if (options.tsval) out += fmt::format(" TSval={} TSecr={}", *options.tsval, *options.tsecr);
        break;
      case tcp_option::window_scale:
        if (options.window_scale)
          out += fmt::format(" WS={}", 1u << std::min<uint8_t>(*options.window_scale, 14));
        break;
      case tcp_option::sack:
        for (; sack_printed < options.sack_count; ++sack_printed) {
          uint32_t base = peer_base(frame, analysis);
          out += fmt::format(" SLE={} SRE={}", options.sack[sack_printed].left - base,
                             options.sack[sack_printed].right - base);
        }
        break;
      case tcp_option::fast_open:
        out += options.fast_open_cookie_length == 0 ? " TFO=R" : " TFO=C";
        break;
      default:
        break;
    }
  }
}

}  // namespace

std::string describe_problem(const DecodedFrame& frame) {
  if (frame.status == DecodeStatus::ok || !frame.problem) return "";
  if (frame.status == DecodeStatus::truncated && frame.captured_length < frame.wire_length)
    return fmt::format("{} (frame captured {} of {} bytes)", frame.problem, frame.captured_length,
                       frame.wire_length);
  return frame.problem;
}

std::string tcp_info(const DecodedFrame& frame, const FrameAnalysis* analysis) {
  const TcpHeader& tcp = frame.tcp;
  std::string out;
  if (analysis) {
    for (const std::string& label : analysis_labels(analysis->flags, analysis->dup_ack_number,
                                                    analysis->dup_ack_of_frame, frame.number))
      out += fmt::format("[{}] ", label);
  }
  out += fmt::format("{} → {} [{}] Seq={}", tcp.src_port, tcp.dst_port, flag_names(tcp.flags),
                     analysis ? analysis->relative_seq : tcp.seq);
  if (tcp.flags & tcp_flag::ack)
    out += fmt::format(" Ack={}", analysis ? analysis->relative_ack : tcp.ack);
  out += fmt::format(" Win={} Len={}", analysis ? analysis->window_scaled : tcp.window,
                     tcp.payload_length);
  if (tcp.flags & tcp_flag::urg) out += fmt::format(" Urg={}", tcp.urgent);
  append_options_info(out, frame, analysis);
  return out;
}

void append_text_line(fmt::memory_buffer& out, const DumpRow& row) {
  const DecodedFrame& frame = row.frame;
  std::string time = relative_time(frame.timestamp, row.first_timestamp);
  time.resize(time.size() - 3);  // microseconds, as tshark shows them
  fmt::format_to(std::back_inserter(out), "{:>5} {:>11} ", frame.number, time);
  if (frame.ip.version == 0) {
    fmt::format_to(std::back_inserter(out), "{} {}", "-", frame.wire_length);
    if (frame.status == DecodeStatus::ok) out.append(std::string_view(" not an IP frame"));
  } else {
    fmt::format_to(std::back_inserter(out), "{} → {} {} {}", to_string(frame.ip.src),
                   to_string(frame.ip.dst), network_name(frame), frame.wire_length);
    if (frame.has_tcp) {
      out.push_back(' ');
      out.append(tcp_info(frame, row.analysis));
    } else if (frame.ip.is_fragment) {
      fmt::format_to(std::back_inserter(out), " fragment of protocol {} (not reassembled)",
                     frame.ip.protocol);
    } else if (frame.status == DecodeStatus::ok) {
      fmt::format_to(std::back_inserter(out), " protocol {}, not TCP", frame.ip.protocol);
    }
  }
  if (frame.status != DecodeStatus::ok)
    fmt::format_to(std::back_inserter(out), " [{}: {}]", to_string(frame.status),
                   describe_problem(frame));
  out.push_back('\n');
}

nlohmann::ordered_json frame_to_json(const DumpRow& row) {
  const DecodedFrame& frame = row.frame;
  const FrameAnalysis* a = row.analysis;
  const TcpHeader& tcp = frame.tcp;
  const TcpOptions& options = tcp.options;
  nlohmann::ordered_json j;
  j["frame"] = frame.number;
  j["time_epoch"] = epoch_time(frame.timestamp);
  j["time_relative"] = relative_time(frame.timestamp, row.first_timestamp);
  j["frame_len"] = frame.wire_length;
  j["captured_len"] = frame.captured_length;
  j["status"] = to_string(frame.status);
  if (frame.status != DecodeStatus::ok) j["problem"] = describe_problem(frame);
  if (frame.ip.version) {
    j["ip_version"] = frame.ip.version;
    j["src"] = to_string(frame.ip.src);
    j["dst"] = to_string(frame.ip.dst);
    j["ip_protocol"] = frame.ip.protocol;
    if (frame.ip.is_fragment) j["ip_fragment"] = true;
    if (frame.ip.vlan_count) {
      j["vlan"] = nlohmann::ordered_json::array();
      for (uint8_t i = 0; i < frame.ip.vlan_count; ++i) j["vlan"].push_back(frame.ip.vlan_ids[i]);
    }
  }
  if (!frame.has_tcp) return j;
  j["src_port"] = tcp.src_port;
  j["dst_port"] = tcp.dst_port;
  j["flags"] = tcp.flags;
  j["flag_names"] = flag_names(tcp.flags);
  j["seq_raw"] = tcp.seq;
  if (tcp.flags & tcp_flag::ack) j["ack_raw"] = tcp.ack;
  j["len"] = tcp.payload_length;
  j["header_len"] = tcp.header_length;
  j["window_raw"] = tcp.window;
  nlohmann::ordered_json opts = nlohmann::ordered_json::object();
  if (options.mss) opts["mss"] = *options.mss;
  if (options.window_scale) opts["ws"] = *options.window_scale;
  if (options.sack_permitted) opts["sack_perm"] = true;
  if (options.tsval) {
    opts["tsval"] = *options.tsval;
    opts["tsecr"] = *options.tsecr;
  }
  if (options.sack_count) {
    opts["sack"] = nlohmann::ordered_json::array();
    for (uint8_t i = 0; i < options.sack_count; ++i)
      opts["sack"].push_back({options.sack[i].left, options.sack[i].right});
  }
  if (options.fast_open) opts["tfo_cookie_len"] = options.fast_open_cookie_length;
  if (options.mptcp_subtype) opts["mptcp_subtype"] = *options.mptcp_subtype;
  opts["kinds"] = nlohmann::ordered_json::array();
  for (uint8_t i = 0; i < options.entry_count; ++i)
    opts["kinds"].push_back({options.entries[i].kind, options.entries[i].length});
  if (!tcp.options_complete) opts["complete"] = false;
  j["options"] = opts;
  if (a) {
    j["stream"] = a->stream;
    j["direction"] = to_string(a->direction);
    j["phase"] = to_string(a->phase);
    j["seq"] = a->relative_seq;
    if (tcp.flags & tcp_flag::ack) j["ack"] = a->relative_ack;
    if (a->relative_next_seq) j["next_seq"] = a->relative_next_seq;
    j["window"] = a->window_scaled;
    j["window_shift"] = a->window_shift;
    nlohmann::ordered_json flags = nlohmann::ordered_json::array();
    for (uint32_t bit = 1; bit != 0 && bit <= a->flags; bit <<= 1)
      if (a->flags & bit) flags.push_back(analysis_field_name(bit));
    j["analysis"] = flags;
    if (a->dup_ack_number) {
      j["dup_ack_num"] = a->dup_ack_number;
      j["dup_ack_frame"] = a->dup_ack_of_frame;
    }
  }
  return j;
}

void append_summary_header(fmt::memory_buffer& out) {
  out.append(std::string_view(
      "stream\tclient\tserver\tframes_c2s\tbytes_c2s\tframes_s2c\tbytes_s2c\tstate\thistory\t"
      "completeness\tfirst_frame\tlast_frame\tduration\n"));
}

void append_summary_line(fmt::memory_buffer& out, const ConversationSummary& s) {
  auto endpoint = [](const Endpoint& e) {
    return e.address.family == 6 ? fmt::format("[{}]:{}", to_string(e.address), e.port)
                                 : fmt::format("{}:{}", to_string(e.address), e.port);
  };
  fmt::format_to(std::back_inserter(out), "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                 s.stream, endpoint(s.client), endpoint(s.server), s.frames[0], s.bytes[0],
                 s.frames[1], s.bytes[1], s.state, s.history, s.completeness, s.first_frame,
                 s.last_frame, relative_time(s.last_time, s.first_time));
}

}  // namespace tcpgrade
