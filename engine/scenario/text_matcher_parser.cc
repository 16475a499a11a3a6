#include "scenario/text_matcher_parser.h"

#include <fmt/format.h>

#include <memory>

#include "scenario/scenario_files.h"
#include "util/terminal_text.h"
#include "util/text_regex.h"

namespace tcpgrade {
namespace {

// Compiled as check compiles it (matcher_eval.cc), so lint rejects what check could not use.
bool check_regex(Diagnostics& d, const Field& field, const std::string& pattern,
                 const ScenarioLimits& limits) {
  if (pattern.size() > limits.max_regex_bytes) {
    d.error(field.mark, fmt::format("{}: the regex is {} characters, longer than the limit of {}",
                                    field.label(), pattern.size(), limits.max_regex_bytes));
    return false;
  }
  if (std::optional<std::string> problem = TextRegex::problem(pattern)) {
    d.error(field.mark,
            fmt::format("{}: invalid regex {}: {}", field.label(), quote(pattern), *problem));
    return false;
  }
  return true;
}

}  // namespace

const std::vector<std::string>& text_kinds() {
  static const std::vector<std::string> kinds = {"equals", "contains", "regex", "file"};
  return kinds;
}

TextMatcher parse_text_kind(MatcherScope& scope, std::string_view kind, const Field& value) {
  Diagnostics& d = scope.diagnostics;
  TextMatcher m;
  m.where = d.locate(value.mark);
  std::optional<std::string> text = read_text(d, value);
  if (!text) return m;
  if (kind == "equals") {
    m.kind = TextMatchKind::equals;
    m.text = *text;
  } else if (kind == "contains") {
    if (text->empty()) {
      d.error(value.mark, fmt::format("{}: an empty text is found in anything; give the text "
                                      "to look for",
                                      value.label()));
      return m;
    }
    m.kind = TextMatchKind::contains;
    m.text = *text;
  } else if (kind == "regex") {
    if (text->empty()) {
      d.error(value.mark,
              fmt::format("{}: an empty regex matches anything; give a pattern", value.label()));
      return m;
    }
    if (!check_regex(d, value, *text, scope.limits)) return m;
    m.kind = TextMatchKind::regex;
    m.text = *text;
  } else {
    if (text->empty()) {
      d.error(value.mark, fmt::format("{}: expected a file name; got nothing", value.label()));
      return m;
    }
    std::string problem;
    std::shared_ptr<const std::string> bytes = scope.files.read(*text, problem, scope.file_limit);
    if (!bytes) {
      d.error(value.mark, fmt::format("{}: {}", value.label(), problem));
      return m;
    }
    m.kind = TextMatchKind::equals_file;
    m.file = *text;
    m.file_bytes = std::move(bytes);
  }
  return m;
}

TextMatcher parse_text_matcher(MatcherScope& scope, const Field& field) {
  Diagnostics& d = scope.diagnostics;
  if (field.node.IsScalar()) return parse_text_kind(scope, "contains", field);
  MapReader map(d, field, text_kinds(),
                "a text, or a map with one of equals, contains, regex or file");
  if (!map.is_map()) return {};
  if (map.count(text_kinds()) == 0 && !map.clean()) return {};
  if (map.count(text_kinds()) != 1) {
    d.error(field.mark, fmt::format("{}: give {} of equals, contains, regex or file", field.label(),
                                    map.count(text_kinds()) ? "only one" : "one"));
    return {};
  }
  for (const std::string& kind : text_kinds())
    if (std::optional<Field> value = map.get(kind)) return parse_text_kind(scope, kind, *value);
  return {};
}

}  // namespace tcpgrade
