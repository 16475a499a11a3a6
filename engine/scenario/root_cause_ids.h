// The ids of the root causes a report can show: one list, for the grading driver that finds
// them (check/root_causes.h) and for a scenario's `root_causes:` that rewords them.
#pragma once

#include <string>
#include <vector>

namespace tcpgrade {

namespace root_cause {
inline constexpr const char* wrong_port = "wrong-port";
inline constexpr const char* another_students_lab = "another-students-lab";  // lab variants
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

// Every id above, in this order.
const std::vector<std::string>& root_cause_ids();

}  // namespace tcpgrade
