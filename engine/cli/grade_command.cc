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

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "captured_conversation.h"
#include "check.h"
#include "commands.h"
#include "gradebook.h"
#include "output_sink.h"
#include "report_render.h"
#include "scenario_loader.h"
#include "submissions.h"

namespace tcpgrade::cli {
namespace {

namespace fs = std::filesystem;

struct GradeOptions {
  std::string scenario, submissions, out = "grades";
  unsigned jobs = 0;
  double timeout = 30;
  uint64_t memory_mb = 1024;
  uint64_t max_size_mb = 512;
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

std::string first_reason(const Report& report) {
  if (!report.root_causes.empty()) return report.root_causes.front().title;
  for (const CheckResult* check : report.all_checks())
    if (check->status != CheckStatus::pass)
      return check->hint.empty() ? check->name : fmt::format("{}: {}", check->name, check->hint);
  return report.conversations.empty() ? "no connection to grade" : "";
}

void write_error_reports(const fs::path& reports, const Submission& s, const std::string& reason,
                         const std::string& scenario) {
  write_file(reports / (s.safe_name + ".txt"),
             fmt::format("tcpgrade grade — {}: not graded\nfile: {}\nreason: {}\n", s.id, s.file, reason));
  nlohmann::ordered_json j = {{"id", s.id}, {"file", s.file}, {"scenario", scenario}, {"status", "error"}, {"reason", reason}};
  write_file(reports / (s.safe_name + ".json"), j.dump(2) + "\n");
  Report empty;
  empty.scenario = scenario;
  empty.capture_file = s.file.empty() ? s.id : s.file;
  empty.warnings.push_back("not graded: " + reason);
  write_file(reports / (s.safe_name + ".html"), render_html(empty));
}

// In the child: grade one submission, write its reports and a result file. Never returns.
[[noreturn]] void grade_child(const Scenario& scenario, const Submission& s, const fs::path& reports,
                              const fs::path& result, const GradeOptions& options) {
  ::signal(SIGINT, SIG_DFL);
  sigset_t child_exits;
  sigemptyset(&child_exits);
  sigaddset(&child_exits, SIGCHLD);
  ::sigprocmask(SIG_UNBLOCK, &child_exits, nullptr);
#if !defined(__SANITIZE_ADDRESS__)
  rlimit memory{options.memory_mb << 20, options.memory_mb << 20};
  ::setrlimit(RLIMIT_AS, &memory);  // ASan reserves terabytes of address space: not under it
#endif
  nlohmann::ordered_json j;
  try {
    Report report = check_capture(scenario, read_capture(s.file));
    write_file(reports / (s.safe_name + ".txt"), render_text(report));
    write_file(reports / (s.safe_name + ".json"), render_json(report));
    write_file(reports / (s.safe_name + ".html"), render_html(report));
    std::vector<std::string> failed;
    for (const CheckResult* check : report.all_checks())
      if (check->status != CheckStatus::pass) failed.push_back(check->id);
    j = {{"status", report.passed() ? "pass" : "fail"}, {"score", report.points}, {"max", report.max_points},
         {"reason", one_line(first_reason(report))}, {"failed_checks", failed}};
  } catch (const std::bad_alloc&) {
    j = {{"status", "error"}, {"reason", fmt::format("ran out of memory (limit {} MiB, --memory)", options.memory_mb)}};
  } catch (const std::exception& error) {
    j = {{"status", "error"}, {"reason", one_line(error.what())}};
  }
  try {
    write_file(result, j.dump());
  } catch (...) {
    ::_exit(3);
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

int run_grade(const GradeOptions& options) {
  Scenario scenario = load_scenario(options.scenario);
  double max = scenario_max_points(scenario);
  std::vector<Submission> submissions = find_submissions(options.submissions, {options.max_size_mb << 20});
  fs::path out(options.out), reports = out / "reports", work = out / ".tcpgrade-work";
  fs::create_directories(reports);
  fs::create_directories(work);
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());

  // The parent sleeps until a child exits (SIGCHLD, held pending while blocked) or the next
  // look at the timeouts is due, so a fast submission's slot is refilled at once.
  sigset_t child_exits, previous_mask;
  sigemptyset(&child_exits);
  sigaddset(&child_exits, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &child_exits, &previous_mask);

  std::vector<GradeRow> rows(submissions.size());
  std::vector<Running> running;
  size_t next = 0, done = 0;
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
  while (next < submissions.size() || !running.empty()) {
    while (next < submissions.size() && running.size() < jobs) {
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
    if (!running.empty()) {
      timespec wait{0, 20'000'000};  // the timeouts are looked at least this often
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
      if (slow) {
        ::kill(job.pid, SIGKILL);
        ::waitpid(job.pid, &status, 0);
        finish(job.index, fmt::format("too slow: stopped after {} s (--timeout)", options.timeout));
      } else if (WIFSIGNALED(status)) {
        finish(job.index, fmt::format("the grading process died (signal {}): the file is hostile or too large",
                                      WTERMSIG(status)));
      } else {
        std::ifstream in(result);
        nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
        if (j.is_discarded() || !j.contains("status")) {
          finish(job.index, "the grading process gave no result");
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
    }
  }
  ::sigprocmask(SIG_SETMASK, &previous_mask, nullptr);
  std::error_code ignored;
  fs::remove_all(work, ignored);
  ClassSummary summary = summarize(rows);
  write_file(out / "gradebook.csv", gradebook_csv(rows));
  write_file(out / "gradebook.json", gradebook_json(scenario.name, rows, summary));
  std::string text = gradebook_summary_text(scenario.name, rows, summary);
  write_file(out / "summary.txt", text);
  fmt::print("{}\ngradebook: {}\n", text, (out / "gradebook.csv").string());
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
  grade->add_option("--jobs", options->jobs, "submissions graded at once (default: the number of cores)");
  grade->add_option("--timeout", options->timeout, "seconds per submission (default 30)")->check(CLI::Range(0.1, 86400.0));
  grade->add_option("--memory", options->memory_mb, "MiB of memory per submission (default 1024)")->check(CLI::Range(64, 1 << 20));
  grade->add_option("--max-size", options->max_size_mb, "largest capture read, in MiB (default 512)")->check(CLI::Range(1, 1 << 20));
  return {grade, [options] { return run_grade(*options); }};
}

}  // namespace tcpgrade::cli
