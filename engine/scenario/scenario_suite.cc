#include "scenario/scenario_suite.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "scenario/scenario_loader.h"
#include "scenario/yaml_fields.h"
#include "scenario/yaml_prescan.h"
#include "util/small_file.h"

namespace tcpgrade {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> top_keys = {"suite", "scenario", "cases"};
const std::vector<std::string> case_keys = {"name",   "scenario",   "capture",
                                            "expect", "fails",      "root_causes",
                                            "points", "max_points", "error_contains"};

class SuiteReader {
 public:
  SuiteReader(Diagnostics& d, const ScenarioLimits& limits, std::string base_dir)
      : d_(d), limits_(limits), base_dir_(std::move(base_dir)) {}

  ScenarioSuite read(const YAML::Node& root) {
    ScenarioSuite suite;
    suite.file = d_.file();
    MapReader top(d_, {"", "", root, root.Mark()}, top_keys,
                  "a map at the top level (suite: NAME, scenario: FILE, cases: [...])");
    if (!top.is_map()) return suite;
    if (std::optional<Field> name = top.require("suite", "its name, e.g. suite: http-lab"))
      suite.name = read_id(d_, *name, limits_.max_id_bytes).value_or("");
    std::string default_scenario;
    if (std::optional<Field> scenario = top.get("scenario"))
      default_scenario = read_path(*scenario);
    std::optional<Field> cases = top.require("cases", "a list of captures and what they give");
    if (!cases) return suite;
    if (!cases->node.IsSequence()) {
      d_.error(cases->mark, fmt::format("{}: expected a list of cases, got {}", cases->label(),
                                        describe_value(cases->node)));
      return suite;
    }
    if (cases->node.size() == 0) d_.error(cases->mark, "cases: the suite has no case");
    std::set<std::string> names;
    for (size_t i = 0; i < cases->node.size() && !d_.full(); ++i) {
      Field element = cases->element(cases->node[i]);
      element.name.clear();  // "expect in case #2", not "cases.expect"
      element.place = fmt::format("case #{}", i + 1);
      std::optional<SuiteCase> one = read_case(element, default_scenario);
      if (!one) continue;
      if (!names.insert(one->name + "\n" + one->scenario).second)
        d_.error(element.mark, fmt::format("case #{}: a second case named '{}' for the same "
                                           "scenario; give it a name: that tells them apart",
                                           i + 1, one->name));
      suite.cases.push_back(std::move(*one));
    }
    return suite;
  }

 private:
  std::string read_path(const Field& field) {
    std::optional<std::string> text = read_text(d_, field);
    if (!text || text->empty()) {
      if (text) d_.error(field.mark, fmt::format("{}: the path is empty", field.label()));
      return "";
    }
    fs::path path(*text);
    return (path.is_absolute() ? path : fs::path(base_dir_) / path).lexically_normal().string();
  }

  std::vector<std::string> read_words(const Field& field) {
    std::vector<std::string> words;
    if (field.node.IsScalar()) {  // one word needs no brackets
      if (std::optional<std::string> word = read_text(d_, field)) words.push_back(*word);
      return words;
    }
    if (!field.node.IsSequence()) {
      d_.error(field.mark, fmt::format("{}: expected a list of ids, got {}", field.label(),
                                       describe_value(field.node)));
      return words;
    }
    for (const YAML::Node& node : field.node) {
      Field item = field.element(node);
      if (std::optional<std::string> word = read_text(d_, item)) {
        if (word->empty())
          d_.error(item.mark, fmt::format("{}: an empty id", field.label()));
        else
          words.push_back(*word);
      }
    }
    return words;
  }

  std::optional<PointsRange> read_range(const Field& field) {
    if (field.node.IsScalar()) {
      std::optional<double> value = read_points(d_, field);
      if (!value) return std::nullopt;
      return PointsRange{*value, *value};
    }
    MapReader range(d_, field, {"min", "max"}, "a number of points or {min: N, max: N}");
    if (!range.is_map()) return std::nullopt;
    PointsRange out{0, 1e300};
    if (std::optional<Field> low = range.get("min")) out.low = read_points(d_, *low).value_or(0);
    if (std::optional<Field> high = range.get("max"))
      out.high = read_points(d_, *high).value_or(1e300);
    if (!range.has("min") && !range.has("max"))
      d_.error(field.mark, fmt::format("{}: give min:, max: or both", field.label()));
    else if (out.low > out.high)
      d_.error(field.mark,
               fmt::format("{}: min {} is more than max {}", field.label(), out.low, out.high));
    return out;
  }

  std::optional<SuiteCase> read_case(const Field& element, const std::string& default_scenario) {
    MapReader map(d_, element, case_keys, "a map (capture: FILE, expect: pass)");
    if (!map.is_map()) return std::nullopt;
    SuiteCase c;
    c.where = d_.locate(element.mark);
    c.scenario = default_scenario;
    if (std::optional<Field> scenario = map.get("scenario")) c.scenario = read_path(*scenario);
    if (c.scenario.empty() && !map.has("scenario"))
      d_.error(element.mark,
               fmt::format("{}: no scenario: give one here or at the top level", element.place));
    if (std::optional<Field> capture = map.require("capture", "the capture file to grade"))
      c.capture = read_path(*capture);
    c.name = fs::path(c.capture).filename().string();
    if (std::optional<Field> name = map.get("name")) c.name = read_text(d_, *name).value_or("");
    if (std::optional<Field> expect =
            map.require("expect", "pass, fail or error: what grading the capture must give"))
      c.expect = read_choice<SuiteExpectation>(d_, *expect,
                                               {{"pass", SuiteExpectation::pass},
                                                {"fail", SuiteExpectation::fail},
                                                {"error", SuiteExpectation::error}})
                     .value_or(SuiteExpectation::pass);
    if (std::optional<Field> fails = map.get("fails")) c.fails = read_words(*fails);
    if (std::optional<Field> causes = map.get("root_causes")) c.root_causes = read_words(*causes);
    if (std::optional<Field> points = map.get("points")) c.points = read_range(*points);
    if (std::optional<Field> max = map.get("max_points")) c.max_points = read_points(d_, *max);
    if (std::optional<Field> text = map.get("error_contains"))
      c.error_contains = read_text(d_, *text).value_or("");
    // What each expectation can be asked: a passing capture fails no check, a refused one
    // has no checks at all.
    if (c.expect == SuiteExpectation::pass && !c.fails.empty())
      d_.error(element.mark, fmt::format("{}: expect: pass with fails: a passing capture fails "
                                         "no check; write expect: fail",
                                         element.place));
    if (c.expect == SuiteExpectation::error &&
        (!c.fails.empty() || !c.root_causes.empty() || c.points || c.max_points))
      d_.error(element.mark,
               fmt::format("{}: expect: error takes only error_contains: a refused capture has "
                           "no checks, root causes or points",
                           element.place));
    if (c.expect != SuiteExpectation::error && !c.error_contains.empty())
      d_.error(element.mark,
               fmt::format("{}: error_contains goes with expect: error", element.place));
    return c;
  }

  Diagnostics& d_;
  const ScenarioLimits& limits_;
  std::string base_dir_;
};

}  // namespace

const char* to_string(SuiteExpectation expectation) {
  switch (expectation) {
    case SuiteExpectation::pass:
      return "pass";
    case SuiteExpectation::fail:
      return "fail";
    case SuiteExpectation::error:
      return "error";
  }
  return "?";
}

ScenarioSuite parse_suite(const std::string& yaml_text, const std::string& file_name,
                          const ScenarioLimits& limits) {
  Diagnostics d(file_name, yaml_text, limits.max_diagnostics);
  if (!prescan_yaml(yaml_text, limits, d)) throw ScenarioError(d.sorted());
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& error) {
    report_syntax_error(d, error.mark, error.msg);
    throw ScenarioError(d.sorted());
  }
  if (!root.IsDefined() || root.IsNull()) {
    d.file_error("the suite is empty: a suite starts with suite: NAME, then cases: [...]");
    throw ScenarioError(d.sorted());
  }
  std::string base_dir = fs::path(file_name).parent_path().string();
  ScenarioSuite suite = SuiteReader(d, limits, base_dir).read(root);
  if (!d.empty()) throw ScenarioError(d.sorted());
  return suite;
}

ScenarioSuite load_suite(const std::string& path, const ScenarioLimits& limits) {
  std::string reason;
  std::optional<std::string> text = read_small_file(path, limits.max_file_bytes, reason);
  if (!text) {
    Diagnostic unreadable;
    unreadable.where.file = path;
    unreadable.message = "cannot load the suite: " + reason;
    throw ScenarioError({std::move(unreadable)});
  }
  return parse_suite(*text, path, limits);
}

std::vector<std::string> find_suite_files(const std::string& path) {
  std::error_code error;
  if (!fs::is_directory(path, error)) return {path};
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(path, fs::directory_options::none, error), end;
  for (; !error && it != end; it.increment(error)) {
    if (it.depth() > 8) it.disable_recursion_pending();  // no wandering down deep trees
    std::string name = it->path().filename().string();
    bool suite = name == "suite.yaml" || (name.size() > 11 && name.ends_with(".suite.yaml"));
    if (suite && it->is_regular_file(error)) files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace tcpgrade
