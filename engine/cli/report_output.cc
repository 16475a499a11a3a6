#include "cli/report_output.h"

#include <unistd.h>

#include <cstdlib>

#include "report/report_render.h"
#include "util/output_sink.h"

namespace tcpgrade::cli {
namespace {

bool use_color(const std::string& mode, const std::string& output) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return (output.empty() || output == "-") && ::isatty(STDOUT_FILENO);
}

}  // namespace

void add_report_output_options(CLI::App* command, ReportOutputOptions& options) {
  command
      ->add_option("--format", options.format,
                   "text (default), json, junit, tap, gradescope (results.json), markdown or html")
      ->check(CLI::IsMember({"text", "json", "junit", "tap", "gradescope", "markdown", "html"}));
  command
      ->add_option("--color", options.color,
                   "auto (terminal only, honours NO_COLOR), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  command->add_option("-o,--output", options.output, "write the report to FILE instead of stdout");
  command->add_flag("--brief", options.brief,
                    "text report without the scenario's teaches: sentences (shown by default)");
}

TextStyle text_style(const ReportOutputOptions& options) {
  TextStyle style;
  style.color = use_color(options.color, options.output);
  style.brief = options.brief;
  return style;
}

void write_report(const Report& report, const ReportOutputOptions& options) {
  write_rendered(render_report(report, options.format, text_style(options)), options);
}

std::string render_report_output(const Report& report, const ReportOutputOptions& options,
                                 const std::string& subject, const GradingLimits& limits) {
  return within_memory_limit(
      subject, limits, [&] { return render_report(report, options.format, text_style(options)); });
}

void write_rendered(const std::string& rendered, const ReportOutputOptions& options) {
  OutputSink sink(options.output);
  sink.write(rendered);
  sink.commit();
}

}  // namespace tcpgrade::cli
