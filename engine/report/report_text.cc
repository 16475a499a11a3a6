#include <fmt/color.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "report/frame_ranges.h"
#include "report/report_escaping.h"
#include "report/report_limits.h"
#include "report/report_render.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

class Painter {
 public:
  explicit Painter(const TextStyle& style) : color_(style.color) {}
  std::string good(const std::string& text) const {
    return paint(text, fmt::fg(fmt::terminal_color::green));
  }
  std::string bad(const std::string& text) const {
    return paint(text, fmt::fg(fmt::terminal_color::red));
  }
  std::string warn(const std::string& text) const {
    return paint(text, fmt::fg(fmt::terminal_color::yellow));
  }
  std::string bold(const std::string& text) const { return paint(text, fmt::emphasis::bold); }

 private:
  std::string paint(const std::string& text, fmt::text_style style) const {
    return color_ ? fmt::format(style, "{}", text) : text;
  }
  bool color_;
};

std::string mark(const Painter& p, CheckStatus status) {
  switch (status) {
    case CheckStatus::pass:
      return p.good("✓");
    case CheckStatus::fail:
      return p.bad("✗");
    case CheckStatus::unverifiable:
      return p.warn("?");
  }
  return "?";
}

std::string points(double value) { return format_points(value); }

// One row of the frame table, written into a fixed buffer: its cells have bounded widths (the
// Expected column, last and unbounded, is appended after it).
class RowWriter {
 public:
  void text(std::string_view text) {
    size_t n = std::min(text.size(), capacity - size_);
    std::memcpy(bytes_ + size_, text.data(), n);
    size_ += n;
  }
  void spaces(size_t n) {
    n = std::min(n, capacity - size_);
    std::memset(bytes_ + size_, ' ', n);
    size_ += n;
  }
  // `text` padded with spaces to `width` columns, on the left (right-aligned) or the right.
  // The cells are ASCII but for the em dash of a missing frame, one column wide.
  void pad(std::string_view text, size_t width, bool right_align) {
    size_t columns = 0;
    for (unsigned char c : text) columns += (c & 0xC0) != 0x80;  // UTF-8 lead bytes
    size_t fill = columns < width ? width - columns : 0;
    if (right_align) spaces(fill);
    this->text(text);
    if (!right_align) spaces(fill);
  }
  void number(uint64_t value, size_t width) {
    fmt::format_int digits(value);
    if (digits.size() < width) spaces(width - digits.size());
    text(std::string_view(digits.data(), digits.size()));
  }
  std::string_view view() const { return {bytes_, size_}; }

 private:
  static constexpr size_t capacity = 256;  // a row's cells take about 80
  char bytes_[capacity];
  size_t size_ = 0;
};

// The frame table: one row per captured frame or missing expected frame, at most
// max_report_rows, then a line saying what was left out. Built by hand into the report: a busy
// server's capture has millions of rows.
void frame_table(std::string& out, const Painter& p, const ConversationResult& c) {
  static const std::string header =
      fmt::format("  {:1} {:>5}  {:<13} {:<15} {:>10} {:>10} {:>6}  {}\n", "", "Frame", "Direction",
                  "Flags", "Seq", "Ack", "Len", "Expected");
  out += header;
  const std::string good = p.good("✓"), bad = p.bad("✗");
  size_t shown = std::min(c.rows.size(), max_report_rows);
  for (size_t i = 0; i < shown; ++i) {
    const FrameRow& row = c.rows[i];
    RowWriter w;
    w.text("  ");
    w.text(!row.graded ? std::string_view("·")
           : row.ok    ? std::string_view(good)
                       : std::string_view(bad));
    w.text(" ");
    if (row.frame)
      w.number(row.frame, 5);
    else
      w.pad("—", 5, true);
    w.text("  ");
    w.pad(to_string(row.direction), 13, false);
    w.text(" [");
    const std::string& flags = cached_flag_names(row.flags);  // ASCII
    w.text(flags);
    w.text("]");
    if (flags.size() + 2 < 15) w.spaces(15 - flags.size() - 2);
    w.text(" ");
    if (row.frame)
      w.number(row.seq, 10);
    else
      w.spaces(10);
    w.text(" ");
    if (row.frame && row.has_ack)
      w.number(row.ack, 10);
    else
      w.spaces(10);
    w.text(" ");
    if (row.frame)
      w.number(row.len, 6);
    else
      w.spaces(6);
    w.text("  ");
    out += w.view();
    if (row.note.empty())
      out += row.expected_id;
    else
      out += expected_label(row);
    out += '\n';
  }
  if (shown == c.rows.size()) return;
  ConversationResult rest;  // counts only, as bounded_conversation keeps them
  for (size_t i = shown; i < c.rows.size(); ++i) {
    const FrameRow& row = c.rows[i];
    ++rest.rows_left_out;
    rest.rows_left_out_not_ok += row.graded && !row.ok;
    if (row.frame) {
      if (!rest.rows_left_out_first || row.frame < rest.rows_left_out_first)
        rest.rows_left_out_first = row.frame;
      rest.rows_left_out_last = std::max(rest.rows_left_out_last, row.frame);
    }
  }
  out += fmt::format("  {}\n", rest.rows_left_out_not_ok ? p.bad(rows_left_out_text(rest))
                                                         : rows_left_out_text(rest));
}

// Under a frame's (or stream's) mismatches: what it teaches, once, and the instructor's hint,
// again only where a check's hint differs from the one shown above it (a hint per field).
struct FrameTexts {
  const std::string* frame = nullptr;  // the expected_id whose texts were shown last
  const std::string* hint = nullptr;

  void show(std::string& out, const CheckResult& check, const TextStyle& style) {
    if (check.expected_id.empty()) return;
    bool new_frame = !frame || *frame != check.expected_id;
    if (new_frame && !style.brief && !check.teaches.empty())
      out += fmt::format("      teaches:  {}\n", check.teaches);
    if (!check.scenario_hint.empty() && (new_frame || !hint || *hint != check.scenario_hint))
      out += fmt::format("      hint:     {}\n", check.scenario_hint);
    frame = &check.expected_id;
    hint = &check.scenario_hint;
  }
};

void check_detail(std::string& out, const Painter& p, const CheckResult& check) {
  out += fmt::format("  {} {}  [{}]\n", mark(p, check.status), p.bold(check.name), check.id);
  if (!check.teaches.empty() &&
      (check.id.rfind("claim.", 0) == 0 || check.id.rfind("review.", 0) == 0))
    out += fmt::format("      the write-up says: {}\n", check.teaches);
  out += fmt::format("      expected: {}\n", check.expected);
  out += fmt::format("      capture:  {}\n", check.actual);
  if (!check.hint.empty()) out += fmt::format("      why:      {}\n", check.hint);
  if (!check.root_cause.empty())
    out += fmt::format("      cause:    {} (see above)\n", check.root_cause);
}

bool is_unexpected_frame(const CheckResult& check) {
  return check.status != CheckStatus::pass && check.id.rfind("frame.unexpected.", 0) == 0;
}

// A long run of frames the scenario does not expect (a bigger transfer than the lab's) reads
// as one mismatch, not a page of them; --format json keeps every one.
// The data segments and bytes of the rows of each captured frame number.
struct FrameBytes {
  size_t data = 0, bytes = 0;
};
using FrameIndex = std::unordered_map<uint64_t, FrameBytes>;

const FrameIndex& frame_index(std::optional<FrameIndex>& index, const ConversationResult& c) {
  if (index) return *index;
  index.emplace();
  index->reserve(c.rows.size());
  for (const FrameRow& row : c.rows) {
    FrameBytes& entry = (*index)[row.frame];
    entry.data += row.len > 0;
    entry.bytes += row.len;
  }
  return *index;
}

void unexpected_run(std::string& out, const Painter& p, const ConversationResult& c,
                    const std::vector<const CheckResult*>& run, std::optional<FrameIndex>& index) {
  const FrameIndex& rows = frame_index(index, c);  // built once per conversation: linear
  std::vector<uint64_t> frames;
  frames.reserve(run.size());
  size_t data = 0, bytes = 0;
  for (const CheckResult* check : run) {
    frames.push_back(check->frame);
    auto found = rows.find(check->frame);
    if (found != rows.end()) data += found->second.data, bytes += found->second.bytes;
  }
  out += fmt::format("  {} {}  [frame.unexpected.{} … frame.unexpected.{}]\n", p.bad("✗"),
                     p.bold(fmt::format("{} frames not in the scenario", run.size())),
                     run.front()->frame, run.back()->frame);
  out += "      expected: no frames here\n";
  out += fmt::format("      capture:  frames {}: {} data segment{} ({} bytes), {} without data\n",
                     frame_ranges(frames), data, data == 1 ? "" : "s", bytes, run.size() - data);
  out += fmt::format(
      "      why:      the connection carries more than the scenario expects, from "
      "{}; --format json lists {}\n",
      run.front()->actual,
      c.checks.size() <= max_report_checks
          ? std::string("each frame")
          : fmt::format("the first {} checks", count_text(max_report_checks)));
}

}  // namespace

std::string render_text_head(const Report& given, const TextStyle& style) {
  const Report report = terminal_safe(given);  // what the capture and scenario say, printable
  Painter p(style);
  std::string out;
  bool passed = report.passed();
  if (report.command == "review") {
    out += fmt::format("{} — write-up {}", p.bold("tcpgrade review"), report.scenario_file);
  } else {
    out += fmt::format("{} — scenario {}", p.bold("tcpgrade check"), report.scenario);
    if (!report.scenario_title.empty()) out += fmt::format(" ({})", report.scenario_title);
  }
  out += fmt::format("\ncapture: {} ({} frames)\n", report.capture_file, report.capture_frames);
  out += fmt::format("verdict: {}  {} / {} points, {} check{} not passed\n",
                     passed ? p.good("PASS") : p.bad("FAIL"), points(report.points),
                     points(report.max_points), report.failed_checks(),
                     report.failed_checks() == 1 ? "" : "s");
  for (const std::string& warning : report.warnings) out += fmt::format("warning: {}\n", warning);
  for (const std::string& note : report.notes) out += fmt::format("note: {}\n", note);

  if (!report.root_causes.empty()) {
    out += fmt::format("\n{}\n", p.bold("Root causes"));
    for (const RootCause& cause : report.root_causes)
      out += fmt::format("  {} {} [{}]\n      {}\n", p.bad("!"), p.bold(cause.title), cause.id,
                         cause.explanation);
  }
  return out;
}

std::string render_text_conversation(const ConversationResult& given, const TextStyle& style) {
  // What the capture and scenario say, printable; copied only when something needs escaping.
  std::optional<ConversationResult> escaped;
  if (!is_terminal_safe(given)) escaped = terminal_safe(given);
  const ConversationResult& c = escaped ? *escaped : given;
  Painter p(style);
  std::string out;
  out.reserve(256 + c.rows.size() * 96);
  fmt::format_to(std::back_inserter(out), "\n{} stream {}: {} → {} (state {}, history {})\n",
                 p.bold("Connection"), c.stream, c.client, c.server, c.state, c.history);
  for (const std::string& variant : c.variants)
    fmt::format_to(std::back_inserter(out), "  graded as: {}\n", variant);
  frame_table(out, p, c);
  bool header = false;
  std::optional<FrameIndex> index;
  FrameTexts texts;  // teaches: and hint: under the frames' mismatches
  size_t shown = 0;  // mismatches (a run of unexpected frames is one), at most max_report_checks
  for (size_t i = 0; i < c.checks.size(); ++i) {
    const CheckResult& check = c.checks[i];
    if (check.status == CheckStatus::pass) continue;
    if (!header) out += fmt::format("\n{}\n", p.bold("Mismatches"));
    header = true;
    if (shown++ == max_report_checks) {  // the rest: counted, not shown
      size_t rest = 0;
      for (size_t j = i; j < c.checks.size(); ++j) rest += c.checks[j].status != CheckStatus::pass;
      out += fmt::format(
          "  {} … {} more check{} not passed, like {}: left out of the report (at most {} "
          "mismatches per connection)\n",
          p.bad("✗"), count_text(rest), rest == 1 ? "" : "s", check_id_family(check.id),
          count_text(max_report_checks));
      break;
    }
    // Passing checks between unexpected frames do not break a run; other failures do.
    std::vector<const CheckResult*> run;
    size_t end = i;
    for (size_t j = i; j < c.checks.size(); ++j) {
      if (c.checks[j].status == CheckStatus::pass) continue;
      if (!is_unexpected_frame(c.checks[j])) break;
      run.push_back(&c.checks[j]);
      end = j;
    }
    if (run.size() >= 8) {
      unexpected_run(out, p, c, run, index);
      i = end;
      continue;
    }
    check_detail(out, p, check);
    texts.show(out, check, style);
  }
  return out;
}

std::string render_text_tail(const Report& given, const TextStyle& style) {
  const Report report = terminal_safe(given);
  Painter p(style);
  std::string out;
  if (!report.claims.empty()) {
    out += fmt::format("\n{}\n", p.bold("Claims"));
    for (const CheckResult& claim : report.claims) {
      if (claim.status == CheckStatus::pass) {
        out += fmt::format("  {} {}: {}  [{}]\n", mark(p, claim.status), claim.name, claim.expected,
                           claim.id);
        continue;
      }
      check_detail(out, p, claim);
      if (!claim.scenario_hint.empty())
        out += fmt::format("      hint:     {}\n", claim.scenario_hint);
    }
  }
  if (!report.other_conversations.empty()) {
    out += fmt::format("\n{}\n", p.bold("Other connections (not graded)"));
    for (const std::string& line : report.other_conversations) out += fmt::format("  {}\n", line);
  }
  if (!report.processes.empty()) {
    out += fmt::format("\n{}\n", p.bold("Server and client"));
    for (const ProcessLog& process : report.processes) {
      out += fmt::format("  {}: {} ({})\n", process.name, printable(process.command, 300),
                         process.status);
      if (process.stderr_tail.empty()) continue;
      out += "      last lines of its stderr:\n";
      size_t start = 0;
      while (start < process.stderr_tail.size()) {
        size_t end = process.stderr_tail.find('\n', start);
        if (end == std::string::npos) end = process.stderr_tail.size();
        out += fmt::format("        {}\n",
                           printable(process.stderr_tail.substr(start, end - start), 300));
        start = end + 1;
      }
    }
  }
  return out;
}

std::string render_text(const Report& report, const TextStyle& style) {
  std::string out = render_text_head(report, style);
  for (const ConversationResult& c : report.conversations)
    out += render_text_conversation(c, style);
  out += render_text_tail(report, style);
  return out;
}

}  // namespace tcpgrade
