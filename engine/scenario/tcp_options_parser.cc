#include "scenario/tcp_options_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "capture/decoded_frame.h"
#include "util/did_you_mean.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

constexpr size_t max_options = 40;  // 40 bytes of options hold at most 40 one-byte NOPs

// Wireshark's short names for option kinds, as check reports print them.
struct OptionName {
  const char* name;
  uint8_t kind;
};
constexpr OptionName option_table[] = {
    {"EOL", tcp_option::eol},
    {"NOP", tcp_option::nop},
    {"MSS", tcp_option::mss},
    {"WS", tcp_option::window_scale},
    {"SACK_PERM", tcp_option::sack_permitted},
    {"SACK", tcp_option::sack},
    {"TS", tcp_option::timestamps},
    {"MD5", tcp_option::md5},
    {"UTO", tcp_option::user_timeout},
    {"AO", tcp_option::tcp_ao},
    {"MPTCP", tcp_option::mptcp},
    {"TFO", tcp_option::fast_open},
};

const NumberSpec mss_spec{"an MSS (16 bits)", 0xffff, true};
const NumberSpec ws_spec{"a window scale shift", 14, true};
const NumberSpec presence_spec{"a presence flag", 1, true, true};
const NumberSpec timestamp_spec{"a 32-bit timestamp", 0xffffffffLL, true};
const NumberSpec sack_spec{"a count of SACK blocks", 4, true, false, true};

std::optional<uint8_t> option_kind(Diagnostics& d, const Field& item) {
  std::optional<std::string> text = read_text(d, item);
  if (!text) return std::nullopt;
  std::string name = *text;
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const OptionName& option : option_table)
    if (name == option.name) return option.kind;
  if (std::optional<int64_t> kind = parse_integer(*text); kind && *kind >= 0 && *kind <= 255)
    return static_cast<uint8_t>(*kind);
  std::vector<std::string> names;
  for (const OptionName& option : option_table) names.push_back(option.name);
  std::string suggestion = did_you_mean(*text, names);
  d.error(item.mark,
          fmt::format("{}: unknown option {}{}", item.label(), quote(*text),
                      suggestion.empty() ? fmt::format(" (options are {}, or a kind number 0..255)",
                                                       and_list(names))
                                         : suggestion));
  return std::nullopt;
}

// order: [MSS, SACK_PERM, TS, NOP, WS] (exact, NOPs included) or {set: [MSS, WS]}.
void parse_order(Diagnostics& d, const Field& field, OptionsExpectation& options) {
  Field list = field;
  if (field.node.IsMap()) {
    MapReader map(d, field, {"set"});
    std::optional<Field> set = map.require("set", "the options in any order");
    if (!set) return;
    list = *set;
    options.order_set = true;
  }
  if (!list.node.IsSequence()) {
    d.error(list.mark, fmt::format("{}: expected a list of options such as [MSS, NOP, WS] or "
                                   "{{set: [MSS, WS]}}; got {}",
                                   list.label(), describe_value(list.node)));
    return;
  }
  if (list.node.size() > max_options) {
    d.error(list.mark, fmt::format("{}: {} options cannot fit in a TCP header (at most {})",
                                   list.label(), list.node.size(), max_options));
    return;
  }
  bool ok = true;
  for (const YAML::Node& element : list.node) {
    Field item = list.element(element);
    std::optional<uint8_t> kind = option_kind(d, item);
    if (!kind) {
      ok = false;
      continue;
    }
    bool padding = *kind == tcp_option::nop || *kind == tcp_option::eol;
    if (options.order_set && padding) {
      d.error(item.mark, fmt::format("{}: a set ignores NOP and EOL padding; remove {}",
                                     list.label(), quote(element.Scalar())));
      ok = false;
    } else if (options.order_set && std::count(options.order.begin(), options.order.end(), *kind)) {
      d.error(item.mark,
              fmt::format("{}: {} is listed twice", list.label(), quote(element.Scalar())));
      ok = false;
    }
    options.order.push_back(*kind);
  }
  options.order_given = ok;
  if (!ok) options.order.clear();
}

void parse_timestamps(MatcherScope& scope, const Field& field, OptionsExpectation& options) {
  if (!field.node.IsMap()) {
    options.ts = parse_matcher(scope, field, presence_spec);
    return;
  }
  // {tsval: any, tsecr: 0}: the option must be sent, and its values are judged.
  MapReader map(scope.diagnostics, field, {"tsval", "tsecr"});
  options.ts.kind = MatchKind::present;
  options.ts.where = scope.diagnostics.locate(field.mark);
  if (std::optional<Field> tsval = map.get("tsval"))
    options.tsval = parse_matcher(scope, *tsval, timestamp_spec);
  if (std::optional<Field> tsecr = map.get("tsecr"))
    options.tsecr = parse_matcher(scope, *tsecr, timestamp_spec);
}

}  // namespace

OptionsExpectation parse_options(MatcherScope& scope, const Field& field) {
  OptionsExpectation options;
  MapReader map(scope.diagnostics, field, {"mss", "ws", "sack_perm", "ts", "sack", "order"},
                "a map of TCP options (mss, ws, sack_perm, ts, sack, order)");
  if (std::optional<Field> mss = map.get("mss")) options.mss = parse_matcher(scope, *mss, mss_spec);
  if (std::optional<Field> ws = map.get("ws")) options.ws = parse_matcher(scope, *ws, ws_spec);
  if (std::optional<Field> sack_perm = map.get("sack_perm"))
    options.sack_perm = parse_matcher(scope, *sack_perm, presence_spec);
  if (std::optional<Field> ts = map.get("ts")) parse_timestamps(scope, *ts, options);
  if (std::optional<Field> sack = map.get("sack"))
    options.sack_blocks = parse_matcher(scope, *sack, sack_spec);
  if (std::optional<Field> order = map.get("order"))
    parse_order(scope.diagnostics, *order, options);
  return options;
}

}  // namespace tcpgrade
