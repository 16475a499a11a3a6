#include "grade/class_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "report/report.h"
#include "report/report_escaping.h"

namespace tcpgrade {
namespace {

std::string html(const std::string& text) { return html_escape(text); }

constexpr const char* style = R"(
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}
.muted{color:#777}.pass{color:#1a7f37}.fail{color:#cf222e}.error{color:#9a6700}
svg text{font-size:12px;fill:#222}
rect.bin{fill:#4c78a8}rect.bar{fill:#e45756}rect.cause{fill:#f58518}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}
th{background:#f3f3f3;cursor:pointer;user-select:none}th[aria-sort=ascending]::after{content:" ▲"}
th[aria-sort=descending]::after{content:" ▼"}td.num{text-align:right;white-space:nowrap}
)";

// Sorting the table: a click on a header sorts by its column, again reverses; numbers by the
// cell's data-v. `?sort=KEY` (repeatable) clicks the header with data-key KEY on load.
constexpr const char* script = R"(
(function () {
  var table = document.getElementById("students");
  var body = table.tBodies[0], heads = table.tHead.rows[0].cells;
  function key(row, i, numeric) {
    var cell = row.cells[i], v = cell.getAttribute("data-v");
    var text = v !== null ? v : cell.textContent;
    return numeric ? parseFloat(text) : text.toLowerCase();
  }
  function sortBy(i) {
    var th = heads[i], numeric = th.getAttribute("data-type") === "number";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    for (var h = 0; h < heads.length; h++) heads[h].removeAttribute("aria-sort");
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, i, numeric), y = key(b, i, numeric);
      var c = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? c : -c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  Array.prototype.forEach.call(heads, function (th, i) {
    th.addEventListener("click", function () { sortBy(i); });
  });
  new URLSearchParams(location.search).getAll("sort").forEach(function (want) {
    Array.prototype.forEach.call(heads, function (th) {
      if (th.getAttribute("data-key") === want) th.click();
    });
  });
})();
)";

double percent_of(const GradeRow& row) { return row.max > 0 ? 100 * row.score / row.max : 0; }

// The score distribution: one bar per bin of ClassSummary::histogram, its count above it.
std::string histogram_svg(const ClassSummary& summary) {
  const size_t bins = summary.histogram.size();
  const size_t most = std::max<size_t>(
      1, bins ? *std::max_element(summary.histogram.begin(), summary.histogram.end()) : 1);
  const int bar = 56, gap = 8, height = 160, top = 20, bottom = 40;
  const int width = static_cast<int>(bins) * (bar + gap) + gap;
  std::string out = fmt::format(
      "<svg id=\"histogram\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "role=\"img\" aria-label=\"students per score bin, in percent\">\n",
      width, top + height + bottom);
  for (size_t i = 0; i < bins; ++i) {
    const size_t count = summary.histogram[i];
    const int h = static_cast<int>(height * count / most);
    const int x = gap + static_cast<int>(i) * (bar + gap), y = top + height - h;
    std::string range =
        i + 1 == bins ? fmt::format("{}–100", i * 10) : fmt::format("{}–{}", i * 10, i * 10 + 9);
    out += fmt::format(
        "<rect class=\"bin\" data-bin=\"{0}\" data-count=\"{1}\" x=\"{2}\" y=\"{3}\" "
        "width=\"{4}\" height=\"{5}\"><title>{0} %: {1}</title></rect>\n"
        "<text x=\"{6}\" y=\"{7}\" text-anchor=\"middle\">{1}</text>\n"
        "<text x=\"{6}\" y=\"{8}\" text-anchor=\"middle\">{0} %</text>\n",
        range, count, x, y, bar, h, x + bar / 2, y - 4, top + height + 16);
  }
  return out + "</svg>\n";
}

// A horizontal bar per label, longest first as given; empty lists say so.
std::string bars_svg(const std::string& id, const std::string& bar_class,
                     const std::vector<std::pair<std::string, size_t>>& items, size_t shown) {
  if (items.empty()) return fmt::format("<p id=\"{}\" class=\"muted\">none</p>\n", id);
  const size_t n = std::min(items.size(), shown);
  size_t most = 1;
  for (size_t i = 0; i < n; ++i) most = std::max(most, items[i].second);
  const int label = 380, span = 420, row = 22;
  std::string out = fmt::format(
      "<svg id=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "role=\"img\">\n",
      id, label + span + 50, static_cast<int>(n) * row + 6);
  for (size_t i = 0; i < n; ++i) {
    const int y = 3 + static_cast<int>(i) * row;
    const int w = std::max(2, static_cast<int>(span * items[i].second / most));
    std::string text =
        items[i].first.size() > 60 ? items[i].first.substr(0, 57) + "..." : items[i].first;
    out += fmt::format(
        "<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\">{2}</text>"
        "<rect class=\"{3}\" x=\"{4}\" y=\"{5}\" width=\"{6}\" height=\"16\">"
        "<title>{7}: {8}</title></rect>"
        "<text x=\"{9}\" y=\"{1}\">{8}</text>\n",
        label - 6, y + 12, html(text), bar_class, label, y, w, html(items[i].first),
        items[i].second, label + w + 4);
  }
  return out + "</svg>\n";
}

std::string copies_section(const std::vector<ClassCopyGroup>& copies) {
  if (copies.empty())
    return "<p id=\"copy-groups\" class=\"muted\">No submissions share a conversation or their "
           "bytes.</p>\n";
  std::string out = "<ul id=\"copy-groups\">\n";
  for (const ClassCopyGroup& group : copies) {
    std::string ids;
    for (const std::string& id : group.ids) ids += (ids.empty() ? "" : ", ") + html(id);
    out += fmt::format("<li><b>group {}</b>: {}", group.number, ids);
    for (const std::string& line : group.evidence)
      out += fmt::format("<br><span class=\"muted\">{}</span>", html(line));
    out += "</li>\n";
  }
  return out + "</ul>\n";
}

std::string html_report_of(const GradeRow& row) {
  std::string report = row.report;
  if (report.ends_with(".txt")) report.replace(report.size() - 4, 4, ".html");
  return report;
}

// The write-up's cell: its score linked to its own report, and its status.
std::string writeup_cell(const GradeRow& row) {
  if (!row.writeup) return "<td class=\"num\" data-v=\"0\"></td>";
  const WriteupGrade& w = *row.writeup;
  std::string score = w.status == "pass" || w.status == "fail"
                          ? fmt::format("{} / {}", format_points(w.score), format_points(w.max))
                          : html(w.status);
  if (!w.report.empty()) {
    std::string report = w.report;
    if (report.ends_with(".txt")) report.replace(report.size() - 4, 4, ".html");
    score = fmt::format("<a href=\"{}\">{}</a>", html(link_to(report)), score);
  }
  return fmt::format("<td class=\"num {}\" data-v=\"{}\" title=\"{}\">{}</td>", html(w.status),
                     writeup_percent(w), html(w.reason), score);
}

std::string students_table(const std::vector<GradeRow>& rows) {
  // The write-up column only when the class's write-ups are graded, as in gradebook.csv.
  const bool writeups = has_writeups(rows);
  std::string out = fmt::format(
      "<table id=\"students\">\n<thead><tr>"
      "<th data-key=\"student\">student</th>"
      "<th data-key=\"score\" data-type=\"number\">score</th>"
      "<th data-key=\"percent\" data-type=\"number\">percent</th>"
      "<th data-key=\"status\">status</th>"
      "<th data-key=\"copy\" data-type=\"number\">copy group</th>"
      "<th data-key=\"reason\">first problem</th>{}"
      "</tr></thead>\n<tbody>\n",
      writeups ? "<th data-key=\"writeup\" data-type=\"number\">write-up</th>" : "");
  for (const GradeRow& row : rows) {
    std::string student = html(row.id);
    if (!row.report.empty())
      student = fmt::format("<a href=\"{}\">{}</a>", html(link_to(html_report_of(row))), student);
    const double percent = percent_of(row);
    out += fmt::format(
        "<tr><td>{}</td><td class=\"num\" data-v=\"{}\">{} / {}</td>"
        "<td class=\"num\" data-v=\"{}\">{:.1f} %</td><td class=\"{}\">{}</td>"
        "<td class=\"num\" data-v=\"{}\">{}</td><td>{}</td>{}</tr>\n",
        student, row.score, format_points(row.score), format_points(row.max), percent, percent,
        html(row.status), html(row.status), row.copy_group,
        row.copy_group ? std::to_string(row.copy_group) : "", html(row.reason),
        writeups ? writeup_cell(row) : "");
  }
  return out + "</tbody>\n</table>\n";
}

}  // namespace

std::string link_to(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '/')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string class_page_html(const ClassPage& page) {
  const ClassSummary& summary = page.summary;
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'; script-src 'unsafe-inline'\">\n";
  out += fmt::format("<title>tcpgrade class: {}</title>\n<style>{}</style>\n</head>\n<body>\n",
                     html(page.scenario), style);
  out += fmt::format("<h1>tcpgrade — the class on scenario {}</h1>\n", html(page.scenario));
  out += fmt::format(
      "<p id=\"totals\">{} submissions: <span class=\"pass\">{} passed</span>, <span "
      "class=\"fail\">{} failed</span>, <span class=\"error\">{} not graded</span>, {} "
      "missing.</p>\n<p id=\"mean\">{}</p>\n",
      page.rows.size(), summary.passed, summary.failed, summary.errors, summary.missing,
      html(mean_sentence(summary, page.rows.size())));
  out += "<h2>Score distribution</h2>\n" + histogram_svg(summary);
  out += "<h2>Most common failed checks</h2>\n" +
         bars_svg("failed-checks", "bar", summary.common_failures, 10);
  out +=
      "<h2>Most common root causes</h2>\n" + bars_svg("root-causes", "cause", page.root_causes, 10);
  out += "<h2>Copied captures</h2>\n" + copies_section(page.copies);
  out +=
      "<h2>Students</h2>\n<p class=\"muted\">Click a header to sort; each student links to "
      "their report.</p>\n" +
      students_table(page.rows);
  out += fmt::format("<script>{}</script>\n</body>\n</html>\n", script);
  return out;
}

std::vector<std::pair<std::string, size_t>> count_root_causes(const std::filesystem::path& out,
                                                              const std::vector<GradeRow>& rows) {
  std::map<std::string, size_t> counts;
  for (const GradeRow& row : rows) {
    if (!row.report.ends_with(".txt")) continue;
    std::ifstream file(out / (row.report.substr(0, row.report.size() - 4) + ".json"));
    if (!file) continue;
    nlohmann::json report = nlohmann::json::parse(file, nullptr, false);
    if (report.is_discarded() || !report.contains("root_causes") ||
        !report["root_causes"].is_array())
      continue;
    std::set<std::string> seen;  // a cause counts once per student
    for (const nlohmann::json& cause : report["root_causes"])
      if (cause.is_object() && cause.contains("title") && cause["title"].is_string())
        seen.insert(cause["title"].get<std::string>());
    for (const std::string& title : seen) ++counts[title];
  }
  std::vector<std::pair<std::string, size_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return sorted;
}

}  // namespace tcpgrade
