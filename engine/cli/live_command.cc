// `tcpgrade live SCENARIO`: make a fresh capture of the lab on the loopback (server, capture,
// client) and check it as `tcpgrade check` would. Exit 0 pass, 1 checks failed, 2 the run
// could not be made (busy port, timeout, dropped frames, bad scenario), 77 no permission to
// capture (a skip for CTest).
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "analysis/captured_conversation.h"
#include "check/grade_capture.h"
#include "cli/commands.h"
#include "cli/limit_options.h"
#include "cli/report_output.h"
#include "cli/variant_options.h"
#include "live/live_session.h"
#include "live/loopback_capture.h"
#include "scenario/diagnostic_format.h"
#include "scenario/scenario_loader.h"
#include "util/child_process.h"
#include "util/deadline.h"
#include "util/terminal_text.h"

namespace tcpgrade::cli {
namespace {

constexpr int live_capture_attempts = 3;  // captures that dropped packets before live gives up

struct LiveCommandOptions {
  std::string scenario;
  std::optional<uint16_t> port;
  std::string address, server, client, www, save_capture;
  double timeout = 10;
  int buffer_kib = 4096;
  int repeat = 1;
  bool no_isolation = false;
  bool allow_commands = false;
  ReportOutputOptions output;
  LimitOptions limits;
  VariantOptions variant;
};

LiveOptions live_options(const LiveCommandOptions& given, const Scenario& scenario) {
  LiveOptions live;
  live.server = given.server.empty() ? scenario.live.server : given.server;
  live.client = given.client.empty() ? scenario.live.client : given.client;
  live.www = given.www.empty() ? scenario.live.www : given.www;
  live.port = given.port.value_or(scenario.live.port);
  live.address = given.address.empty() ? scenario.live.address : given.address;
  live.timeout_seconds = given.timeout;
  live.buffer_bytes = given.buffer_kib * 1024;
  live.isolate = !given.no_isolation;
  return live;
}

// A scenario's shell commands are its author's code, and scenarios are shared between courses:
// they run only when the user asked for them. Commands given with --server and --client are
// the user's own and replace the scenario's.
void require_allowed_commands(const LiveCommandOptions& given, const Scenario& scenario) {
  if (given.allow_commands) return;
  std::vector<std::string> shown;
  for (const ScenarioCommand& command : scenario_commands(scenario.live)) {
    const std::string& replacement = command.role == "server" ? given.server : given.client;
    if (replacement.empty())
      shown.push_back(command.role + " " + quote(command.command, std::string::npos));
  }
  if (shown.empty()) return;
  throw std::runtime_error(fmt::format(
      "{}: its live: section runs shell commands ({}); review them, then pass --allow-commands "
      "to run them (or replace them with --server/--client)",
      given.scenario, fmt::join(shown, ", ")));
}

// One run: capture, then grade. Returns the exit code; `report` holds what to print.
int run_once(const LiveCommandOptions& given, const Scenario& scenario, const std::string& path,
             Report& report, std::string& error) {
  std::string report_note;
  LiveOptions options = live_options(given, scenario);
  options.capture_path = path;
  // Frames the kernel dropped are tcpgrade's capture failing, not the exchange: such a capture
  // is never graded. It is made again with twice the buffer, a few times, before giving up.
  LiveRun run;
  std::vector<std::string> dropped_runs;
  for (int attempt = 1;; ++attempt) {
    run = run_live(options);
    if (live_interrupted()) {
      std::remove(path.c_str());
      die_of_signal(live_interrupt_signal());  // the children are gone
    }
    if (run.drops == 0 || run.timed_out) break;
    dropped_runs.push_back(
        fmt::format("{} with a {} KiB buffer", run.drops, options.buffer_bytes / 1024));
    if (attempt == live_capture_attempts) {
      error = fmt::format(
          "live: the kernel dropped packets in each of {} captures ({}): nothing was graded; "
          "run again, with a larger --buffer-size",
          attempt, fmt::join(dropped_runs, ", "));
      report = Report{};  // one story: the error, no verdict of a capture known to be wrong
      return exit_bad_input;
    }
    options.buffer_bytes *= 2;
  }
  if (!dropped_runs.empty())
    report_note = fmt::format(
        "the kernel dropped packets during {} capture{} ({}): captured again, with a {} KiB "
        "buffer",
        dropped_runs.size(), dropped_runs.size() == 1 ? "" : "s", fmt::join(dropped_runs, ", "),
        options.buffer_bytes / 1024);
  try {
    // The deadline covers the grading; the capture has its own --timeout.
    const LimitOptions& limits = given.limits;
    CheckDeadline deadline(limits.check_timeout_seconds,
                           error_at_deadline(check_timeout_message(path, limits),
                                             given.save_capture.empty() ? path : ""));
    report = grade_capture({.scenario = scenario, .limits = limits, .capture = path});
  } catch (const std::exception& failure) {
    report = Report{};
    report.scenario = scenario.name;
    report.scenario_title = scenario.title;
    report.capture_file = path;
    report.capture_frames = run.frames;
    error = fmt::format("live: nothing to grade: {} ({})", failure.what(), run.stop_reason);
  }
  report.notes.push_back(fmt::format("live capture on {} port {}: {} frames; {}", options.address,
                                     run.port, run.frames, run.stop_reason));
  report.notes.push_back(run.isolation);
  if (run.escaped_processes > 0)
    report.warnings.push_back(fmt::format(
        "{} process{} had left the server's or client's process group (a daemon): killed",
        run.escaped_processes, run.escaped_processes == 1 ? "" : "es"));
  if (!report_note.empty()) report.notes.push_back(report_note);
  int code = report.passed() ? exit_pass : exit_failed;
  if (run.timed_out)
    error =
        fmt::format("live: timeout after {} s: the connection did not close ({} frames captured)",
                    options.timeout_seconds, run.frames);
  if (!error.empty()) code = exit_bad_input;
  if (code != exit_pass) report.processes = run.processes;
  return code;
}

int run_live_command(const LiveCommandOptions& given) {
  apply_memory_limit(given.limits);
  Scenario scenario = load_variant_scenario(given.scenario, given.limits.scenario, given.variant);
  require_allowed_commands(given, scenario);
  std::string path = given.save_capture;
  bool temporary = path.empty();
  if (temporary) {
    char name[] = "/tmp/tcpgrade-live-XXXXXX";
    int fd = ::mkstemp(name);
    if (fd < 0) throw std::runtime_error("live: cannot create a temporary capture file");
    ::close(fd);
    path = name;
  }
  int code = exit_pass;
  int passed = 0;
  Report report;
  std::string error;
  try {
    for (int i = 0; i < given.repeat; ++i) {
      error.clear();
      code = run_once(given, scenario, path, report, error);
      if (code != exit_pass) break;  // keep the failing run's capture and report
      ++passed;
    }
  } catch (const CapturePermissionError& denied) {
    if (temporary) std::remove(path.c_str());
    std::fflush(stdout);
    fmt::print(stderr, "tcpgrade: live: {} (skipped)\n", terminal_safe(denied.what()));
    return exit_skipped;
  } catch (...) {
    if (temporary) std::remove(path.c_str());
    throw;
  }
  if (given.repeat > 1)
    report.notes.push_back(
        fmt::format("repeat: {} of {} runs passed{}", passed, given.repeat,
                    code == exit_pass ? "" : "; this report is the first that did not"));
  if (code == exit_bad_input && report.scenario.empty()) {  // nothing graded: only the error
    if (temporary) std::remove(path.c_str());
    std::fflush(stdout);
    fmt::print(stderr, "tcpgrade: error: {}\n", terminal_safe(error));
    return code;
  }
  std::string rendered;
  try {
    // Rendering is bounded like grading: the same deadline and memory cap; the report is then
    // written whole or not at all.
    const LimitOptions& limits = given.limits;
    CheckDeadline deadline(
        limits.check_timeout_seconds,
        error_at_deadline(check_timeout_message(path, limits), temporary ? path : ""));
    rendered = render_report_output(report, given.output, path, limits);
  } catch (...) {
    if (temporary) std::remove(path.c_str());
    throw;
  }
  write_rendered(rendered, given.output);
  if (temporary) std::remove(path.c_str());
  if (!error.empty()) {
    std::fflush(stdout);
    fmt::print(stderr, "tcpgrade: error: {}\n", terminal_safe(error));
  }
  return code;
}

}  // namespace

Subcommand add_live_command(CLI::App& app) {
  auto options = std::make_shared<LiveCommandOptions>();
  CLI::App* live = app.add_subcommand(
      "live",
      "Make a fresh capture of the lab on the loopback (server, capture, client) and check it "
      "(exit 0 pass, 1 fail, 2 the run failed, 77 no permission to capture)");
  live->add_option("scenario", options->scenario,
                   "scenario YAML file (its live: section gives defaults)")
      ->required();
  live->add_option("--port", options->port,
                   "server port (default: the scenario's, else 0: a free port)");
  live->add_option("--address", options->address, "127.0.0.1 (default) or ::1")
      ->check(CLI::IsMember({"127.0.0.1", "::1"}));
  live->add_option("--server", options->server,
                   "builtin (HTTP/1.0 like python3 -m http.server), none, or a shell command; "
                   "{port}, {address} and {host} are substituted, e.g. "
                   "\"python3 -m http.server {port} --bind {address}\"");
  live->add_option(
      "--client", options->client,
      "builtin (curl's GET) or a shell command, e.g. \"curl -s http://{host}:{port}/\"");
  live->add_flag("--allow-commands", options->allow_commands,
                 "run the shell commands the scenario's live: section names (its author's code: "
                 "review them first; tcpgrade lint shows them)");
  live->add_option("--buffer-size", options->buffer_kib,
                   "libpcap's capture buffer in KiB, as tcpdump -B (default 4096): a long "
                   "transfer whose frames were dropped needs more")
      ->check(CLI::Range(64, 1 << 20));
  live->add_option("--www", options->www,
                   "the built-in server's document root (default: the scenario's www/)");
  live->add_option("--save-capture", options->save_capture, "keep the capture in FILE (pcap)");
  live->add_option("--timeout", options->timeout, "seconds before the run is stopped (default 10)")
      ->check(finite_range(0.1, 3600.0));
  live->add_option("--repeat", options->repeat, "runs; all must pass (default 1)")
      ->check(CLI::Range(1, 1000));
  live->add_flag("--no-isolation", options->no_isolation,
                 "use the host's loopback instead of a private network namespace");
  add_report_output_options(live, options->output);
  add_capture_limit_options(live, options->limits);
  add_scenario_limit_options(live, options->limits);
  add_check_timeout_option(live, options->limits);
  add_memory_limit_option(live, options->limits);
  add_variant_options(live, options->variant);
  return {live, [options] { return run_live_command(*options); }};
}

}  // namespace tcpgrade::cli
