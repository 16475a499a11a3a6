#include "scenario/scenario_params.h"

#include <fmt/format.h>

#include <cstdint>

#include "util/fnv_hash.h"

namespace tcpgrade {
namespace {

constexpr size_t max_param_id_bytes = 64;

bool is_param_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// FNV-1a, then a 64-bit finaliser (SplitMix64's) so that neighbouring student ids land far
// apart: the low bits pick the value.
uint64_t keyed_hash(std::string_view secret, std::string_view student, std::string_view name) {
  uint64_t h = fnv1a_offset_basis;
  auto mix = [&h](std::string_view bytes) {
    h = fnv1a_mix(fnv1a(bytes, h), 0xff);  // 0xff: a separator no text byte can imitate
  };
  mix(secret);
  mix(student);
  mix(name);
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

std::optional<ScenarioParam> read_param(Diagnostics& d, const Field& entry, std::string name) {
  ScenarioParam param;
  param.name = std::move(name);
  if (entry.node.IsScalar()) {  // name: DEFAULT
    param.default_value = entry.node.Scalar();
    return param;
  }
  MapReader map(d, entry, {"default", "describe", "choices", "range"},
                "a map (default: VALUE, describe: TEXT, choices: [...] or range: [LOW, HIGH])");
  if (!map.is_map()) return std::nullopt;
  if (std::optional<Field> value = map.require("default", "the value a plain check uses"))
    param.default_value = read_text(d, *value).value_or("");
  if (std::optional<Field> describe = map.get("describe"))
    param.describe = read_text(d, *describe).value_or("");
  std::optional<Field> choices = map.get("choices");
  std::optional<Field> range = map.get("range");
  if (choices && range)
    d.error(range->mark, fmt::format("{}: give choices or a range, not both", entry.label()));
  if (choices) {
    if (!choices->node.IsSequence() || choices->node.size() == 0) {
      d.error(choices->mark, fmt::format("{}: expected a list of values; got {}", choices->label(),
                                         describe_value(choices->node)));
    } else {
      for (const YAML::Node& value : choices->node)
        if (std::optional<std::string> text = read_text(d, choices->element(value)))
          param.choices.push_back(*text);
    }
  }
  if (range && !choices) {
    if (!range->node.IsSequence() || range->node.size() != 2) {
      d.error(range->mark, fmt::format("{}: expected [LOW, HIGH]; got {}", range->label(),
                                       describe_value(range->node)));
    } else {
      std::optional<int64_t> low =
          read_integer(d, range->element(range->node[0]), 0, INT32_MAX, "a whole number");
      std::optional<int64_t> high =
          read_integer(d, range->element(range->node[1]), 0, INT32_MAX, "a whole number");
      if (low && high && *low > *high)
        d.error(range->mark,
                fmt::format("{}: LOW {} is above HIGH {}", range->label(), *low, *high));
      else if (low && high)
        param.range = std::pair(*low, *high);
    }
  }
  return param;
}

// `text` with each ${name} replaced; unknown names reported at `mark`.
std::string substituted(Diagnostics& d, const std::string& text, const YAML::Mark& mark,
                        const std::vector<ScenarioParam>& params) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find("${", i);
    if (open == std::string::npos) break;
    size_t end = open + 2;
    while (end < text.size() && is_param_char(text[end])) ++end;
    if (end == open + 2 || end >= text.size() || text[end] != '}') {  // not a reference
      out.append(text, i, open + 2 - i);
      i = open + 2;
      continue;
    }
    std::string name = text.substr(open + 2, end - open - 2);
    out.append(text, i, open - i);
    const ScenarioParam* found = nullptr;
    for (const ScenarioParam& p : params)
      if (p.name == name) found = &p;
    if (found) {
      out += found->value;
    } else {
      std::vector<std::string> names;
      for (const ScenarioParam& p : params) names.push_back(p.name);
      d.error(mark, fmt::format("unknown parameter '${{{}}}': {}", name,
                                names.empty() ? std::string("the scenario declares no params:")
                                              : "params: declares " + and_list(names)));
      out.append(text, open, end + 1 - open);
    }
    i = end + 1;
  }
  if (i == 0) return text;
  out.append(text, i, std::string::npos);
  return out;
}

void substitute_in(Diagnostics& d, YAML::Node node, const std::vector<ScenarioParam>& params,
                   bool top) {
  if (node.IsScalar()) {
    const std::string& text = node.Scalar();
    if (text.find("${") == std::string::npos) return;
    std::string replaced = substituted(d, text, node.Mark(), params);
    if (replaced != text) node = replaced;
    return;
  }
  if (node.IsSequence()) {
    for (YAML::Node child : node) substitute_in(d, child, params, false);
    return;
  }
  if (node.IsMap())
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (top && it->first.IsScalar() && it->first.Scalar() == "params") continue;
      substitute_in(d, it->second, params, false);
    }
}

}  // namespace

std::vector<ScenarioParam> read_params(Diagnostics& d, const Field& params,
                                       const ParamValues& given) {
  std::vector<ScenarioParam> out;
  if (!params.node.IsMap()) {
    d.error(params.mark, fmt::format("params: expected a map of parameters (port: {{default: "
                                     "8002, range: [8100, 8899]}}); got {}",
                                     describe_value(params.node)));
    return out;
  }
  for (auto it = params.node.begin(); it != params.node.end(); ++it) {
    std::string name = it->first.IsScalar() ? it->first.Scalar() : "";
    Field entry = params.child(name, it->second, it->first.Mark());
    entry.place = fmt::format("parameter '{}'", name);
    entry.name.clear();
    if (!is_valid_id(name, max_param_id_bytes)) {
      d.error(it->first.Mark(), fmt::format("params: '{}' is not a parameter name (letters a-z, "
                                            "digits, _ and -)",
                                            name));
      continue;
    }
    if (std::optional<ScenarioParam> param = read_param(d, entry, name)) {
      auto value = given.find(param->name);
      param->value = value != given.end() ? value->second : param->default_value;
      out.push_back(std::move(*param));
    }
  }
  for (const auto& entry : given) {
    bool declared = false;
    for (const ScenarioParam& p : out) declared = declared || p.name == entry.first;
    if (!declared) {
      std::vector<std::string> names;
      for (const ScenarioParam& p : out) names.push_back(p.name);
      d.error(params.mark, fmt::format("a value is given for parameter '{}', which params: does "
                                       "not declare ({})",
                                       entry.first, names.empty() ? "none" : and_list(names)));
    }
  }
  return out;
}

void substitute_params(Diagnostics& d, YAML::Node& root, const std::vector<ScenarioParam>& params) {
  substitute_in(d, root, params, true);
}

ParamValues derive_param_values(const std::vector<ScenarioParam>& params, std::string_view secret,
                                std::string_view student) {
  ParamValues values;
  for (const ScenarioParam& p : params) {
    uint64_t h = keyed_hash(secret, student, p.name);
    if (!p.choices.empty())
      values[p.name] = p.choices[h % p.choices.size()];
    else if (p.range)
      values[p.name] = std::to_string(
          p.range->first +
          static_cast<int64_t>(h % static_cast<uint64_t>(p.range->second - p.range->first + 1)));
    else
      values[p.name] = p.default_value;
  }
  return values;
}

std::optional<std::pair<std::string, std::string>> parse_param_assignment(std::string_view text) {
  size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) return std::nullopt;
  return std::pair(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
}

}  // namespace tcpgrade
