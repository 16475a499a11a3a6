// `tcpgrade live`: the lab's procedure in one step. Start a server, capture the loopback with
// a filter for the port, run a client, stop once the connection has closed (or at the
// timeout), and hand the capture file to the same check as `tcpgrade check`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/process_log.h"

namespace tcpgrade {

struct LiveOptions {
  std::string server = "builtin";  // builtin, none, or a shell command ({port}, {address})
  std::string client = "builtin";  // builtin or a shell command
  std::string www;                 // the built-in server's document root
  uint16_t port = 0;               // 0: a free port
  std::string address = "127.0.0.1";
  std::string capture_path;  // where the frames are written
  double timeout_seconds = 10;
  int buffer_bytes = 4 << 20;  // libpcap's buffer (tcpdump -B): frames beyond it are dropped
  bool isolate = true;         // a private network namespace where possible
};

struct LiveRun {
  uint16_t port = 0;
  uint64_t frames = 0;
  uint64_t drops = 0;
  bool closed = false;  // the connection closed (FINs acknowledged, or RST)
  bool timed_out = false;
  std::string stop_reason;  // one sentence
  std::string isolation;    // one sentence
  std::vector<ProcessLog> processes;
  size_t escaped_processes = 0;  // left their process group (daemons): killed at the end
};

// {port} and {address} replaced; an IPv6 address is bracketed where a URL needs it ({host}).
std::string expand_command(const std::string& command, uint16_t port, const std::string& address);

// Enters the private network namespace (once per process) when options.isolate.
std::string prepare_live_network(bool isolate, bool* isolated);

// Runs one exchange. Throws CapturePermissionError (exit 77) and std::runtime_error for a busy
// port, a server that never listens, and other failures to set the run up.
LiveRun run_live(const LiveOptions& options);

// True once SIGINT or SIGTERM arrived (children are killed at once by the handler).
bool live_interrupted();
int live_interrupt_signal();

}  // namespace tcpgrade
