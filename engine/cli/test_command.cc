// `tcpgrade test SUITE...`: run scenarios' own test suites, the way pytest runs a project's
// tests: every case's capture graded against its scenario, one line per case, a summary. Exit
// 0 when every case gives what it expects, 1 when one does not, 2 when a suite or one of its
// scenarios is not valid (the author must fix it before any result means something).
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "check/suite_runner.h"
#include "cli/commands.h"
#include "cli/limit_options.h"
#include "cli/report_output.h"
#include "cli/suite_report.h"
#include "scenario/scenario_loader.h"
#include "scenario/scenario_suite.h"
#include "util/deadline.h"
#include "util/output_sink.h"
#include "util/terminal_text.h"

namespace tcpgrade::cli {
namespace {

struct TestOptions {
  std::vector<std::string> suites;
  std::string keyword;
  bool exit_first = false;
  bool quiet = false;
  ReportOutputOptions output;
  LimitOptions limits;
};

bool selected(const SuiteCase& test, const std::string& keyword) {
  return keyword.empty() || test.name.find(keyword) != std::string::npos ||
         test.capture.find(keyword) != std::string::npos;
}

int run_test(const TestOptions& options) {
  apply_memory_limit(options.limits);
  std::vector<ScenarioSuite> suites;
  for (const std::string& path : options.suites) {
    std::vector<std::string> files = find_suite_files(path);
    if (files.empty())
      throw std::runtime_error(
          fmt::format("{}: no suite in this folder (suite.yaml or NAME.suite.yaml)", path));
    for (const std::string& file : files)
      suites.push_back(load_suite(file, options.limits.scenario));
  }
  // Every scenario loads before any case runs: a typo in one is exit 2, not a failed case.
  ScenarioCache scenarios(options.limits);
  for (const ScenarioSuite& suite : suites)
    for (const SuiteCase& test : suite.cases) scenarios.get(test.scenario);

  std::vector<SuiteResults> results;
  size_t deselected = 0;
  bool stop = false;
  for (const ScenarioSuite& suite : suites) {
    if (stop) break;
    SuiteResults& result = results.emplace_back(SuiteResults{&suite, {}});
    for (const SuiteCase& test : suite.cases) {
      if (!selected(test, options.keyword)) {
        ++deselected;
        continue;
      }
      // Each case under the check's own deadline: a case that hangs names itself.
      CheckDeadline deadline(
          options.limits.check_timeout_seconds,
          error_at_deadline(fmt::format("{}: case '{}': grading {} took longer than {} s (limit "
                                        "--check-timeout)",
                                        suite.file, test.name, test.capture,
                                        options.limits.check_timeout_seconds)));
      result.outcomes.push_back(run_suite_case(test, scenarios, options.limits));
      if (options.exit_first && !result.outcomes.back().passed) {
        stop = true;
        break;
      }
    }
  }
  SuiteTotals totals = total(results);
  if (totals.passed + totals.failed == 0)
    throw std::runtime_error(
        options.keyword.empty()
            ? "the suites hold no case"
            : fmt::format("no case matches -k '{}' ({} deselected)", options.keyword, deselected));
  std::string rendered;
  if (options.output.format == "json")
    rendered = render_suite_json(results);
  else if (options.output.format == "junit")
    rendered = render_suite_junit(results);
  else
    rendered = render_suite_text(results, options.quiet, text_style(options.output).color);
  OutputSink sink(options.output.output);
  sink.write(rendered);
  sink.commit();
  return totals.failed ? exit_failed : exit_pass;
}

}  // namespace

Subcommand add_test_command(CLI::App& app) {
  auto options = std::make_shared<TestOptions>();
  CLI::App* test = app.add_subcommand(
      "test",
      "Run scenarios' test suites: captures that must pass, captures that must fail and why "
      "(exit 0 all as expected, 1 a case did not, 2 bad suite or scenario)");
  test->add_option("suite", options->suites,
                   "suite YAML files, or folders to search for suite.yaml and *.suite.yaml")
      ->required();
  test->add_option("-k", options->keyword,
                   "run only the cases whose name or capture path contains this text");
  test->add_flag("-x,--exitfirst", options->exit_first, "stop at the first case that fails");
  test->add_flag("-q,--quiet", options->quiet, "list only the cases that fail, and the summary");
  test->add_option("--format", options->output.format, "text (default), json or junit")
      ->check(CLI::IsMember({"text", "json", "junit"}));
  test->add_option("--color", options->output.color, "auto (default), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  test->add_option("-o,--output", options->output.output, "write the results here, not stdout");
  add_capture_limit_options(test, options->limits);
  add_scenario_limit_options(test, options->limits);
  add_check_timeout_option(test, options->limits,
                           "seconds to grade one case (its scenario is loaded once, before)");
  add_memory_limit_option(test, options->limits);
  return {test, [options] { return run_test(*options); }};
}

}  // namespace tcpgrade::cli
