#include "grade/report_cap.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>

namespace tcpgrade {
namespace {

std::string cut_sentence(size_t size, size_t limit) {
  return fmt::format(
      "the report is {} bytes, more than {} (limit --max-report-bytes): cut here; "
      "`tcpgrade check SCENARIO CAPTURE` shows all of it",
      size, limit);
}

// The head of the text report, whole lines only, then the sentence that says it was cut.
std::string cut_text(const std::string& text, size_t limit) {
  std::string note = "… " + cut_sentence(text.size(), limit) + "\n";
  size_t keep = limit > note.size() ? limit - note.size() : 0;
  size_t line_end = keep == 0 ? std::string::npos : text.rfind('\n', keep - 1);
  return text.substr(0, line_end == std::string::npos ? 0 : line_end + 1) + note;
}

std::string html_escaped(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

void cap_reports(RenderedReports& rendered, const Report& report, size_t limit) {
  if (rendered.json.size() > limit) {
    // The same first keys as the full report, so a tool reading the verdict still finds it.
    nlohmann::ordered_json j = {{"schema_version", report_schema_version},
                                {"scenario", report.scenario},
                                {"capture", report.capture_file},
                                {"verdict", report.passed() ? "pass" : "fail"},
                                {"points", report.points},
                                {"max_points", report.max_points},
                                {"failed_checks", report.failed_checks()},
                                {"report_cut", cut_sentence(rendered.json.size(), limit)}};
    rendered.json = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  if (rendered.html.size() > limit) {
    // The text report (already terminal-safe, UTF-8) inside a page; its own head is kept.
    // Escaping grows the text at most sixfold (" becomes &quot;): half the cap, or a sixth.
    const size_t size = rendered.html.size();
    for (size_t share : {2, 6}) {
      rendered.html = fmt::format(
          "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<title>tcpgrade report (cut)</title></head><body>\n<p>{}</p>\n<pre>{}</pre>\n"
          "</body></html>\n",
          html_escaped(cut_sentence(size, limit)),
          html_escaped(cut_text(rendered.text, limit / share)));
      if (rendered.html.size() <= limit) break;
    }
  }
  if (rendered.text.size() > limit) rendered.text = cut_text(rendered.text, limit);
}

}  // namespace tcpgrade
