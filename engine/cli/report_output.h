// Writing a report as the user asked: the format, colour on a terminal, stdout or -o FILE.
// Shared by check and live, so both take the same options and write the same bytes.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "check/grading_limits.h"
#include "report/report.h"
#include "report/report_render.h"

namespace tcpgrade::cli {

struct ReportOutputOptions {
  std::string format = "text";
  std::string color = "auto";
  std::string output;
  bool brief = false;  // text without the scenario's teaches: sentences
};

void add_report_output_options(CLI::App* command, ReportOutputOptions& options);
void write_report(const Report& report, const ReportOutputOptions& options);

// The report rendered as `options` ask, under the memory cap: std::bad_alloc becomes a
// LimitError naming `subject` and --max-memory. Called while the check's deadline still runs,
// so that rendering is bounded like grading; then write_rendered writes it whole or not at all.
std::string render_report_output(const Report& report, const ReportOutputOptions& options,
                                 const std::string& subject, const GradingLimits& limits);
void write_rendered(const std::string& rendered, const ReportOutputOptions& options);

// The text style the options ask for: colour for a terminal unless NO_COLOR or --color never.
TextStyle text_style(const ReportOutputOptions& options);

}  // namespace tcpgrade::cli
