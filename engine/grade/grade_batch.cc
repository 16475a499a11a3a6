#include "grade/grade_batch.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

#include "grade/capture_print_json.h"
#include "grade/grade_child.h"
#include "grade/grade_reports.h"
#include "grade/review_child.h"
#include "util/child_process.h"

namespace tcpgrade {
namespace {

using Clock = std::chrono::steady_clock;

// SIGINT or SIGTERM: the batch stops, cleans up, and the command dies of the same signal.
volatile sig_atomic_t interrupted_by = 0;
void on_interrupt(int signal) { interrupted_by = signal; }

void progress(size_t done, size_t total) {
  if (!::isatty(STDERR_FILENO)) return;
  size_t width = 30, filled = total ? done * width / total : width;
  fmt::print(stderr, "\r[{}{}] {}/{}", std::string(filled, '#'), std::string(width - filled, ' '),
             done, total);
  if (done == total) fmt::print(stderr, "\n");
}

// Reads what the pipe holds now, never blocking: a child whose line exceeds the pipe's
// buffer goes on as soon as it is drained. True at end of file: the child has exited.
bool drain(int fd, std::string& into) {
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      into.append(buffer, static_cast<size_t>(n));
    } else if (n == 0) {
      return true;
    } else if (errno != EINTR) {
      return errno != EAGAIN && errno != EWOULDBLOCK;  // another error: nothing more will come
    }
  }
}

struct Running {
  size_t index;
  bool writeup;   // the submission's write-up (review_child), not its capture
  pid_t pid;      // 0 once reaped
  int result_fd;  // the read end of the child's stdout, non-blocking
  Clock::time_point deadline;
  std::string result;
};

class Batch {
 public:
  explicit Batch(const BatchPlan& plan) : plan_(plan), max_(scenario_max_points(plan.scenario)) {
    outcome_.rows.resize(plan.submissions.size());
    // Each submission's capture, then its write-up when the class's write-ups are graded: two
    // children, so a hostile write-up never costs the capture's score.
    for (size_t i = 0; i < plan.submissions.size(); ++i) {
      tasks_.push_back({i, false});
      if (!plan.writeups) continue;
      const Submission& s = plan.submissions[i];
      if (s.writeup_file.empty() && s.writeup_problem.empty())
        outcome_.rows[i].writeup = missing_writeup();
      else
        tasks_.push_back({i, true});
    }
  }

  BatchOutcome run() {
    try {
      const size_t total = tasks_.size();
      while (next_ < total || !running_.empty()) {
        while (!interrupted_by && next_ < total && running_.size() < plan_.jobs) {
          const auto& [index, writeup] = tasks_[next_++];
          if (writeup)
            start_writeup(index);
          else
            start(index);
        }
        if (interrupted_by) break;
        if (!running_.empty()) wait_for_children();
      }
    } catch (...) {
      stop_all();
      throw;
    }
    if (interrupted_by) stop_all();
    outcome_.interrupted_by = interrupted_by;
    return std::move(outcome_);
  }

 private:
  void start(size_t i) {
    const Submission& s = plan_.submissions[i];
    if (!s.problem.empty()) return finish(i, s.problem);
    std::optional<StudentLab> lab;
    if (plan_.student_lab) {
      try {
        lab.emplace(plan_.student_lab(s));
      } catch (const std::exception& error) {
        return finish(i, fmt::format("the student's lab variant: {}", error.what()));
      }
    }
    std::string problem;
    int capture = open_submission(s, plan_.files, problem);
    if (capture < 0) return finish(i, problem);
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0) {
      ::close(capture);
      return finish(i, "could not start a grading process (no pipe)");
    }
    std::fflush(nullptr);  // or the child would inherit, and write again, the parent's buffers
    pid_t pid = ::fork();
    if (pid < 0) {
      ::close(capture);
      ::close(ends[0]);
      ::close(ends[1]);
      return finish(i, "could not start a grading process (fork failed)");
    }
    if (pid == 0) {
      // The parent keeps no write end (closed below at each fork), so none was inherited: EOF
      // on a child's pipe means that child has exited. The other read ends are not ours.
      for (const Running& job : running_) ::close(job.result_fd);
      ::close(ends[0]);
      if (::dup2(ends[1], STDOUT_FILENO) < 0) ::_exit(result_not_written + std::min(errno, 63));
      ::close(ends[1]);
      grade_child(lab ? lab->scenario : plan_.scenario, lab ? lab->variants : plan_.variants, s,
                  capture, plan_.reports, plan_.limits, plan_.max_report_bytes, plan_.brief,
                  plan_.port_owners);
    }
    ::close(capture);  // the child's now
    ::close(ends[1]);
    ::fcntl(ends[0], F_SETFL, O_NONBLOCK);
    auto timeout =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(plan_.timeout));
    running_.push_back({i, false, pid, ends[0], Clock::now() + timeout, {}});
  }

  // The write-up's child: reviewed against the same capture, on the same lab, within the
  // same limits as the capture's child.
  void start_writeup(size_t i) {
    const Submission& s = plan_.submissions[i];
    if (!s.writeup_problem.empty()) return finish_writeup(i, s.writeup_problem);
    if (!s.problem.empty())
      return finish_writeup(
          i, fmt::format("not reviewed: no capture to review it against ({})", s.problem));
    std::optional<StudentLab> lab;
    if (plan_.student_lab) {
      try {
        lab.emplace(plan_.student_lab(s));
      } catch (const std::exception& error) {
        return finish_writeup(i, fmt::format("the student's lab variant: {}", error.what()));
      }
    }
    std::string problem;
    int capture = open_submission(s, plan_.files, problem);
    if (capture < 0)
      return finish_writeup(i, fmt::format("not reviewed: the capture: {}", problem));
    int writeup = open_submission(writeup_submission(s), {max_writeup_bytes()}, problem);
    if (writeup < 0) {
      ::close(capture);
      // A write-up's limit is its own, not --max-size's.
      if (problem.ends_with(" (--max-size)"))
        problem.replace(problem.size() - 13, 13, " bytes for a write-up");
      return finish_writeup(
          i, is_missing_submission(problem) ? "no write-up (the file is missing)" : problem);
    }
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0) {
      ::close(capture);
      ::close(writeup);
      return finish_writeup(i, "could not start a review process (no pipe)");
    }
    std::fflush(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) {
      ::close(capture);
      ::close(writeup);
      ::close(ends[0]);
      ::close(ends[1]);
      return finish_writeup(i, "could not start a review process (fork failed)");
    }
    if (pid == 0) {
      for (const Running& job : running_) ::close(job.result_fd);
      ::close(ends[0]);
      if (::dup2(ends[1], STDOUT_FILENO) < 0) ::_exit(result_not_written + std::min(errno, 63));
      ::close(ends[1]);
      review_child(lab ? lab->scenario : plan_.scenario, s, capture, writeup, plan_.reports,
                   plan_.limits, plan_.max_report_bytes, plan_.brief);
    }
    ::close(capture);
    ::close(writeup);
    ::close(ends[1]);
    ::fcntl(ends[0], F_SETFL, O_NONBLOCK);
    auto timeout =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(plan_.timeout));
    running_.push_back({i, true, pid, ends[0], Clock::now() + timeout, {}});
  }

  // The half-written reports of a killed child: its capture's or its write-up's.
  void remove_partial(const Running& job) {
    const Submission& s = plan_.submissions[job.index];
    remove_partial_reports(job.writeup ? plan_.reports / writeup_reports_folder : plan_.reports, s,
                           job.pid);
  }

  // An error row for the job: the capture's row, or the row's write-up cells.
  void finish_job(const Running& job, const std::string& error) {
    if (job.writeup)
      finish_writeup(job.index, error);
    else
      finish(job.index, error);
  }

  // Until a child's pipe has something, a signal comes, or the nearest --timeout is due
  // (capped, so an interrupt that came just before poll() is seen soon).
  void wait_for_children() {
    std::vector<pollfd> fds;
    Clock::time_point nearest = Clock::time_point::max();
    for (const Running& job : running_) {
      fds.push_back({job.result_fd, POLLIN, 0});
      nearest = std::min(nearest, job.deadline);
    }
    auto left = std::chrono::ceil<std::chrono::milliseconds>(nearest - Clock::now()).count();
    int wait_ms = static_cast<int>(std::clamp<decltype(left)>(left, 0, 100));
    if (::poll(fds.data(), fds.size(), wait_ms) < 0) {
      if (errno == EINTR) return;
      throw std::system_error(errno, std::generic_category(), "grade: poll");
    }
    std::string fatal;  // the batch cannot go on: output cannot be written
    Clock::time_point now = Clock::now();
    for (size_t k = 0; k < running_.size(); ++k) {
      Running& job = running_[k];
      if (fds[k].revents && drain(job.result_fd, job.result))
        reap(job, fatal);
      else if (now >= job.deadline)
        stop_slow(job);
    }
    std::erase_if(running_, [](const Running& job) { return job.pid == 0; });
    if (!fatal.empty()) throw std::runtime_error(fatal);
  }

  // Marks the job over before anything that may throw, so stop_all() leaves it alone.
  std::pair<Running, int> end(Running& job) {
    Running ended = std::move(job);
    job.pid = 0;
    ::close(ended.result_fd);
    int status = 0;
    wait_for_exit(ended.pid, status);
    return {std::move(ended), status};
  }

  // The child closed its pipe by exiting: its line and its exit status make the row.
  void reap(Running& running, std::string& fatal) {
    auto [job, status] = end(running);
    const Submission& s = plan_.submissions[job.index];
    if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGINT || WTERMSIG(status) == SIGTERM)) {
      // Never sent by grade (it kills with SIGKILL): Ctrl-C reached the process group.
      interrupted_by = WTERMSIG(status);
      remove_partial(job);
    } else if (WIFSIGNALED(status)) {
      remove_partial(job);
      finish_job(
          job, fmt::format("the grading process died (signal {}): the file is hostile or too large",
                           WTERMSIG(status)));
    } else if (WIFEXITED(status) && WEXITSTATUS(status) >= result_not_written) {
      if (fatal.empty())
        fatal = fmt::format("{}: the grading process cannot write its result: {}", s.id,
                            std::strerror(WEXITSTATUS(status) - result_not_written));
    } else {
      nlohmann::json j = nlohmann::json::parse(job.result, nullptr, false);
      if (j.is_discarded() || !j.is_object() || !j.contains("status")) {
        finish_job(job, "the grading process gave no result");
      } else if (j["status"] == "fatal") {
        if (fatal.empty()) fatal = j.value("reason", "cannot write a report");
      } else if (job.writeup) {
        take_writeup_result(job.index, j);
      } else if (j["status"] == "error") {
        finish(job.index, j.value("reason", "error"));
        take_copy_evidence(outcome_.rows[job.index], j);
      } else {
        GradeRow& row = outcome_.rows[job.index];
        row.status = j["status"];
        row.score = j.value("score", 0.0);
        row.reason = j.value("reason", "");
        row.failed_checks = j.value("failed_checks", std::vector<std::string>{});
        finish(job.index, "");  // the row's max is the scenario's, whatever the report says
        take_copy_evidence(row, j);
      }
    }
  }

  // The write-up child's line: an error, or its score, max and first reason.
  void take_writeup_result(size_t i, const nlohmann::json& j) {
    if (j["status"] == "error" || !j["status"].is_string())
      return finish_writeup(i, j.value("reason", "error"));
    finish_writeup(i, "");
    WriteupGrade& writeup = *outcome_.rows[i].writeup;
    writeup.status = j["status"];
    writeup.score = j.value("score", 0.0);
    writeup.max = j.value("max", 0.0);
    writeup.reason = j.value("reason", "");
  }

  // What the child found for copy detection; a malformed field is no evidence.
  static void take_copy_evidence(GradeRow& row, const nlohmann::json& j) {
    if (j.contains("file_hash") && j["file_hash"].is_string()) row.file_hash = j["file_hash"];
    if (j.contains("print")) row.print = capture_print_from_json(j["print"]);
  }

  void stop_slow(Running& running) {
    ::kill(running.pid, SIGKILL);
    auto [job, status] = end(running);
    remove_partial(job);
    finish_job(job, fmt::format("too slow: stopped after {} s (--timeout)", plan_.timeout));
  }

  // On an interruption, a full disk, or any error of the batch itself.
  void stop_all() {
    for (Running& job : running_) {
      if (job.pid == 0) continue;
      ::kill(job.pid, SIGKILL);
      auto [ended, status] = end(job);
      remove_partial(ended);
    }
    running_.clear();
  }

  // The row's id, file and max; with `error`, an error (or missing) row and its reports.
  void finish(size_t i, const std::string& error) {
    const Submission& s = plan_.submissions[i];
    GradeRow& row = outcome_.rows[i];
    row.id = s.id;
    row.file = s.file;
    row.report = text_report_path(s);
    row.max = max_;
    if (!error.empty()) {
      row.status = is_missing_submission(error) ? "missing" : "error";
      row.reason = error;
      write_error_reports(plan_.reports, s, error, plan_.scenario.name);
    }
    progress(++outcome_.done, plan_.submissions.size());
  }

  // The row's write-up cells; with `error`, an error (or missing) write-up and its reports.
  void finish_writeup(size_t i, const std::string& error) {
    const Submission& s = plan_.submissions[i];
    WriteupGrade& writeup = outcome_.rows[i].writeup.emplace();
    writeup.file = s.writeup_file;
    writeup.report = writeup_report_path(s);
    if (!error.empty()) {
      const bool missing = is_missing_submission(error) || error.rfind("no write-up", 0) == 0;
      writeup.status = missing ? "missing" : "error";
      writeup.reason = error;
      write_error_reports(plan_.reports / writeup_reports_folder, writeup_submission(s), error,
                          plan_.scenario.name);
    }
  }

  const BatchPlan& plan_;
  const double max_;
  BatchOutcome outcome_;
  std::vector<Running> running_;
  std::vector<std::pair<size_t, bool>> tasks_;  // (submission, its write-up?) in order
  size_t next_ = 0;
};

}  // namespace

BatchOutcome run_batch(const BatchPlan& plan) {
  catch_interrupts(on_interrupt);  // without SA_RESTART: poll() returns at once
  ::signal(SIGCHLD, SIG_DFL);      // an inherited SIG_IGN would reap the children, and their status
  return Batch(plan).run();
}

}  // namespace tcpgrade
