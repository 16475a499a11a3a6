#include "scenario/scoring_reader.h"

#include <fmt/format.h>

namespace tcpgrade {

const std::vector<std::string> point_rule_keys = {"weights", "all_or_nothing"};

const std::vector<std::string>& weighted_fields() {
  static const std::vector<std::string> fields = {
      "present", "dir",           "phase",   "flags",   "seq",     "ack",    "len",
      "window",  "window_scaled", "seq_raw", "ack_raw", "options", "payload"};
  return fields;
}

namespace {

std::map<std::string, double> read_weights(Diagnostics& d, const Field& field) {
  std::map<std::string, double> weights;
  MapReader map(d, field, weighted_fields(),
                "a map of check fields to weights, e.g. {flags: 2, seq: 1, ack: 1}");
  for (const std::string& name : weighted_fields())
    if (std::optional<Field> weight = map.get(name))
      if (std::optional<double> value = read_points(d, *weight)) weights[name] = *value;
  return weights;
}

}  // namespace

void read_point_rule(Diagnostics& d, const MapReader& map, PointRule& rule) {
  if (std::optional<Field> weights = map.get("weights")) rule.weights = read_weights(d, *weights);
  if (std::optional<Field> all = map.get("all_or_nothing"))
    rule.all_or_nothing = read_bool(d, *all).value_or(false);
}

void read_frame_hint(Diagnostics& d, const Field& field, std::string& hint,
                     std::map<std::string, std::string>& field_hints) {
  if (!field.node.IsMap()) {
    hint = read_text(d, field).value_or("");
    return;
  }
  MapReader map(d, field, weighted_fields(),
                "a text, or a map of check fields to texts, e.g. {flags: ..., seq: ...}");
  for (const std::string& name : weighted_fields())
    if (std::optional<Field> text = map.get(name))
      if (std::optional<std::string> value = read_text(d, *text)) field_hints[name] = *value;
}

void read_scoring_policy(Diagnostics& d, const Field& field, ScoringPolicy& policy) {
  MapReader map(d, field, {"weights", "unexpected_frame"}, "a map (weights, unexpected_frame)");
  if (std::optional<Field> weights = map.get("weights")) policy.weights = read_weights(d, *weights);
  if (std::optional<Field> unexpected = map.get("unexpected_frame"))
    policy.unexpected_frame = read_points(d, *unexpected).value_or(policy.unexpected_frame);
}

void read_root_cause_texts(Diagnostics& d, const Field& field, const std::vector<std::string>& ids,
                           std::map<std::string, RootCauseText>& texts) {
  MapReader map(d, field, ids,
                "a map of root-cause ids to {title, advice}, e.g. {connection-refused: {advice: "
                "...}}");
  for (const std::string& id : ids) {
    std::optional<Field> entry = map.get(id);
    if (!entry) continue;
    MapReader text(d, *entry, {"title", "advice"}, "a map (title, advice)");
    RootCauseText& out = texts[id];
    if (std::optional<Field> title = text.get("title"))
      out.title = read_text(d, *title).value_or("");
    if (std::optional<Field> advice = text.get("advice"))
      out.advice = read_text(d, *advice).value_or("");
    if (text.is_map() && out.title.empty() && out.advice.empty())
      d.error(entry->mark, fmt::format("{}: give a title, an advice or both", entry->label()));
  }
}

}  // namespace tcpgrade
