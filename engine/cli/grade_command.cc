// `tcpgrade grade SCENARIO SUBMISSIONS --out DIR`: a whole class into a gradebook. Each
// submission is graded in its own child process with a time and memory limit (grade_batch.h),
// so one hostile or huge file costs one error row, never the batch. The gradebook files are
// written only when every row is in (each to a temporary name, then renamed): an interrupted
// run leaves none. Exit 0 when every submission got its row (students may fail), 2 on bad usage
// or scenario.
#include <signal.h>

#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "grade/grade_batch.h"
#include "util/child_process.h"
#include "grade/gradebook.h"
#include "cli/limit_options.h"
#include "util/output_sink.h"
#include "scenario/scenario_loader.h"
#include "grade/submissions.h"
#include "util/terminal_text.h"

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

const char* const gradebook_files[] = {"gradebook.csv", "gradebook.json", "summary.txt"};

bool is_temporary(const fs::path& path) {
  return path.filename().string().find(".tmp.") != std::string::npos;
}

// What a killed earlier run may have left: temporary files, the work folder of versions that
// passed results through files, and a gradebook that no longer matches the reports this run
// rewrites. Whatever the folder holds afterwards comes from one run.
void clear_previous_run(const fs::path& out, const fs::path& reports) {
  std::error_code ignored;
  fs::remove_all(out / ".tcpgrade-work", ignored);
  for (const char* name : gradebook_files) fs::remove(out / name, ignored);
  for (const fs::path& folder : {out, reports})
    for (const fs::directory_entry& entry : fs::directory_iterator(folder, ignored))
      if (is_temporary(entry.path()) && entry.is_regular_file(ignored)) fs::remove(entry.path(), ignored);
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
  std::vector<Submission> submissions = find_submissions(options.submissions, {options.max_size_mb << 20});
  fs::path out(options.out), reports = out / "reports";
  fs::create_directories(reports);
  clear_previous_run(out, reports);
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  const std::vector<ScenarioVariant> variants = scenario_variants(scenario);
  BatchOutcome batch =
      run_batch({scenario, variants, submissions, reports, jobs, options.timeout, options.limits});
  if (batch.interrupted_by) {
    std::fflush(stdout);
    fmt::print(stderr,
               "\ntcpgrade: grade: interrupted after {} of {} submissions; no gradebook written "
               "(the reports written so far are whole; run again to grade all)\n",
               batch.done, submissions.size());
    die_of_signal(batch.interrupted_by);
  }
  const std::vector<GradeRow>& rows = batch.rows;
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
