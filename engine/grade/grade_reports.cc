#include "grade/grade_reports.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "report/report_render.h"
#include "util/output_sink.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& bytes) {
  OutputSink sink(path.string());
  sink.write(bytes);
  sink.commit();
}

// The report as the child wrote it; nothing when it is not there (a killed child's).
std::optional<std::string> read_whole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

std::string text_report_path(const Submission& s) { return "reports/" + s.safe_name + ".txt"; }

RenderedReports render_reports(const Report& report, bool brief) {
  TextStyle style;
  style.brief = brief;
  return {render_text(report, style), render_json(report), render_html(report)};
}

void write_reports(const fs::path& reports, const Submission& s, const RenderedReports& rendered) {
  write_file(reports / (s.safe_name + ".txt"), rendered.text);
  write_file(reports / (s.safe_name + ".json"), rendered.json);
  write_file(reports / (s.safe_name + ".html"), rendered.html);
}

void write_error_reports(const fs::path& reports, const Submission& s, const std::string& reason,
                         const std::string& scenario) {
  write_file(reports / (s.safe_name + ".txt"),
             fmt::format("tcpgrade grade — {}: not graded\nfile: {}\nreason: {}\n",
                         terminal_safe(s.id), terminal_safe(s.file), terminal_safe(reason)));
  nlohmann::ordered_json j = {{"id", s.id},
                              {"file", s.file},
                              {"scenario", scenario},
                              {"status", "error"},
                              {"reason", reason}};
  write_file(reports / (s.safe_name + ".json"),
             j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  Report empty;
  empty.scenario = scenario;
  empty.capture_file = s.file.empty() ? s.id : s.file;
  empty.warnings.push_back("not graded: " + reason);
  write_file(reports / (s.safe_name + ".html"), render_html(empty));
}

void note_copy_in_reports(const fs::path& reports, const Submission& s, size_t group,
                          const std::vector<std::string>& copied_with,
                          const std::string& evidence) {
  std::string others;
  for (const std::string& id : copied_with) others += (others.empty() ? "" : ", ") + id;
  fs::path text = reports / (s.safe_name + ".txt");
  if (std::optional<std::string> report = read_whole(text))
    write_file(text,
               *report + fmt::format("\ncopy: group {} with {} (the grade is unchanged): {}\n",
                                     group, terminal_safe(others), terminal_safe(evidence)));
  fs::path json = reports / (s.safe_name + ".json");
  if (std::optional<std::string> report = read_whole(json)) {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(*report, nullptr, false);
    if (!j.is_object()) return;  // cut at --max-report-bytes: left as it is
    j["copy"] = {{"group", group}, {"copied_with", copied_with}, {"evidence", evidence}};
    write_file(json, j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  }
}

void remove_partial_reports(const fs::path& reports, const Submission& s, pid_t pid) {
  std::error_code ignored;
  for (const char* extension : {".txt", ".json", ".html"})
    fs::remove(reports / fmt::format("{}{}.tmp.{}", s.safe_name, extension, pid), ignored);
}

}  // namespace tcpgrade
