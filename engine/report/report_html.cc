// One self-contained HTML page (no script, no fetch): the verdict, the explanations, the frame
// table and a ladder diagram drawn in inline SVG. Every string from a capture, a scenario or a
// file name goes through html().
#include <fmt/format.h>

#include "report/report_escaping.h"
#include "report/report_limits.h"
#include "report/report_render.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

std::string html(const std::string& given) { return html_escape(given); }

constexpr const char* style = R"(
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
h1{font-size:1.4em} .pass{color:#1a7f37} .fail{color:#cf222e} .muted{color:#777}
table{border-collapse:collapse;margin:1em 0} td,th{border:1px solid #ddd;padding:3px 8px;font-family:monospace}
tr.bad td{background:#ffebe9} tr.missing td{background:#fff8c5;font-style:italic} tr.ungraded td{color:#888}
.cause{border-left:4px solid #cf222e;padding:4px 10px;margin:8px 0;background:#fff5f5}
.check{margin:8px 0;padding:4px 10px;border-left:4px solid #d0d7de} .check.fail{border-color:#cf222e}
.check code{white-space:pre-wrap} svg text{font-family:monospace;font-size:12px}
)";

std::string label(const FrameRow& row) {
  if (!row.frame) return fmt::format("missing: {} [{}]", row.expected_id, flag_names(row.flags));
  std::string text = fmt::format("[{}] Seq={}", flag_names(row.flags), row.seq);
  if (row.has_ack) text += fmt::format(" Ack={}", row.ack);
  return text + fmt::format(" Len={}", row.len);
}

// Client on the left, server on the right, one arrow per row, top to bottom in capture order.
std::string ladder(const ConversationResult& c) {
  constexpr int left = 150, right = 650, top = 50, step = 34;
  int height = top + static_cast<int>(c.rows.size()) * step + 20;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"{}\" role=\"img\" "
      "aria-label=\"ladder diagram\">\n"
      "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
      "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" "
      "fill=\"context-stroke\"/></marker></defs>\n"
      "<text x=\"{}\" y=\"20\" text-anchor=\"middle\">client {}</text>\n"
      "<text x=\"{}\" y=\"20\" text-anchor=\"middle\">server {}</text>\n"
      "<line x1=\"{}\" y1=\"30\" x2=\"{}\" y2=\"{}\" stroke=\"#444\"/>\n"
      "<line x1=\"{}\" y1=\"30\" x2=\"{}\" y2=\"{}\" stroke=\"#444\"/>\n",
      height, left, html(c.client), right, html(c.server), left, left, height, right, right,
      height);
  int y = top;
  for (const FrameRow& row : c.rows) {
    bool to_server = row.direction == Direction::client_to_server;
    int x1 = to_server ? left : right, x2 = to_server ? right : left;
    std::string color = !row.graded  ? "#999"
                        : !row.frame ? "#b08800"
                        : row.ok     ? "#1a7f37"
                                     : "#cf222e";
    std::string dash = row.frame ? "" : " stroke-dasharray=\"6 4\"";
    svg += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"{} "
        "marker-end=\"url(#arrow)\"/>\n",
        x1, y, x2, y + 14, color, dash);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">{}</text>\n",
                       (left + right) / 2, y + 3, color, html(label(row)));
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#555\">{}</text>\n",
                       left - 10, y + 10, row.frame ? fmt::format("{}", row.frame) : "—");
    y += step;
  }
  return svg + "</svg>\n";
}

void check_block(std::string& out, const CheckResult& check) {
  bool ok = check.status == CheckStatus::pass;
  out += fmt::format("<div class=\"check {}\"><b>{} {}</b> <span class=\"muted\">[{}]</span><br>",
                     ok ? "pass" : "fail", ok ? "✓" : "✗", html(check.name), html(check.id));
  out += fmt::format("expected: <code>{}</code><br>capture: <code>{}</code>", html(check.expected),
                     html(check.actual));
  if (!check.hint.empty()) out += fmt::format("<br>why: {}", html(check.hint));
  if (!check.scenario_hint.empty()) out += fmt::format("<br>hint: {}", html(check.scenario_hint));
  if (!check.teaches.empty())
    out += fmt::format("<br><span class=\"muted\">{}</span>", html(check.teaches));
  out += "</div>\n";
}

}  // namespace

std::string render_html(const Report& given) {
  const Report report = bounded_report(given);
  bool passed = report.passed();
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'\">\n";
  out += fmt::format("<title>tcpgrade: {} on {}</title>\n<style>{}</style>\n</head>\n<body>\n",
                     html(report.scenario), html(report.capture_file), style);
  out += fmt::format("<h1>tcpgrade — scenario {}</h1>\n", html(report.scenario));
  if (!report.scenario_title.empty())
    out += fmt::format("<p>{}</p>\n", html(report.scenario_title));
  out += fmt::format("<p>capture <code>{}</code> ({} frames)</p>\n", html(report.capture_file),
                     report.capture_frames);
  out += fmt::format(
      "<p class=\"{}\" id=\"verdict\"><b>{}</b> — {} / {} points, {} check{} not passed</p>\n",
      passed ? "pass" : "fail", passed ? "PASS" : "FAIL", format_points(report.points),
      format_points(report.max_points), report.failed_checks(),
      report.failed_checks() == 1 ? "" : "s");
  for (const std::string& warning : report.warnings)
    out += fmt::format("<p class=\"fail\">warning: {}</p>\n", html(warning));
  for (const std::string& note : report.notes)
    out += fmt::format("<p class=\"muted\">note: {}</p>\n", html(note));
  if (!report.root_causes.empty()) {
    out += "<h2>Root causes</h2>\n";
    for (const RootCause& cause : report.root_causes)
      out += fmt::format(
          "<div class=\"cause\"><b>{}</b> <span class=\"muted\">[{}]</span><br>{}</div>\n",
          html(cause.title), html(cause.id), html(cause.explanation));
  }
  for (const ConversationResult& c : report.conversations) {
    out += fmt::format(
        "<h2>Connection {}: {} → {} <span class=\"muted\">(state {}, history {})</span></h2>\n",
        c.stream, html(c.client), html(c.server), html(c.state), html(c.history));
    for (const std::string& variant : c.variants)
      out += fmt::format("<p>graded as: {}</p>\n", html(variant));
    out += ladder(c);
    out +=
        "<table>\n<tr><th></th><th>Frame</th><th>Direction</th><th>Flags</th><th>Seq</th><th>Ack</"
        "th>"
        "<th>Len</th><th>Expected</th></tr>\n";
    for (const FrameRow& row : c.rows) {
      std::string css = !row.graded ? "ungraded" : !row.frame ? "missing" : row.ok ? "" : "bad";
      std::string expected = expected_label(row);
      out += fmt::format(
          "<tr "
          "class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>[{}]</td><td>{}</td><td>{}</"
          "td><td>{}</td><td>{}</td></tr>\n",
          css,
          !row.graded ? "·"
          : row.ok    ? "✓"
                      : "✗",
          row.frame ? std::to_string(row.frame) : "—", to_string(row.direction),
          html(flag_names(row.flags)), row.frame ? std::to_string(row.seq) : "",
          row.frame && row.has_ack ? std::to_string(row.ack) : "",
          row.frame ? std::to_string(row.len) : "", html(expected));
    }
    out += "</table>\n";
    if (c.rows_left_out)
      out += fmt::format("<p class=\"muted\">{}</p>\n", html(rows_left_out_text(c)));
    bool header = false;
    for (const CheckResult& check : c.checks) {
      if (check.status == CheckStatus::pass) continue;
      if (!header) out += "<h3>Mismatches</h3>\n";
      header = true;
      check_block(out, check);
    }
    if (c.failed_checks_left_out) {
      if (!header) out += "<h3>Mismatches</h3>\n";
      out += fmt::format("<div class=\"check fail\"><b>✗ {}</b></div>\n",
                         html(checks_left_out_text(c)));
    }
  }
  if (!report.claims.empty()) {
    out += "<h2>Claims</h2>\n";
    for (const CheckResult& claim : report.claims) check_block(out, claim);
  }
  if (!report.other_conversations.empty()) {
    out += "<h2>Other connections (not graded)</h2>\n<ul>\n";
    for (const std::string& line : report.other_conversations)
      out += fmt::format("<li>{}</li>\n", html(line));
    out += "</ul>\n";
  }
  return out + "</body>\n</html>\n";
}

}  // namespace tcpgrade
