#include "util/child_process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "util/small_file.h"

namespace tcpgrade {
namespace {

// Process groups a signal handler must kill; plain atomics so the handler may read them.
constexpr size_t max_children = 16;
std::array<std::atomic<pid_t>, max_children> registered{};

void register_group(pid_t pid) {
  for (auto& slot : registered) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pid)) return;
  }
}

void unregister_group(pid_t pid) {
  for (auto& slot : registered) {
    pid_t expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

std::string make_stderr_file() {
  char path[] = "/tmp/tcpgrade-child-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd < 0) throw std::runtime_error("cannot create a temporary file for a child's stderr");
  ::close(fd);
  return path;
}

// In the child: own process group, stdin from /dev/null, stdout discarded, stderr to the file.
void prepare_child(const std::string& stderr_path) {
  ::setpgid(0, 0);
  default_interrupts();
  ::signal(SIGPIPE, SIG_DFL);
  int null = ::open("/dev/null", O_RDWR);
  int err = ::open(stderr_path.c_str(), O_WRONLY | O_TRUNC);
  if (null >= 0) {
    ::dup2(null, STDIN_FILENO);
    ::dup2(null, STDOUT_FILENO);
  }
  if (err >= 0) ::dup2(err, STDERR_FILENO);
}

struct ChildInfo {
  pid_t pid;
  pid_t group;
  bool zombie;
};

// Child processes of this one, from /proc/PID/stat: "pid (comm) state ppid pgrp ...".
std::vector<ChildInfo> children_of_self() {
  std::vector<ChildInfo> children;
  pid_t self = ::getpid();
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    // A child may exit between listing and reading: read() then fails with ESRCH, which
    // std::ifstream would throw; this read just skips it.
    std::string reason;
    std::optional<std::string> read =
        read_small_file((entry.path() / "stat").string(), 4096, reason);
    if (!read) continue;
    const std::string& stat = *read;
    size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(stat.substr(close + 1));
    std::string state;
    long ppid = 0, group = 0;
    if (fields >> state >> ppid >> group && ppid == self)
      children.push_back({std::stoi(name), static_cast<pid_t>(group), state == "Z"});
  }
  return children;
}

}  // namespace

void adopt_orphans() { ::prctl(PR_SET_CHILD_SUBREAPER, 1); }

size_t kill_escaped_descendants(const std::vector<pid_t>& stopped_groups) {
  size_t escaped = 0;
  for (int round = 0; round < 50; ++round) {
    std::vector<ChildInfo> children = children_of_self();
    if (children.empty()) break;
    for (const ChildInfo& child : children) {
      bool known = std::find(stopped_groups.begin(), stopped_groups.end(), child.group) !=
                   stopped_groups.end();
      if (!known && !child.zombie) ++escaped;
      ::kill(child.pid, SIGKILL);
      ::waitpid(child.pid, nullptr, 0);
    }
  }
  return escaped;
}

void kill_all_child_groups() {
  for (auto& slot : registered) {
    pid_t pid = slot.load();
    if (pid > 0) ::kill(-pid, SIGKILL);
  }
}

ChildProcess::ChildProcess(std::string name, pid_t pid, std::string stderr_path)
    : name_(std::move(name)), pid_(pid), stderr_path_(std::move(stderr_path)) {
  ::setpgid(pid_, pid_);  // also in the parent: no race with a signal sent right away
  register_group(pid_);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : name_(std::move(other.name_)),
      pid_(other.pid_),
      status_(other.status_),
      stderr_path_(std::move(other.stderr_path_)) {
  other.pid_ = -1;
  other.stderr_path_.clear();
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) stop(200);
  if (!stderr_path_.empty()) ::unlink(stderr_path_.c_str());
}

ChildProcess ChildProcess::start(const std::string& name, const std::function<void()>& in_child) {
  std::string err = make_stderr_file();
  std::fflush(nullptr);  // or the child would inherit, and write again, the parent's buffers
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(fmt::format("cannot start the {}: fork failed", name));
  if (pid == 0) {
    prepare_child(err);
    in_child();  // never returns
  }
  return ChildProcess(name, pid, err);
}

ChildProcess ChildProcess::shell(const std::string& name, const std::string& command,
                                 const std::string& directory) {
  return start(name, [&] {
    if (!directory.empty() && ::chdir(directory.c_str()) != 0) {
      fmt::print(stderr, "cannot enter {}\n", directory);
      ::_exit(127);
    }
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  });
}

ChildProcess ChildProcess::function(const std::string& name, std::function<int()> body) {
  return start(name, [&] {
    int code = 1;
    try {
      code = body();
    } catch (const std::exception& error) {
      fmt::print(stderr, "{}\n", error.what());
    }
    std::fflush(nullptr);
    ::_exit(code);
  });
}

bool ChildProcess::running() {
  if (pid_ <= 0 || status_) return false;
  int status = 0;
  pid_t got = ::waitpid(pid_, &status, WNOHANG);
  if (got == pid_) {
    status_ = status;
    return false;
  }
  return got == 0;
}

std::optional<int> ChildProcess::exit_status() {
  if (running() || !status_) return std::nullopt;
  if (WIFEXITED(*status_)) return WEXITSTATUS(*status_);
  if (WIFSIGNALED(*status_)) return 128 + WTERMSIG(*status_);
  return std::nullopt;
}

void ChildProcess::stop(int grace_ms) {
  if (pid_ <= 0) return;
  // The group may outlive its leader (a shell's children): signal the group either way.
  ::kill(-pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
  while (running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(-pid_, SIGKILL);
  if (!status_) {
    int status = 0;
    if (wait_for_exit(pid_, status) == pid_) status_ = status;
  }
  unregister_group(pid_);
}

std::string ChildProcess::describe() {
  std::optional<int> code = exit_status();
  if (!code) return "running";
  if (WIFSIGNALED(*status_)) return fmt::format("killed by signal {}", WTERMSIG(*status_));
  return fmt::format("exited {}", *code);
}

std::string ChildProcess::stderr_tail(size_t lines) const {
  std::ifstream in(stderr_path_, std::ios::binary);
  std::vector<std::string> all;
  std::string line;
  size_t bytes = 0;
  while (std::getline(in, line) && bytes < (1 << 20)) {
    bytes += line.size();
    all.push_back(line);
  }
  std::string out;
  for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i)
    out += all[i] + "\n";
  return out;
}

void catch_interrupts(void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

void default_interrupts() {
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
}

pid_t wait_for_exit(pid_t pid, int& status) {
  pid_t got;
  while ((got = ::waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
  }
  return got;
}

void die_of_signal(int signal) {
  ::signal(signal, SIG_DFL);
  ::raise(signal);
  ::_exit(128 + signal);  // the signal was blocked: exit as the shell would report it
}

}  // namespace tcpgrade
