// Child processes, for `tcpgrade live` and `tcpgrade grade`: starting them in their own
// process group with their stderr kept in a file (so the report can quote the last lines),
// reaping them on success, failure, timeout and interruption, and the signal handling both
// commands share (one place installs the interrupt handlers, one resets them in a child).
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tcpgrade {

class ChildProcess {
 public:
  // Runs `command` with /bin/sh -c in `directory` (empty: the current one).
  static ChildProcess shell(const std::string& name, const std::string& command,
                            const std::string& directory = "");
  // Runs `body` in a forked child; its return value is the exit status.
  static ChildProcess function(const std::string& name, std::function<int()> body);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ~ChildProcess();  // stops (TERM, then KILL) and reaps the whole group if still running

  const std::string& name() const { return name_; }
  pid_t pid() const { return pid_; }
  bool running();                    // reaps without blocking when it has exited
  std::optional<int> exit_status();  // the exit code, 128+signal when killed; none if running
  // SIGTERM to the group, then SIGKILL after `grace_ms`; waits until reaped.
  void stop(int grace_ms = 500);
  std::string describe();  // "exited 0", "killed by signal 9", "running"
  std::string stderr_tail(size_t lines = 10) const;

 private:
  ChildProcess(std::string name, pid_t pid, std::string stderr_path);
  // Forks; the child, in its own group with its stderr in a file, runs `in_child`, which must
  // not return (it execs or _exits).
  static ChildProcess start(const std::string& name, const std::function<void()>& in_child);
  std::string name_;
  pid_t pid_ = -1;
  std::optional<int> status_;  // raw wait status once reaped
  std::string stderr_path_;
};

// Kills every child group still registered (for a SIGINT/SIGTERM handler: async-signal-safe).
void kill_all_child_groups();

// Makes this process the reaper of its descendants' orphans (PR_SET_CHILD_SUBREAPER): a server
// that daemonizes (setsid, a double fork) leaves its process group but stays our child.
void adopt_orphans();

// SIGKILLs and reaps every child process still there, round after round (a killed daemon's
// own children come to us next), until none is left. Call once every ChildProcess is stopped.
// Returns how many had escaped: not in one of `stopped_groups` (whose members, killed with
// their group, may still be on their way out) and not already a zombie.
size_t kill_escaped_descendants(const std::vector<pid_t>& stopped_groups);

// SIGINT and SIGTERM call `handler`, without SA_RESTART: a poll() or wait in progress returns
// at once, so the caller sees the interruption and cleans up.
void catch_interrupts(void (*handler)(int));

// In a forked child: SIGINT and SIGTERM back to their defaults (the parent's handlers are for
// the parent's clean-up).
void default_interrupts();

// waitpid(pid, &status, 0), again when a signal interrupts it. Returns waitpid's result.
pid_t wait_for_exit(pid_t pid, int& status);

// Once an interrupted command has cleaned up: die of the same signal, as a shell expects.
[[noreturn]] void die_of_signal(int signal);

}  // namespace tcpgrade
