// Reading the scoring keys of a scenario: a frame's (or a block's) `weights:` and
// `all_or_nothing:`, the top-level `scoring:` and `root_causes:`. Part of the scenario loader.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "scenario/scenario.h"
#include "scenario/yaml_fields.h"

namespace tcpgrade {

// The keys read_point_rule reads: an entry of the frame list adds them to its own keys.
extern const std::vector<std::string> point_rule_keys;

// The check fields a weight may name: present, dir, flags, ..., options (every option), payload.
const std::vector<std::string>& weighted_fields();

// weights: {flags: 2, seq: 1}, all_or_nothing: true, from an entry's map.
void read_point_rule(Diagnostics& d, const MapReader& map, PointRule& rule);

// hint: "text" for the whole frame, or {flags: "text", seq: "text"} per check.
void read_frame_hint(Diagnostics& d, const Field& field, std::string& hint,
                     std::map<std::string, std::string>& field_hints);

// scoring: {weights: {present: 0}, unexpected_frame: 0.5}
void read_scoring_policy(Diagnostics& d, const Field& field, ScoringPolicy& policy);

// root_causes: {connection-refused: {title: ..., advice: ...}}; `ids` are the root causes a
// report can show (the check layer's list).
void read_root_cause_texts(Diagnostics& d, const Field& field, const std::vector<std::string>& ids,
                           std::map<std::string, RootCauseText>& texts);

}  // namespace tcpgrade
