// `tcpgrade grade SCENARIO SUBMISSIONS --out DIR`: a whole class into a gradebook. Each
// submission is graded in its own child process with a time and memory limit, so one hostile
// or huge file costs one error row, never the batch. The gradebook files are written only when
// every row is in (each to a temporary name, then renamed): an interrupted run leaves none.
// Exit 0 when every submission got its row (students may fail), 2 on bad usage or scenario.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <thread>

#include "captured_conversation.h"
#include "check.h"
#include "check_deadline.h"
#include "commands.h"
#include "gradebook.h"
#include "limit_options.h"
#include "output_sink.h"
#include "report_render.h"
#include "scenario_loader.h"
#include "submissions.h"
#include "terminal_text.h"

namespace tcpgrade::cli {
namespace {

namespace fs = std::filesystem;

struct GradeOptions {
  std::string scenario, submissions, out = "grades";
  unsigned jobs = 0;
  double timeout = 30;
  uint64_t max_size_mb = 512;
  LimitOptions limits;  // each submission's child reads, checks and is capped with these
};

void write_file(const fs::path& path, const std::string& bytes) {
  OutputSink sink(path.string());
  sink.write(bytes);
  sink.commit();
}

std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text.size() > 300 ? text.substr(0, 297) + "..." : text;
}

// The gradebook's one-line reason: the root cause behind the first failed check, else that
// check itself. A root cause no failed check leads to (several connections in a passing
// capture) is a note, shown only when nothing failed.
std::string first_reason(const Report& report) {
  for (const CheckResult* check : report.all_checks()) {
    if (check->status == CheckStatus::pass) continue;
    for (const RootCause& cause : report.root_causes)
      if (cause.id == check->root_cause) return cause.title;
    return check->hint.empty() ? check->name : fmt::format("{}: {}", check->name, check->hint);
  }
  if (!report.root_causes.empty()) return report.root_causes.front().title;
  return report.conversations.empty() ? "no connection to grade" : "";
}

void write_error_reports(const fs::path& reports, const Submission& s, const std::string& reason,
                         const std::string& scenario) {
  write_file(reports / (s.safe_name + ".txt"),
             fmt::format("tcpgrade grade — {}: not graded\nfile: {}\nreason: {}\n", terminal_safe(s.id),
                         terminal_safe(s.file), terminal_safe(reason)));
  nlohmann::ordered_json j = {{"id", s.id}, {"file", s.file}, {"scenario", scenario}, {"status", "error"}, {"reason", reason}};
  write_file(reports / (s.safe_name + ".json"),
             j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  Report empty;
  empty.scenario = scenario;
  empty.capture_file = s.file.empty() ? s.id : s.file;
  empty.warnings.push_back("not graded: " + reason);
  write_file(reports / (s.safe_name + ".html"), render_html(empty));
}

// A child that cannot write its result file exits with this plus errno (below 64).
constexpr int result_not_written = 64;

// In the child: grade one submission, write its reports and a result file. Never returns.
[[noreturn]] void grade_child(const Scenario& scenario, const Submission& s, const fs::path& reports,
                              const fs::path& result, const GradeOptions& options) {
  ::signal(SIGINT, SIG_DFL);  // the parent's handlers are for the batch
  ::signal(SIGTERM, SIG_DFL);
  sigset_t child_exits;  // blocked by the parent for its sigtimedwait; a child's own may run
  sigemptyset(&child_exits);
  sigaddset(&child_exits, SIGCHLD);
  ::sigprocmask(SIG_UNBLOCK, &child_exits, nullptr);
  const LimitOptions& limits = options.limits;
  apply_memory_limit(limits);
  nlohmann::ordered_json j;
  try {
    // Past the deadline the child writes this error row itself and exits.
    nlohmann::ordered_json late = {{"status", "error"},
                                   {"reason", one_line(check_timeout_message(s.file, limits))}};
    std::optional<CheckDeadline> deadline;
    deadline.emplace(limits.check_timeout_seconds, DeadlineExpiry{"", result.string(), late.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "", 0});
    Report report = check_capture(scenario, read_capture(s.file, limits.capture));
    deadline.reset();
    write_file(reports / (s.safe_name + ".txt"), render_text(report));
    write_file(reports / (s.safe_name + ".json"), render_json(report));
    write_file(reports / (s.safe_name + ".html"), render_html(report));
    std::vector<std::string> failed;
    for (const CheckResult* check : report.all_checks())
      if (check->status != CheckStatus::pass) failed.push_back(check->id);
    j = {{"status", report.passed() ? "pass" : "fail"}, {"score", report.points}, {"max", report.max_points},
         {"reason", one_line(first_reason(report))}, {"failed_checks", failed}};
  } catch (const OutputError& error) {  // the disk, not the submission: grade stops
    j = {{"status", "fatal"}, {"reason", one_line(error.what())}};
  } catch (const std::bad_alloc&) {
    j = {{"status", "error"}, {"reason", one_line(out_of_memory_message(s.file, limits))}};
  } catch (const std::exception& error) {
    j = {{"status", "error"}, {"reason", one_line(error.what())}};
  }
  try {
    write_file(result, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } catch (const OutputError& error) {
    ::_exit(result_not_written + std::min(error.error_number(), 63));
  } catch (...) {
    ::_exit(result_not_written + EIO);
  }
  std::fflush(nullptr);
  ::_exit(0);
}

struct Running {
  size_t index;
  pid_t pid;
  std::chrono::steady_clock::time_point started;
};

void progress(size_t done, size_t total) {
  if (!::isatty(STDERR_FILENO)) return;
  size_t width = 30, filled = total ? done * width / total : width;
  fmt::print(stderr, "\r[{}{}] {}/{}", std::string(filled, '#'), std::string(width - filled, ' '), done, total);
  if (done == total) fmt::print(stderr, "\n");
}

// SIGINT or SIGTERM: the batch stops, cleans up and dies of the same signal.
volatile sig_atomic_t interrupted_by = 0;
void on_interrupt(int signal) { interrupted_by = signal; }

void catch_interrupts() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

const char* const gradebook_files[] = {"gradebook.csv", "gradebook.json", "summary.txt"};

bool is_temporary(const fs::path& path) {
  return path.filename().string().find(".tmp.") != std::string::npos;
}

// What a killed earlier run may have left: temporary files, the work folder, and a gradebook
// that no longer matches the reports this run rewrites. Whatever the folder holds afterwards
// comes from one run.
void clear_previous_run(const fs::path& out, const fs::path& reports, const fs::path& work) {
  std::error_code ignored;
  fs::remove_all(work, ignored);
  for (const char* name : gradebook_files) fs::remove(out / name, ignored);
  for (const fs::path& folder : {out, reports})
    for (const fs::directory_entry& entry : fs::directory_iterator(folder, ignored))
      if (is_temporary(entry.path()) && entry.is_regular_file(ignored)) fs::remove(entry.path(), ignored);
}

// A child killed mid-write leaves its reports' temporary files (OutputSink: FILE.tmp.PID).
void remove_partial_reports(const fs::path& reports, const Submission& s, pid_t pid) {
  std::error_code ignored;
  for (const char* extension : {".txt", ".json", ".html"})
    fs::remove(reports / fmt::format("{}{}.tmp.{}", s.safe_name, extension, pid), ignored);
}

// The three gradebook files appear together or not at all: all are written and flushed under
// temporary names first, then renamed.
void write_gradebook(const fs::path& out, const std::vector<std::string>& contents) {
  std::vector<std::unique_ptr<OutputSink>> sinks;
  for (size_t i = 0; i < contents.size(); ++i) {
    sinks.push_back(std::make_unique<OutputSink>((out / gradebook_files[i]).string()));
    sinks.back()->write(contents[i]);
    sinks.back()->finish();
  }
  size_t published = 0;
  try {
    for (; published < sinks.size(); ++published) sinks[published]->publish();
  } catch (...) {
    std::error_code ignored;
    for (size_t i = 0; i < published; ++i) fs::remove(out / gradebook_files[i], ignored);
    throw;
  }
}

int run_grade(const GradeOptions& options) {
  Scenario scenario = load_scenario(options.scenario, options.limits.scenario);
  double max = scenario_max_points(scenario);
  std::vector<Submission> submissions = find_submissions(options.submissions, {options.max_size_mb << 20});
  fs::path out(options.out), reports = out / "reports", work = out / ".tcpgrade-work";
  fs::create_directories(reports);
  clear_previous_run(out, reports, work);
  fs::create_directories(work);
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  catch_interrupts();

  // The parent sleeps until a child exits (SIGCHLD, held pending while blocked) or the next
  // look at the timeouts is due, so a fast submission's slot is refilled at once.
  sigset_t child_exits, previous_mask;
  sigemptyset(&child_exits);
  sigaddset(&child_exits, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &child_exits, &previous_mask);

  std::vector<GradeRow> rows(submissions.size());
  std::vector<Running> running;
  size_t next = 0, done = 0;
  // Every child still running is killed and its half-written files removed: on an
  // interruption, a full disk, or any error of the batch itself.
  auto stop_all = [&] {
    for (const Running& job : running) {
      ::kill(job.pid, SIGKILL);
      ::waitpid(job.pid, nullptr, 0);
      remove_partial_reports(reports, submissions[job.index], job.pid);
    }
    running.clear();
    std::error_code ignored;
    fs::remove_all(work, ignored);
  };
  auto finish = [&](size_t i, const std::string& error) {
    const Submission& s = submissions[i];
    GradeRow& row = rows[i];
    row.id = s.id;
    row.file = s.file;
    row.max = max;
    if (!error.empty()) {
      row.status = "error";
      row.reason = error;
      write_error_reports(reports, s, error, scenario.name);
    }
    progress(++done, submissions.size());
  };
  try {
    while (next < submissions.size() || !running.empty()) {
      while (!interrupted_by && next < submissions.size() && running.size() < jobs) {
        size_t i = next++;
        const Submission& s = submissions[i];
        if (!s.problem.empty()) {
          finish(i, s.problem);
          continue;
        }
        std::fflush(nullptr);
        pid_t pid = ::fork();
        if (pid < 0) {
          finish(i, "could not start a grading process (fork failed)");
          continue;
        }
        if (pid == 0) grade_child(scenario, s, reports, work / (s.safe_name + ".result"), options);
        running.push_back({i, pid, std::chrono::steady_clock::now()});
      }
      if (interrupted_by) break;
      if (!running.empty()) {  // until a child exits, a signal comes, or timeouts are due
        timespec wait{0, 20'000'000};
        ::sigtimedwait(&child_exits, nullptr, &wait);
      }
      for (size_t r = 0; r < running.size();) {
        Running& job = running[r];
        int status = 0;
        pid_t got = ::waitpid(job.pid, &status, WNOHANG);
        bool slow = got == 0 && std::chrono::steady_clock::now() - job.started >
                                    std::chrono::milliseconds(static_cast<int64_t>(options.timeout * 1000));
        if (got == 0 && !slow) {
          ++r;
          continue;
        }
        const Submission& s = submissions[job.index];
        fs::path result = work / (s.safe_name + ".result");
        std::string fatal;  // the batch cannot go on: output cannot be written
        if (slow) {
          ::kill(job.pid, SIGKILL);
          ::waitpid(job.pid, &status, 0);
          remove_partial_reports(reports, s, job.pid);
          finish(job.index, fmt::format("too slow: stopped after {} s (--timeout)", options.timeout));
        } else if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGINT || WTERMSIG(status) == SIGTERM)) {
          // Never sent by grade (it kills with SIGKILL): Ctrl-C reached the process group.
          interrupted_by = WTERMSIG(status);
          remove_partial_reports(reports, s, job.pid);
        } else if (WIFSIGNALED(status)) {
          remove_partial_reports(reports, s, job.pid);
          finish(job.index, fmt::format("the grading process died (signal {}): the file is hostile or too large",
                                        WTERMSIG(status)));
        } else if (WIFEXITED(status) && WEXITSTATUS(status) >= result_not_written) {
          fatal = fmt::format("{}: cannot write: {}", result.string(),
                              std::strerror(WEXITSTATUS(status) - result_not_written));
        } else {
          std::ifstream in(result);
          nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
          if (j.is_discarded() || !j.contains("status")) {
            finish(job.index, "the grading process gave no result");
          } else if (j["status"] == "fatal") {
            fatal = j.value("reason", "cannot write a report");
          } else if (j["status"] == "error") {
            finish(job.index, j.value("reason", "error"));
          } else {
            GradeRow& row = rows[job.index];
            row.status = j["status"];
            row.score = j.value("score", 0.0);
            row.reason = j.value("reason", "");
            row.failed_checks = j.value("failed_checks", std::vector<std::string>{});
            finish(job.index, "");
            row.max = j.value("max", max);
          }
        }
        std::error_code ignored;
        fs::remove(result, ignored);
        running.erase(running.begin() + static_cast<long>(r));
        if (!fatal.empty()) throw std::runtime_error(fatal);
      }
    }
  } catch (...) {
    stop_all();
    throw;
  }
  if (interrupted_by) {
    stop_all();
    std::fflush(stdout);
    fmt::print(stderr,
               "\ntcpgrade: grade: interrupted after {} of {} submissions; no gradebook written "
               "(the reports written so far are whole; run again to grade all)\n",
               done, submissions.size());
    int signal = interrupted_by;
    ::signal(signal, SIG_DFL);
    ::raise(signal);
    return exit_bad_input;
  }
  ::sigprocmask(SIG_SETMASK, &previous_mask, nullptr);
  std::error_code ignored;
  fs::remove_all(work, ignored);
  ClassSummary summary = summarize(rows);
  std::string text = gradebook_summary_text(scenario.name, rows, summary);
  write_gradebook(out, {gradebook_csv(rows), gradebook_json(scenario.name, rows, summary), text});
  fmt::print("{}\ngradebook: {}\n", text, terminal_safe((out / "gradebook.csv").string()));
  return exit_pass;
}

}  // namespace

Subcommand add_grade_command(CLI::App& app) {
  auto options = std::make_shared<GradeOptions>();
  CLI::App* grade = app.add_subcommand(
      "grade",
      "Grade a whole class into a gradebook: one row per submission, whatever it holds (exit 0 "
      "when every submission has its row, 2 on a bad scenario or usage)");
  grade->add_option("scenario", options->scenario, "scenario YAML file")->required();
  grade->add_option("submissions", options->submissions,
                    "a folder with one capture or one folder per student (the id is the file or "
                    "folder name), or a CSV roster: id,file")
      ->required();
  grade->add_option("--out", options->out, "where gradebook.csv, gradebook.json, summary.txt and "
                                           "reports/ID.{txt,json,html} go (default: grades)");
  grade->add_option("--jobs", options->jobs, "submissions graded at once (default: the number of cores)")
      ->check(CLI::Range(0u, 1024u));
  grade->add_option("--timeout", options->timeout, "seconds per submission (default 30)")->check(CLI::Range(0.1, 86400.0));
  grade->add_option("--max-size", options->max_size_mb, "largest capture read, in MiB (default 512)")->check(CLI::Range(1, 1 << 20));
  add_capture_limit_options(grade, options->limits);
  add_scenario_limit_options(grade, options->limits);
  add_check_timeout_option(grade, options->limits);
  add_memory_limit_option(grade, options->limits, "--memory");
  return {grade, [options] { return run_grade(*options); }};
}

}  // namespace tcpgrade::cli
