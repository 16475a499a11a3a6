// Writing a report as the user asked: the format, colour on a terminal, stdout or -o FILE.
// Shared by check and live, so both take the same options and write the same bytes.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "report/report.h"
#include "report/report_render.h"

namespace tcpgrade::cli {

struct ReportOutputOptions {
  std::string format = "text";
  std::string color = "auto";
  std::string output;
};

void add_report_output_options(CLI::App* command, ReportOutputOptions& options);
void write_report(const Report& report, const ReportOutputOptions& options);

// The text style the options ask for: colour for a terminal unless NO_COLOR or --color never.
TextStyle text_style(const ReportOutputOptions& options);

}  // namespace tcpgrade::cli
