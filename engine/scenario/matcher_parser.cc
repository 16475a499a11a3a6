#include "scenario/matcher_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "capture/decoded_frame.h"
#include "util/did_you_mean.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

constexpr int64_t max_u32 = 0xffffffffLL;
const std::string profile_prefix = "profile.";
const std::vector<std::string> same_as_fields = {"seq",           "ack",     "len",    "window",
                                                 "window_scaled", "seq_raw", "ack_raw"};

Matcher of_kind(MatchKind kind) {
  Matcher m;
  m.kind = kind;
  return m;
}

// "a whole number, any, ..., a list of numbers or a map with one_of, ...": what a field takes.
std::string forms(const NumberSpec& spec) {
  if (spec.presence_only) return "present, absent, any or profile.NAME";
  std::vector<std::string> words = {"a whole number", "any"};
  if (spec.may_be_absent) words.insert(words.end(), {"present", "absent"});
  if (spec.next) words.push_back("next");
  words.push_back("profile.NAME");
  words.push_back("a list of numbers");
  std::vector<std::string> keys = {"one_of", "range", "min/max"};
  if (spec.same_as) keys.push_back("same_as");
  if (spec.isn_plus) keys.push_back("isn_plus");
  words.push_back("a map with " + or_list(keys));
  return or_list(words);
}

std::vector<std::string> keywords(const NumberSpec& spec) {
  std::vector<std::string> words = {"any", "present", "absent"};
  if (spec.next) words.push_back("next");
  return words;
}

std::string no_relation(const Field& field, std::string_view relation) {
  if (relation == "next")
    return fmt::format("{}: next is not available here; it applies to the seq and ack of a frame",
                       field.label());
  if (relation == "same_as")
    return fmt::format("{}: same_as is not available here; it applies to the {} of a frame",
                       field.label(), and_list(same_as_fields));
  return fmt::format(
      "{}: isn_plus is not available here; it applies to the seq_raw and ack_raw "
      "of a frame",
      field.label());
}

// A value from the profile: profile.mss. nullopt (and no message) when the profile is unknown.
std::optional<int64_t> profile_value(MatcherScope& scope, const Field& field,
                                     const std::string& text) {
  if (!scope.profile_values) return std::nullopt;
  std::string name = text.substr(profile_prefix.size());
  auto it = scope.profile_values->find(name);
  if (it != scope.profile_values->end()) return it->second;
  std::vector<std::string> names;
  for (const auto& [known, value] : *scope.profile_values) names.push_back(known);
  if (scope.profile_ranges) {
    auto range = scope.profile_ranges->find(name);
    if (range != scope.profile_ranges->end()) {
      scope.diagnostics.error(
          field.mark,
          fmt::format("{}: {} is a range in profile {} ({}..{}: it differs between kernels); "
                      "write it alone, not in a list or range, or give numbers",
                      field.label(), text, quote(scope.profile), range->second.low,
                      range->second.high));
      return std::nullopt;
    }
    for (const auto& [known, value] : *scope.profile_ranges) names.push_back(known);
    std::sort(names.begin(), names.end());
  }
  std::string message = fmt::format("{}: profile {} has no value {}", field.label(),
                                    quote(scope.profile), quote(name));
  if (std::optional<std::string> near = closest_word(name, names))
    message += "; did you mean " + quote(profile_prefix + *near) + "?";
  else if (names.empty())
    message += " (it has no values; give them in profile_overrides)";
  else
    message += fmt::format(" (its values: {})", and_list(names));
  scope.diagnostics.error(field.mark, message);
  return std::nullopt;
}

// A number where a matcher needs one: a literal or profile.NAME, within the field's range.
std::optional<int64_t> read_number(MatcherScope& scope, const Field& field,
                                   const NumberSpec& spec) {
  Diagnostics& d = scope.diagnostics;
  if (!field.node.IsScalar()) {
    d.error(field.mark, fmt::format("{}: expected a whole number or profile.NAME; got {}",
                                    field.label(), describe_value(field.node)));
    return std::nullopt;
  }
  const std::string& text = field.node.Scalar();
  bool from_profile = text.rfind(profile_prefix, 0) == 0;
  std::optional<int64_t> value =
      from_profile ? profile_value(scope, field, text) : parse_integer(text);
  if (!value) {
    if (!from_profile)
      d.error(field.mark, fmt::format("{}: expected a whole number or profile.NAME; got {}",
                                      field.label(), quote(text)));
    return std::nullopt;
  }
  if (*value < 0 || *value > spec.max) {
    d.error(field.mark, from_profile ? fmt::format("{}: {} is {}, which does not fit {} (0..{})",
                                                   field.label(), text, *value, spec.what, spec.max)
                                     : fmt::format("{}: {} does not fit {} (0..{})", field.label(),
                                                   text, spec.what, spec.max));
    return std::nullopt;
  }
  return value;
}

Matcher exact_or_presence(int64_t value, const NumberSpec& spec) {
  if (spec.presence_only) return of_kind(value ? MatchKind::present : MatchKind::absent);
  if (spec.zero_is_absent && value == 0) return of_kind(MatchKind::absent);
  Matcher m = of_kind(MatchKind::exact);
  m.value = value;
  return m;
}

std::optional<Matcher> parse_scalar(MatcherScope& scope, const Field& field,
                                    const NumberSpec& spec) {
  Diagnostics& d = scope.diagnostics;
  const std::string& text = field.node.Scalar();
  if (text == "any") return of_kind(MatchKind::any);
  if (text == "present" || text == "absent") {
    if (spec.may_be_absent || spec.presence_only)
      return of_kind(text == "present" ? MatchKind::present : MatchKind::absent);
    d.error(field.mark, fmt::format("{}: every segment has this field, so {} cannot judge it; "
                                    "write any or a value",
                                    field.label(), text));
    return std::nullopt;
  }
  if (text == "next") {
    if (spec.next) return of_kind(MatchKind::next);
    d.error(field.mark, no_relation(field, "next"));
    return std::nullopt;
  }
  if (text.rfind(profile_prefix, 0) == 0 && scope.profile_ranges && !spec.presence_only) {
    auto range = scope.profile_ranges->find(text.substr(profile_prefix.size()));
    if (range != scope.profile_ranges->end()) {  // a value that differs between kernels
      Matcher m = of_kind(MatchKind::range);
      m.low = range->second.low;
      m.high = std::min(range->second.high, spec.max);
      return m;
    }
  }
  bool number = text.rfind(profile_prefix, 0) == 0 || parse_integer(text).has_value();
  if (number && !(spec.presence_only && text.rfind(profile_prefix, 0) != 0)) {
    std::optional<int64_t> value = read_number(scope, field, spec);
    if (!value) return std::nullopt;
    return exact_or_presence(*value, spec);
  }
  d.error(field.mark, fmt::format("{}: expected {}; got {}{}", field.label(), forms(spec),
                                  quote(text), did_you_mean(text, keywords(spec))));
  return std::nullopt;
}

std::optional<Matcher> parse_one_of(MatcherScope& scope, const Field& field,
                                    const NumberSpec& spec) {
  if (field.node.size() == 0) {
    scope.diagnostics.error(field.mark, fmt::format("{}: an empty list matches nothing; list the "
                                                    "values a frame may have",
                                                    field.label()));
    return std::nullopt;
  }
  Matcher m = of_kind(MatchKind::one_of);
  bool ok = true;
  for (const YAML::Node& element : field.node) {
    std::optional<int64_t> value = read_number(scope, field.element(element), spec);
    if (value) m.values.push_back(*value);
    ok = ok && value.has_value();
  }
  if (!ok) return std::nullopt;
  return m;
}

std::optional<Matcher> parse_range(MatcherScope& scope, const MapReader& map,
                                   const NumberSpec& spec) {
  Diagnostics& d = scope.diagnostics;
  Matcher m = of_kind(MatchKind::range);
  m.low = 0;
  m.high = spec.max;
  if (std::optional<Field> range = map.get("range")) {
    if (!range->node.IsSequence() || range->node.size() != 2) {
      d.error(range->mark, fmt::format("{}: expected [low, high]; got {}", range->label(),
                                       describe_value(range->node)));
      return std::nullopt;
    }
    std::optional<int64_t> low = read_number(scope, range->element(range->node[0]), spec);
    std::optional<int64_t> high = read_number(scope, range->element(range->node[1]), spec);
    if (!low || !high) return std::nullopt;
    if (*low > *high) {
      d.error(range->mark, fmt::format("{}: the range {}..{} is empty (the low bound comes first)",
                                       range->label(), *low, *high));
      return std::nullopt;
    }
    m.low = *low;
    m.high = *high;
    return m;
  }
  std::optional<Field> min = map.get("min"), max = map.get("max");
  std::optional<int64_t> low = min ? read_number(scope, *min, spec) : 0;
  std::optional<int64_t> high = max ? read_number(scope, *max, spec) : spec.max;
  if (!low || !high) return std::nullopt;
  if (*low > *high) {
    d.error((min ? min : max)->mark,
            fmt::format("{}: min {} is greater than max {}", map.field().label(), *low, *high));
    return std::nullopt;
  }
  m.low = *low;
  m.high = *high;
  return m;
}

std::optional<Matcher> parse_same_as(MatcherScope& scope, const Field& field,
                                     const NumberSpec& spec) {
  Diagnostics& d = scope.diagnostics;
  if (!spec.same_as) {
    d.error(field.mark, no_relation(field, "same_as"));
    return std::nullopt;
  }
  std::optional<std::string> text = read_text(d, field);
  if (!text) return std::nullopt;
  size_t dot = text->rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == text->size()) {
    d.error(field.mark, fmt::format("{}: expected FRAME.FIELD, e.g. syn.seq; got {}", field.label(),
                                    quote(*text)));
    return std::nullopt;
  }
  Matcher m = of_kind(MatchKind::same_as);
  m.reference_frame = text->substr(0, dot);
  m.reference_field = text->substr(dot + 1);
  if (std::find(same_as_fields.begin(), same_as_fields.end(), m.reference_field) ==
      same_as_fields.end()) {
    d.error(field.mark,
            fmt::format("{}: same_as cannot compare with field {}; fields are {}{}", field.label(),
                        quote(m.reference_field), and_list(same_as_fields),
                        did_you_mean(m.reference_field, same_as_fields)));
    return std::nullopt;
  }
  if (m.reference_frame == scope.frame_id) {
    d.error(field.mark, fmt::format("{}: same_as refers to the frame itself", field.label()));
    return std::nullopt;
  }
  scope.references.push_back({m.reference_frame, field.label(), field.mark});
  return m;
}

std::optional<Matcher> parse_map(MatcherScope& scope, const Field& field, const NumberSpec& spec) {
  Diagnostics& d = scope.diagnostics;
  MapReader map(d, field, {"one_of", "range", "min", "max", "same_as", "isn_plus"});
  int given = map.count({"one_of", "range", "same_as", "isn_plus"}) +
              (map.has("min") || map.has("max") ? 1 : 0);
  if (given == 0 && !map.clean()) return std::nullopt;  // the unknown key says it all
  if (given != 1) {
    d.error(field.mark,
            fmt::format("{}: {} one of one_of, range, min/max, same_as or isn_plus{}",
                        field.label(), given ? "give only" : "give", given ? ", not several" : ""));
    return std::nullopt;
  }
  if (std::optional<Field> one_of = map.get("one_of")) {
    if (one_of->node.IsSequence()) return parse_one_of(scope, *one_of, spec);
    d.error(one_of->mark, fmt::format("{}: expected a list of numbers; got {}", one_of->label(),
                                      describe_value(one_of->node)));
    return std::nullopt;
  }
  if (std::optional<Field> same_as = map.get("same_as"))
    return parse_same_as(scope, *same_as, spec);
  if (std::optional<Field> isn_plus = map.get("isn_plus")) {
    if (!spec.isn_plus) {
      d.error(isn_plus->mark, no_relation(field, "isn_plus"));
      return std::nullopt;
    }
    std::optional<int64_t> offset = read_number(scope, *isn_plus, {"a 32-bit offset", max_u32});
    if (!offset) return std::nullopt;
    Matcher m = of_kind(MatchKind::isn_plus);
    m.value = *offset;
    return m;
  }
  return parse_range(scope, map, spec);
}

// ---- Flags ----------------------------------------------------------------------------------

struct FlagName {
  const char* name;
  uint16_t bit;
};
constexpr FlagName flag_table[] = {
    {"FIN", tcp_flag::fin}, {"SYN", tcp_flag::syn}, {"RST", tcp_flag::rst}, {"PSH", tcp_flag::psh},
    {"ACK", tcp_flag::ack}, {"URG", tcp_flag::urg}, {"ECE", tcp_flag::ece}, {"CWR", tcp_flag::cwr},
    {"AE", tcp_flag::ae},   {"NS", tcp_flag::ae},  // the AE bit's name before RFC 9768
};

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// Words of a flag list: [SYN, ACK] or "SYN, ACK" or "SYN ACK".
std::optional<std::vector<std::pair<std::string, Field>>> flag_words(Diagnostics& d,
                                                                     const Field& field) {
  std::vector<std::pair<std::string, Field>> words;
  if (field.node.IsSequence()) {
    for (const YAML::Node& element : field.node) {
      Field item = field.element(element);
      std::optional<std::string> text = read_text(d, item);
      if (!text) return std::nullopt;
      words.emplace_back(*text, item);
    }
    return words;
  }
  if (field.node.IsScalar()) {
    std::string text = field.node.Scalar();
    for (char& c : text)
      if (c == ',') c = ' ';
    size_t start = 0;
    while ((start = text.find_first_not_of(" \t", start)) != std::string::npos) {
      size_t end = text.find_first_of(" \t", start);
      words.emplace_back(text.substr(start, end - start), field);
      start = end;
    }
    if (!words.empty()) return words;
  }
  d.error(field.mark, fmt::format("{}: expected flag names such as [SYN, ACK] or \"SYN, ACK\"; "
                                  "got {}",
                                  field.label(), describe_value(field.node)));
  return std::nullopt;
}

std::optional<uint16_t> flag_bits(Diagnostics& d, const Field& field) {
  std::optional<std::vector<std::pair<std::string, Field>>> words = flag_words(d, field);
  if (!words) return std::nullopt;
  std::vector<std::string> names;
  for (const FlagName& flag : flag_table)
    if (std::string_view(flag.name) != "NS") names.push_back(flag.name);
  uint16_t bits = 0;
  bool ok = true;
  for (const auto& [word, item] : *words) {
    const FlagName* found = nullptr;
    for (const FlagName& flag : flag_table)
      if (upper(word) == flag.name) found = &flag;
    if (!found) {
      std::string suggestion = did_you_mean(word, names);
      d.error(item.mark,
              fmt::format("{}: unknown flag {}{}", field.label(), quote(word),
                          suggestion.empty() ? fmt::format(" (flags are {})", and_list(names))
                                             : suggestion));
      ok = false;
    } else if (bits & found->bit) {
      d.error(item.mark, fmt::format("{}: flag {} is listed twice", field.label(), quote(word)));
      ok = false;
    }
    if (found) bits |= found->bit;
  }
  if (!ok) return std::nullopt;
  return bits;
}

}  // namespace

Matcher parse_matcher(MatcherScope& scope, const Field& field, const NumberSpec& spec) {
  std::optional<Matcher> m;
  if (field.node.IsScalar()) {
    m = parse_scalar(scope, field, spec);
  } else if (field.node.IsSequence() && !spec.presence_only) {
    m = parse_one_of(scope, field, spec);
  } else if (field.node.IsMap() && !spec.presence_only) {
    m = parse_map(scope, field, spec);
  } else {
    scope.diagnostics.error(field.mark, fmt::format("{}: expected {}; got {}", field.label(),
                                                    forms(spec), describe_value(field.node)));
  }
  Matcher result = m.value_or(Matcher{});
  result.where = scope.diagnostics.locate(field.mark);
  return result;
}

FlagsMatcher parse_flags(MatcherScope& scope, const Field& field) {
  Diagnostics& d = scope.diagnostics;
  FlagsMatcher flags;
  flags.where = d.locate(field.mark);
  if (field.node.IsScalar() && field.node.Scalar() == "any") return flags;
  if (!field.node.IsMap()) {
    if (field.node.IsSequence() && field.node.size() == 0) {
      flags.kind = FlagsMatchKind::exact;  // [] is a segment with no flag set
      return flags;
    }
    std::optional<uint16_t> bits = flag_bits(d, field);
    if (bits) {
      flags.kind = FlagsMatchKind::exact;
      flags.flags = *bits;
    }
    return flags;
  }
  MapReader map(d, field, {"includes", "excludes"});
  std::optional<Field> includes = map.get("includes"), excludes = map.get("excludes");
  if (!includes && !excludes) {
    if (!map.clean()) return flags;
    d.error(field.mark, fmt::format("{}: give includes, excludes or both", field.label()));
    return flags;
  }
  std::optional<uint16_t> in = includes ? flag_bits(d, *includes) : uint16_t{0};
  std::optional<uint16_t> out = excludes ? flag_bits(d, *excludes) : uint16_t{0};
  if (!in || !out) return flags;
  for (const FlagName& flag : flag_table)
    if (*in & *out & flag.bit) {
      d.error(field.mark,
              fmt::format("{}: {} is both included and excluded", field.label(), quote(flag.name)));
      return flags;
    }
  flags.kind = FlagsMatchKind::includes;
  flags.flags = *in;
  flags.excluded = *out;
  return flags;
}

}  // namespace tcpgrade
