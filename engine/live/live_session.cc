#include "live/live_session.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "live/lab_http.h"
#include "live/loopback_capture.h"
#include "live/network_namespace.h"
#include "util/child_process.h"

namespace tcpgrade {
namespace {

std::atomic<int> interrupt_signal{0};

void on_interrupt(int signal) {
  interrupt_signal.store(signal);
  kill_all_child_groups();  // async-signal-safe: kill(2) only
}

// A TCP socket bound to address:port (0: any free port). Returns -1 with errno on failure.
int bound_socket(const std::string& address, uint16_t port) {
  bool v6 = address.find(':') != std::string::npos;
  int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // as http.server does
  int rc;
  if (v6) {
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    sa.sin6_port = htons(port);
    ::inet_pton(AF_INET6, address.c_str(), &sa.sin6_addr);
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  } else {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    ::inet_pton(AF_INET, address.c_str(), &sa.sin_addr);
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  }
  if (rc != 0) {
    int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

uint16_t local_port(int fd) {
  sockaddr_storage sa{};
  socklen_t length = sizeof sa;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &length);
  if (sa.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&sa)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&sa)->sin_port);
}

// A listening socket on the port, read from /proc/net/tcp{,6} (state 0A): no connection is
// made to find out, so no probe lands in the capture.
bool port_listening(uint16_t port) {
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state;
      fields >> slot >> local >> remote >> state;
      size_t colon = local.rfind(':');
      if (colon == std::string::npos || state != "0A") continue;
      if (std::stoul(local.substr(colon + 1), nullptr, 16) == port) return true;
    }
  }
  return false;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

ProcessLog report_of(ChildProcess& child, const std::string& command) {
  return {child.name(), command, child.describe(), child.stderr_tail()};
}

}  // namespace

std::string expand_command(const std::string& command, uint16_t port, const std::string& address) {
  std::string out = command;
  bool v6 = address.find(':') != std::string::npos;
  replace_all(out, "{port}", std::to_string(port));
  replace_all(out, "{host}", v6 ? "[" + address + "]" : address);
  replace_all(out, "{address}", address);
  return out;
}

std::string prepare_live_network(bool isolate, bool* isolated) {
  static bool entered = false;
  static std::string sentence;
  if (!isolate) {
    *isolated = false;
    return "host loopback in use (--no-isolation): other loopback traffic on the port may land in "
           "the capture";
  }
  if (!entered) {
    sentence = enter_private_network(isolated);
    entered = *isolated;
  } else {
    *isolated = true;
  }
  return sentence;
}

bool live_interrupted() { return interrupt_signal.load() != 0; }
int live_interrupt_signal() { return interrupt_signal.load(); }

LiveRun run_live(const LiveOptions& options) {
  catch_interrupts(on_interrupt);
  adopt_orphans();
  LiveRun run;
  bool isolated = false;
  run.isolation = prepare_live_network(options.isolate, &isolated);
  const bool builtin_server = options.server == "builtin";
  const bool no_server = options.server == "none";

  // The built-in server serves files from its web root: without one every request would get
  // a 404, and the capture would be graded as the student's mistake.
  std::error_code error;
  if (builtin_server && !std::filesystem::is_directory(options.www, error))
    throw std::runtime_error(fmt::format(
        "the built-in server's web root {} {}; give one with --www or the scenario's live: www:",
        options.www,
        std::filesystem::exists(options.www, error) ? "is not a folder" : "does not exist"));

  // The port: the built-in server keeps the bound socket (no race); an external server is
  // given a port found free by binding and releasing it.
  int listening = bound_socket(options.address, options.port);
  if (listening < 0) {
    if (errno == EADDRINUSE)
      throw std::runtime_error(
          fmt::format("port {} on {} is busy: another program listens on it; "
                      "choose another with --port, or 0 for a free one",
                      options.port, options.address));
    throw std::runtime_error(fmt::format("cannot use {} port {}: {}", options.address, options.port,
                                         std::strerror(errno)));
  }
  run.port = local_port(listening);
  if (!builtin_server) {
    ::close(listening);
    listening = -1;
    if (!no_server && port_listening(run.port))
      throw std::runtime_error(
          fmt::format("port {} is busy: another program listens on it", run.port));
  } else if (::listen(listening, 16) != 0) {
    ::close(listening);
    throw std::runtime_error(
        fmt::format("cannot listen on port {}: {}", run.port, std::strerror(errno)));
  }

  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<int64_t>(options.timeout_seconds * 1000));
  auto cleanup_socket = [&] {
    if (listening >= 0) ::close(listening);
    listening = -1;
  };

  // The capture starts before anything is sent.
  LoopbackCapture capture("lo", run.port, options.capture_path, options.buffer_bytes);

  std::optional<ChildProcess> server;
  std::string server_command;
  if (builtin_server) {
    server_command = fmt::format("built-in HTTP/1.0 server on {} port {}, serving {}",
                                 options.address, run.port, options.www);
    std::string www = options.www;
    int fd = listening;
    server.emplace(ChildProcess::function("server", [fd, www] { return run_lab_server(fd, www); }));
    cleanup_socket();
  } else if (!no_server) {
    server_command = expand_command(options.server, run.port, options.address);
    server.emplace(ChildProcess::shell("server", server_command, options.www));
    // Ready when the socket listens; never probed with a connection.
    while (!port_listening(run.port)) {
      if (!server->running()) {
        ProcessLog failed = report_of(*server, server_command);
        throw std::runtime_error(fmt::format(
            "the server exited ({}) before listening on port {}{}", failed.status, run.port,
            failed.stderr_tail.empty()
                ? ""
                : ": " + failed.stderr_tail.substr(0, failed.stderr_tail.find('\n'))));
      }
      if (std::chrono::steady_clock::now() > deadline || live_interrupted())
        throw std::runtime_error(fmt::format("the server did not listen on port {} within {} s",
                                             run.port, options.timeout_seconds));
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  std::string client_command;
  std::optional<ChildProcess> client;
  if (options.client == "builtin") {
    client_command =
        fmt::format("built-in client (curl's GET) to {} port {}", options.address, run.port);
    std::string address = options.address;
    uint16_t port = run.port;
    client.emplace(ChildProcess::function(
        "client", [address, port] { return run_lab_client(address, port); }));
  } else {
    client_command = expand_command(options.client, run.port, options.address);
    client.emplace(ChildProcess::shell("client", client_command));
  }

  // Until the connection has closed and the client is done, or the time is up.
  std::optional<std::chrono::steady_clock::time_point> client_done_at;
  for (;;) {
    capture.poll(20);
    if (live_interrupted()) {
      run.stop_reason = fmt::format("interrupted by signal {}", live_interrupt_signal());
      break;
    }
    bool client_running = client->running();
    if (capture.connection_closed() && !client_running) {
      run.closed = true;
      run.stop_reason = "the connection closed (FIN both ways and acknowledged, or RST)";
      break;
    }
    if (!client_running && !client_done_at) client_done_at = std::chrono::steady_clock::now();
    // A client that exits without a closed connection (it never connected): wait a moment for
    // late frames, then stop.
    if (client_done_at &&
        std::chrono::steady_clock::now() - *client_done_at > std::chrono::seconds(1)) {
      run.stop_reason =
          fmt::format("the client ended ({}) without the connection closing", client->describe());
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      run.timed_out = true;
      run.stop_reason =
          fmt::format("timeout after {} s: the connection had not closed", options.timeout_seconds);
      break;
    }
  }
  // Drain what the kernel still holds for us, then stop everything.
  auto drain_until = std::chrono::steady_clock::now() + std::chrono::milliseconds(150);
  while (std::chrono::steady_clock::now() < drain_until) capture.poll(10);
  client->stop(300);
  if (server) server->stop(300);
  std::vector<pid_t> groups = {client->pid()};
  if (server) groups.push_back(server->pid());
  run.escaped_processes = kill_escaped_descendants(groups);
  capture.poll(0);
  run.frames = capture.frames();
  run.drops = capture.drops();
  capture.close();
  if (server) run.processes.push_back(report_of(*server, server_command));
  run.processes.push_back(report_of(*client, client_command));
  return run;
}

}  // namespace tcpgrade
