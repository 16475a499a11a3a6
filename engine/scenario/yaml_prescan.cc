#include "scenario/yaml_prescan.h"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <map>
#include <sstream>

namespace tcpgrade {
namespace {

// Sizes of what an anchor stands for, so an alias costs what it would cost expanded.
struct Extent {
  size_t nodes = 1;
  size_t height = 0;  // maps and lists nested inside, the node itself included
};

class Prescan : public YAML::EventHandler {
 public:
  Prescan(const ScenarioLimits& limits, Diagnostics& d) : limits_(limits), d_(d) {}

  bool failed() const { return failed_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ == 2)
      fail(mark, "the file holds more than one YAML document ('---'); a scenario is one document");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    leaf(mark, anchor);
  }
  void OnAnchor(const YAML::Mark&, const std::string& name) override { next_anchor_name_ = name; }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (failed_) return;
    Extent extent = anchors_[anchor];
    std::string name = fmt::format("*{}", names_[anchor]);
    if (open_.size() + extent.height > limits_.max_depth)
      return fail(
          mark,
          fmt::format("alias {} nests the YAML deeper than {} levels (limit --max-scenario-depth)",
                      name, limits_.max_depth));
    if (!open_.empty()) open_.back().height = std::max(open_.back().height, extent.height);
    if (!add_nodes(extent.nodes))
      fail(mark, fmt::format(
                     "alias {} expands the YAML beyond {} nodes (limit --max-yaml-nodes); aliases "
                     "that repeat each other like this are refused",
                     name, limits_.max_yaml_nodes));
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    YAML::anchor_t anchor;
    size_t nodes_before;  // the running total when the collection opened
    size_t height;        // of its deepest child collection
  };

  void fail(const YAML::Mark& mark, std::string message) {
    if (failed_) return;
    failed_ = true;
    d_.error(mark, std::move(message));
  }

  // Saturating, so a bomb cannot overflow the count.
  bool add_nodes(size_t nodes) {
    total_ =
        std::min(total_ + std::min(nodes, limits_.max_yaml_nodes + 1), limits_.max_yaml_nodes + 1);
    return total_ <= limits_.max_yaml_nodes;
  }

  void name_anchor(YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) names_[anchor] = next_anchor_name_;
  }

  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (failed_) return;
    name_anchor(anchor);
    if (anchor != YAML::NullAnchor) anchors_[anchor] = {1, 0};
    if (!add_nodes(1))
      fail(mark, fmt::format("the YAML has more than {} nodes (limit --max-yaml-nodes)",
                             limits_.max_yaml_nodes));
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (failed_) return;
    name_anchor(anchor);
    if (open_.size() + 1 > limits_.max_depth)
      return fail(mark,
                  fmt::format("the YAML nests deeper than {} levels (limit --max-scenario-depth)",
                              limits_.max_depth));
    open_.push_back({anchor, total_, 0});
    if (!add_nodes(1))
      fail(mark, fmt::format("the YAML has more than {} nodes (limit --max-yaml-nodes)",
                             limits_.max_yaml_nodes));
  }

  void close() {
    if (failed_ || open_.empty()) return;
    Open done = open_.back();
    open_.pop_back();
    Extent extent{total_ - done.nodes_before, done.height + 1};
    if (done.anchor != YAML::NullAnchor) anchors_[done.anchor] = extent;
    if (!open_.empty()) open_.back().height = std::max(open_.back().height, extent.height);
  }

  const ScenarioLimits& limits_;
  Diagnostics& d_;
  bool failed_ = false;
  int documents_ = 0;
  size_t total_ = 0;
  std::vector<Open> open_;
  std::map<YAML::anchor_t, Extent> anchors_;
  std::map<YAML::anchor_t, std::string> names_;
  std::string next_anchor_name_;
};

}  // namespace

void report_syntax_error(Diagnostics& d, const YAML::Mark& mark, const std::string& what) {
  std::string message = "YAML syntax error: " + what;
  if (what == "end of map flow not found" || what == "end of sequence flow not found")
    message += " (a { or [ is never closed)";
  else if (what == "illegal flow end")
    message += " (a } or ] closes nothing, or the other kind of bracket)";
  else if (what == "end of map not found" || what == "end of sequence not found")
    message +=
        " (check the indentation: a line indented deeper than the keys beside it, or a list "
        "item (-) out of line with the others, ends the block early)";
  std::string line = d.line_text(d.locate(mark).line);
  size_t indent = line.find_first_not_of(" \t");
  if (line.substr(0, indent).find('\t') != std::string::npos)
    message += " (this line is indented with a tab; YAML allows only spaces)";
  d.error(mark, message);
}

bool prescan_yaml(const std::string& text, const ScenarioLimits& limits, Diagnostics& d) {
  std::istringstream stream(text);
  Prescan prescan(limits, d);
  try {
    YAML::Parser parser(stream);
    while (!prescan.failed() && parser.HandleNextDocument(prescan)) {
    }
  } catch (const YAML::DeepRecursion& error) {
    // yaml-cpp's own guard (2000 levels) fires only after ours has already reported.
    if (!prescan.failed())
      d.error(error.mark,
              fmt::format("the YAML nests deeper than {} levels (limit --max-scenario-depth)",
                          limits.max_depth));
    return false;
  } catch (const YAML::Exception& error) {  // ParserException, or anything else yaml-cpp throws
    if (!prescan.failed()) report_syntax_error(d, error.mark, error.msg);
    return false;
  }
  return !prescan.failed();
}

}  // namespace tcpgrade
