// `tcpgrade grade SCENARIO SUBMISSIONS --out DIR`: a whole class into a gradebook. Each
// submission is graded in its own child process with a time and memory limit (grade_batch.h),
// so one hostile or huge file costs one error row, never the batch; a student's write-up is
// reviewed in a child of its own (--writeups), its cells beside the capture's. The gradebook files
// are written only when every row is in (each to a temporary name, then renamed): an interrupted
// run leaves none. Exit 0 when every submission got its row (students may fail), 2 on bad usage
// or scenario.
#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>

#include "cli/commands.h"
#include "cli/limit_options.h"
#include "cli/lms_options.h"
#include "grade/grade_batch.h"
#include "grade/gradebook_output.h"
#include "grade/report_cap.h"
#include "grade/review_child.h"
#include "grade/shard.h"
#include "grade/submissions.h"
#include "scenario/scenario_loader.h"
#include "scenario/student_scenario.h"
#include "scenario/yaml_fields.h"
#include "util/child_process.h"
#include "util/output_sink.h"
#include "util/terminal_text.h"

namespace tcpgrade::cli {
namespace {

namespace fs = std::filesystem;

struct GradeOptions {
  std::string scenario, submissions, out = "grades";
  unsigned jobs = 0;
  double timeout = 30;
  uint64_t max_size_mb = 512;
  size_t max_report_bytes = default_max_report_bytes;
  bool brief = false;
  LimitOptions limits;            // each submission's child reads, checks and is capped with these
  LmsOptions lms;                 // --lms, --roster
  std::string shard;              // K/N; empty: the whole class
  std::string variant_secret;     // lab variants: the course secret that draws each student's
  std::string writeups = "auto";  // auto, require, ignore (write-ups beside the captures)
};

// --writeups: whether the class's write-ups are graded. `auto`: when any student handed one in
// (the whole class decides, before a shard's share is picked, so every shard agrees); `require`:
// always, a student without one gets `missing`; `ignore`: never, as before write-ups.
bool grade_writeups(const std::string& mode, std::vector<Submission>& submissions) {
  if (mode == "ignore") {
    for (Submission& s : submissions) {
      s.writeup_file.clear();
      s.writeup_relative.clear();
      s.writeup_problem.clear();
    }
    return false;
  }
  return mode == "require" ||
         std::any_of(submissions.begin(), submissions.end(), [](const Submission& s) {
           return !s.writeup_file.empty() || !s.writeup_problem.empty();
         });
}

// Lab variants: each student's values (the secret's, then the roster's `param:NAME` columns),
// their lab loaded just before their child starts, and whose lab listens on each port.
struct ClassVariants {
  std::function<StudentLab(const Submission&)> student_lab;
  PortOwners port_owners;
};

std::optional<ClassVariants> class_variants(const GradeOptions& options, const Scenario& scenario,
                                            const std::vector<Submission>& submissions,
                                            const Roster* roster) {
  bool roster_values = false;
  if (roster)
    for (const RosterStudent& student : roster->students)
      roster_values = roster_values || !student.params.empty();
  if (scenario.params.empty()) {
    if (!options.variant_secret.empty() || roster_values)
      throw std::runtime_error(fmt::format(
          "{}: --variant-secret or the roster's param: columns give lab variants, but the "
          "scenario declares no params:",
          options.scenario));
    return std::nullopt;
  }
  if (options.variant_secret.empty() && !roster_values) {
    fmt::print(stderr,
               "tcpgrade: grade: note: {} declares params: but no --variant-secret (or roster "
               "param: column) was given: every student is graded on the defaults\n",
               terminal_safe(options.scenario));
    return std::nullopt;
  }
  const std::string secret =
      options.variant_secret.empty() ? "" : read_variant_secret(options.variant_secret);
  auto values_of = [&scenario, secret, roster](const std::string& id) {
    ParamValues values = derive_param_values(scenario.params, secret, id);
    if (const RosterStudent* student = roster ? roster->find(id) : nullptr)
      for (const auto& entry : student->params) values[entry.first] = entry.second;
    return values;
  };
  ClassVariants out;
  // The parameter the scenario's server port is made of: its default is that port.
  std::string port_param;
  if (scenario.conversation.server_port)
    for (const ScenarioParam& p : scenario.params)
      if (p.value == std::to_string(*scenario.conversation.server_port)) port_param = p.name;
  if (!port_param.empty())
    for (const Submission& s : submissions) {
      std::optional<int64_t> port = parse_integer(values_of(s.id)[port_param]);
      if (port && *port > 0 && *port <= 65535)
        out.port_owners[static_cast<uint16_t>(*port)].push_back(s.id);
    }
  const std::string path = options.scenario;
  const ScenarioLimits limits = options.limits.scenario;
  out.student_lab = [values_of, path, limits](const Submission& s) {
    StudentLab lab{load_scenario(path, limits, values_of(s.id)), {}};
    lab.variants = scenario_variants(lab.scenario);
    return lab;
  };
  return out;
}

// FILE.tmp.PID: the temporary name OutputSink gives FILE, and so grade's own leftovers.
bool is_temporary_of(const std::string& name, const std::string& file) {
  std::string prefix = file + ".tmp.";
  return name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
         name.find_first_not_of("0123456789", prefix.size()) == std::string::npos;
}

// A report's leftover in reports/: ID.txt.tmp.PID, ID.json.tmp.PID or ID.html.tmp.PID.
bool is_temporary_report(const std::string& name) {
  size_t tmp = name.rfind(".tmp.");
  if (tmp == std::string::npos) return false;
  std::string file = name.substr(0, tmp);
  for (const char* extension : {".txt", ".json", ".html"})
    if (file.size() > std::strlen(extension) && file.ends_with(extension))
      return is_temporary_of(name, file);
  return false;
}

// What a killed earlier run may have left: temporary files, the work folder of versions that
// passed results through files, and a gradebook that no longer matches the reports this run
// rewrites. Whatever the folder holds afterwards comes from one run. Only names grade itself
// writes are removed: a student's bob.tmp.1.pcap in the folder stays.
void clear_previous_run(const fs::path& out, const fs::path& reports) {
  std::error_code ignored;
  fs::remove_all(out / ".tcpgrade-work", ignored);
  const std::vector<std::string> gradebook_files = gradebook_file_names();
  for (const std::string& name : gradebook_files) fs::remove(out / name, ignored);
  for (const fs::directory_entry& entry : fs::directory_iterator(out, ignored)) {
    std::string name = entry.path().filename().string();
    bool ours =
        std::any_of(gradebook_files.begin(), gradebook_files.end(),
                    [&name](const std::string& file) { return is_temporary_of(name, file); }) ||
        is_shard_file_name(name);
    if (ours && entry.is_regular_file(ignored)) fs::remove(entry.path(), ignored);
  }
  for (const fs::path& folder : {reports, reports / writeup_reports_folder})
    for (const fs::directory_entry& entry : fs::directory_iterator(folder, ignored))
      if (is_temporary_report(entry.path().filename().string()) && entry.is_regular_file(ignored))
        fs::remove(entry.path(), ignored);
}

// `path` with its symlinks resolved, also where it does not exist yet; empty when it cannot be.
fs::path resolved(const fs::path& path) {
  std::error_code error;
  fs::path real = fs::weakly_canonical(path, error).lexically_normal();
  if (error) return {};
  return real.has_filename() || real == real.root_path() ? real : real.parent_path();
}

// `inner` is `outer` or lies below it (both resolved).
bool within(const fs::path& inner, const fs::path& outer) {
  fs::path relative = inner.lexically_relative(outer);
  return !inner.empty() && !outer.empty() && !relative.empty() && *relative.begin() != "..";
}

// grade clears and writes files in --out and its reports/: among the students' files it would
// delete some (a student's gradebook.csv) and, in a submissions folder, list its own reports as
// students on the next run. Paths are compared resolved, so a symlink into the folder, or an
// --out not made yet, is seen too. A roster's files may lie anywhere below its folder, so
// there --out must be neither that folder nor hold the roster or a file it names.
void refuse_out_among_submissions(const GradeOptions& options,
                                  const std::vector<Submission>& submissions) {
  fs::path real_out = resolved(options.out);
  auto refuse = [&options](const std::string& why) {
    throw std::runtime_error(
        fmt::format("{}: --out {} (grade writes and deletes files there); "
                    "choose a folder outside it",
                    options.out, why));
  };
  std::error_code error;
  if (fs::is_directory(options.submissions, error)) {
    fs::path real_folder = resolved(options.submissions);
    if (within(real_out, real_folder))
      refuse(fmt::format("{} the submissions folder {}",
                         real_out == real_folder ? "is" : "lies inside", options.submissions));
    if (within(real_folder, real_out / "reports"))
      refuse(fmt::format("holds the submissions folder {} in its reports folder",
                         options.submissions));
    return;
  }
  fs::path roster(options.submissions);
  fs::path folder = roster.parent_path().empty() ? fs::path(".") : roster.parent_path();
  if (resolved(folder) == real_out)
    refuse(fmt::format("is the roster's folder {}", folder.string()));
  if (within(resolved(roster), real_out))
    refuse(fmt::format("holds the roster {}", roster.string()));
  for (const Submission& s : submissions) {
    if (!s.file.empty() && within(resolved(s.file), real_out))
      refuse(fmt::format("holds {}, {}'s submission", s.file, s.id));
    if (!s.writeup_file.empty() && within(resolved(s.writeup_file), real_out))
      refuse(fmt::format("holds {}, {}'s write-up", s.writeup_file, s.id));
  }
}

int run_grade(const GradeOptions& options) {
  apply_memory_limit(options.limits);  // the parent too, as check and lint
  Scenario scenario = within_memory_limit(options.scenario, options.limits, [&] {
    return load_scenario(options.scenario, options.limits.scenario);
  });
  const SubmissionLimits files{options.max_size_mb << 20};
  std::optional<Roster> roster = read_roster_option(options.lms);
  std::vector<Submission> submissions = find_submissions(
      options.submissions, files, roster ? roster->ids() : std::vector<std::string>{});
  const bool writeups = grade_writeups(options.writeups, submissions);
  refuse_out_among_submissions(options, submissions);
  // Before the shard's share is picked: whose lab listens where is the whole class's.
  std::optional<ClassVariants> own_labs =
      class_variants(options, scenario, submissions, roster ? &*roster : nullptr);
  std::optional<ShardSpec> shard;
  ShardClass whole_class;
  if (!options.shard.empty()) {
    // Picked from the whole class, listed and named as one run would: the shards' reports
    // and rows are that run's.
    shard = parse_shard(options.shard);
    whole_class = shard_class(scenario.name, scenario_max_points(scenario), submissions);
    std::erase_if(submissions, [&shard](const Submission& s) { return !in_shard(s.id, *shard); });
  }
  fs::path out(options.out), reports = out / "reports";
  fs::create_directories(reports);
  if (writeups) fs::create_directories(reports / writeup_reports_folder);
  clear_previous_run(out, reports);
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  const std::vector<ScenarioVariant> variants = scenario_variants(scenario);
  BatchOutcome batch = run_batch({scenario, variants, submissions, reports, jobs, options.timeout,
                                  options.limits, files, options.max_report_bytes, options.brief,
                                  own_labs ? own_labs->student_lab : nullptr,
                                  own_labs ? &own_labs->port_owners : nullptr, writeups});
  if (batch.interrupted_by) {
    std::fflush(stdout);
    fmt::print(stderr,
               "\ntcpgrade: grade: interrupted after {} of {} submissions; no gradebook written "
               "(the reports written so far are whole; run again to grade all)\n",
               batch.done, submissions.size());
    die_of_signal(batch.interrupted_by);
  }
  std::vector<GradeRow>& rows = batch.rows;
  if (shard) {
    // Copy detection and the statistics wait for `gradebook merge`, which sees every shard.
    std::string name = shard_file_name(*shard);
    OutputSink sink((out / name).string());
    sink.write(shard_json({*shard, whole_class, rows}));
    sink.commit();
    fmt::print(
        "shard {}/{}: {} of the class's {} submissions graded\nshard file: {} (join the "
        "shards with tcpgrade gradebook merge)\n",
        shard->index, shard->count, rows.size(), whole_class.size,
        terminal_safe((out / name).string()));
    return exit_pass;
  }
  std::string text = publish_gradebook(out, scenario.name, scenario_max_points(scenario), rows,
                                       lms_exports(options.lms, roster ? &*roster : nullptr));
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
  grade
      ->add_option("submissions", options->submissions,
                   "a folder with one capture or one folder per student (the id is the file or "
                   "folder name; a write-up ID.md/ID.txt beside ID.pcap, or one .md/.markdown/"
                   ".txt in the student's folder), or a CSV roster: id,file[,writeup]")
      ->required();
  grade->add_option("--out", options->out,
                    "where gradebook.csv, gradebook.json, summary.txt, summary.html (the class "
                    "page), the --lms files, "
                    "reports/ID.{txt,json,html} and reports/writeups/ID.{txt,json,html} go "
                    "(default: grades)");
  grade
      ->add_option("--jobs", options->jobs,
                   "submissions graded at once (default: the number of cores)")
      ->check(CLI::Range(0u, 1024u));
  grade->add_flag("--brief", options->brief,
                  "text reports without the scenario's teaches: sentences");
  grade->add_option("--timeout", options->timeout, "seconds per submission (default 30)")
      ->check(finite_range(0.1, 86400.0));
  grade
      ->add_option("--max-size", options->max_size_mb, "largest capture read, in MiB (default 512)")
      ->check(CLI::Range(1, 1 << 20));
  grade
      ->add_option("--max-report-bytes", options->max_report_bytes,
                   fmt::format("largest report file per student; a longer one is cut and says so "
                               "(default {})",
                               default_max_report_bytes))
      ->check(CLI::Range(size_t{1024}, size_t{1} << 40));
  grade->add_option("--shard", options->shard,
                    "grade only share K of N of the class (by a hash of each id) and write "
                    "shard-K-of-N.json for tcpgrade gradebook merge, e.g. --shard 2/8");
  add_lms_options(grade, options->lms);
  add_capture_limit_options(grade, options->limits);
  add_scenario_limit_options(grade, options->limits);
  add_check_timeout_option(grade, options->limits);
  add_memory_limit_option(grade, options->limits, "--memory");
  grade->add_option("--variant-secret", options->variant_secret,
                    "lab variants: the course secret file that draws each student's values of "
                    "the scenario's params: (a roster's param:NAME columns give values outright)");
  grade
      ->add_option("--writeups", options->writeups,
                   "grade each student's write-up too (tcpgrade review against their capture; "
                   "own columns writeup_* after percent, reports/writeups/): auto = when any "
                   "student handed one in (default), require = always, a missing one is "
                   "'missing' with 0 points, ignore = never")
      ->check(CLI::IsMember({"auto", "require", "ignore"}));
  return {grade, [options] {
            if (!options->shard.empty() && !options->lms.lms.empty())
              throw std::runtime_error(
                  "--lms with --shard: a shard is part of a class; give --lms to "
                  "tcpgrade gradebook merge");
            return run_grade(*options);
          }};
}

}  // namespace tcpgrade::cli
