// Causes that explain many mismatches at once, found on the capture before any field is
// judged: the report says each once, at the top, and groups its consequences under it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/captured_conversation.h"
#include "report/report.h"
#include "scenario/scenario.h"

namespace tcpgrade {

namespace root_cause {
inline constexpr const char* wrong_port = "wrong-port";
inline constexpr const char* wrong_family = "wrong-family";  // IPv4 where IPv6 is graded, or back
inline constexpr const char* handshake_not_captured = "handshake-not-captured";
inline constexpr const char* connection_refused = "connection-refused";
inline constexpr const char* connection_reset = "connection-reset";
inline constexpr const char* snap_length = "snap-length";
inline constexpr const char* several_connections = "several-connections";
inline constexpr const char* other_traffic = "other-traffic";
inline constexpr const char* file_cut_short = "file-cut-short";
inline constexpr const char* absolute_numbers = "absolute-numbers";
inline constexpr const char* not_closed = "not-closed";
inline constexpr const char* connection_accepted = "connection-accepted";
inline constexpr const char* frames_not_captured = "frames-not-captured";
// Another machine, server or client than the lab's (check/deviations.h).
inline constexpr const char* timestamps_off = "timestamps-off";
inline constexpr const char* sack_off = "sack-off";
inline constexpr const char* window_scaling_off = "window-scaling-off";
inline constexpr const char* mss_not_loopback = "mss-not-loopback";
inline constexpr const char* http_version = "http-version";
inline constexpr const char* keep_alive = "keep-alive";
inline constexpr const char* other_client = "other-client";
inline constexpr const char* other_status = "other-status";
inline constexpr const char* other_path = "other-path";
}  // namespace root_cause

// Causes seen in one graded conversation.
std::vector<RootCause> diagnose_conversation(const CapturedConversation& conversation,
                                             const CaptureContents& contents);

// Causes of the capture as a whole, found by the grading driver.
// No connection matches the scenario; `lines` lists the capture's connections, `shown` is the
// one graded in its place. Over the other IP version than the scenario's (and on its port),
// the cause is wrong-family and names both; otherwise wrong-port.
RootCause wrong_port_cause(const Scenario& scenario, const std::vector<std::string>& lines,
                           const CapturedConversation& shown);
// Connections to other ports beside the graded one (stream `stream`, server port `port`).
RootCause other_traffic_cause(uint32_t stream, uint16_t port);
// The scenario expects the server to refuse the connection (its answer to the SYN is an RST),
// but the server answered SYN-ACK: something listened on the port.
std::optional<RootCause> connection_accepted_cause(const Scenario& scenario,
                                                   const CapturedConversation& c);
// Several connections to the scenario's server: the client ran more than once.
RootCause several_connections_cause(bool best_fitting_graded);

}  // namespace tcpgrade
