#include "scenario/scenario_lint_warnings.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "capture/decoded_frame.h"

namespace tcpgrade {
namespace {

class Warnings {
 public:
  explicit Warnings(const Scenario& scenario) : file_(scenario.where.file) {}

  void add(const SourceLocation& where, std::string message) {
    Diagnostic d;
    d.where = where.line > 0 ? where : SourceLocation{file_, 0, 0};
    d.where.file = file_;
    d.message = "warning: " + message;
    list_.push_back(std::move(d));
  }
  std::vector<Diagnostic> take(std::string_view text) {
    std::stable_sort(list_.begin(), list_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return a.where.line != b.where.line ? a.where.line < b.where.line
                                          : a.where.column < b.where.column;
    });
    for (Diagnostic& d : list_) d.source_line = line_of(text, d.where.line);
    return std::move(list_);
  }

 private:
  static std::string line_of(std::string_view text, int line) {
    if (line <= 0) return "";
    size_t start = 0;
    for (int n = 1; n < line; ++n) {
      start = text.find('\n', start);
      if (start == std::string_view::npos) return "";
      ++start;
    }
    size_t end = text.find('\n', start);
    std::string_view found = text.substr(start, end == std::string_view::npos ? end : end - start);
    if (!found.empty() && found.back() == '\r') found.remove_suffix(1);
    return std::string(found);
  }

  std::string file_;
  std::vector<Diagnostic> list_;
};

std::string points_text(double value) {
  std::string text = fmt::format("{:.2f}", value);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

bool is_syn(const ExpectedFrame& e) {
  return e.flags.kind != FlagsMatchKind::any && (e.flags.flags & tcp_flag::syn);
}

void frame_warnings(Warnings& w, const ExpectedFrame& e) {
  // A SYN's Seq is its ISN, relative 0: there is no previous segment for next to continue.
  if (is_syn(e) && e.seq.kind == MatchKind::next)
    w.add(e.seq.where.line ? e.seq.where : e.where,
          fmt::format("seq: next on a SYN in frame '{}': a SYN starts its side's sequence, so it "
                      "has no previous segment to continue; write seq: 0",
                      e.id));
  if (e.repeat_max > 1 && e.repeat_min != e.repeat_max && e.points > 0)
    w.add(e.where,
          fmt::format("points in frame '{}', which repeats {} to {} times: the frame scores {} "
                      "once, shared by the copies the capture holds, so each copy is worth {} "
                      "to {}; give its points as the whole frame's",
                      e.id, e.repeat_min, e.repeat_max, points_text(e.points),
                      points_text(e.points / e.repeat_max),
                      points_text(e.points / std::max(e.repeat_min, 1))));
}

double variant_points(const FrameVariant& variant) {
  double points = 0;
  for (const ExpectedFrame& e : variant.frames) points += e.points;
  return points;
}

}  // namespace

std::vector<Diagnostic> scenario_warnings(const Scenario& scenario, std::string_view yaml_text) {
  Warnings w(scenario);
  for (const ExpectedFrame& e : scenario.frames) frame_warnings(w, e);
  for (const FrameChoice& choice : scenario.choices) {
    for (const FrameVariant& variant : choice.variants)
      for (const ExpectedFrame& e : variant.frames) frame_warnings(w, e);
    const FrameVariant& first = choice.variants.front();
    for (const FrameVariant& variant : choice.variants)
      if (std::abs(variant_points(variant) - variant_points(first)) > 1e-9) {
        w.add(variant.where,
              fmt::format("variant '{}' is worth {} points and variant '{}' {}: the maximum "
                          "would depend on the order the capture shows; give every variant of "
                          "a choice the same total (the first one's counts)",
                          variant.name, points_text(variant_points(variant)), first.name,
                          points_text(variant_points(first))));
      }
  }
  Selection select = scenario.conversation.select;
  if ((select == Selection::each || select == Selection::all) &&
      (!scenario.frames.empty() || !scenario.choices.empty() || !scenario.streams.empty()))
    w.add({},
          "conversation.select: each grades every connection and adds up their points, so the "
          "maximum grows with the connections the capture holds; use first or best for a "
          "fixed maximum");
  if (scenario.scoring.unexpected_frame <= 0)
    w.add({},
          "scoring.unexpected_frame: 0 lets a frame the scenario does not expect fail without "
          "costing points, so a capture can fail at full points; tolerate such frames with "
          "noise: or rest: ignore instead");
  return w.take(yaml_text);
}

}  // namespace tcpgrade
