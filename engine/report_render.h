// Renderers: pure functions from a Report to the bytes a reader or a tool gets.
#pragma once

#include <string>

#include "report.h"

namespace tcpgrade {

struct TextStyle {
  bool color = false;  // ANSI colours, only for a terminal
};

std::string render_text(const Report& report, const TextStyle& style = {});
std::string render_json(const Report& report);  // versioned schema: report_schema_version

}  // namespace tcpgrade
