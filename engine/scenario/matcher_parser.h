// Reading the matchers of a scenario: numeric fields (seq: next, len: {min: 1}) and flags.
// option_parser.h and text_matcher_parser.h read the others. Part of the scenario loader:
// errors go to the scope's Diagnostics and the matcher reads as `any`, so loading goes on.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario.h"
#include "scenario/scenario_files.h"
#include "scenario/scenario_limits.h"
#include "scenario/yaml_fields.h"

namespace tcpgrade {

// How a numeric field may be matched: its width and the relations that make sense for it.
struct NumberSpec {
  std::string what;             // "a 32-bit sequence number": named in range errors
  int64_t max = 0;              // the field holds 0..max
  bool may_be_absent = false;   // ack, ack_raw, options: present / absent make sense
  bool presence_only = false;   // sack_perm, ts: only present, absent or any
  bool zero_is_absent = false;  // sack: 0 blocks is no SACK option at all
  bool next = false, same_as = false, isn_plus = false;
};

// A same_as reference, checked once every frame id is known.
struct FrameReference {
  std::string target;  // the frame referred to
  std::string label;   // "seq in frame 'ack'", for the message
  YAML::Mark mark;
};

// What reading a matcher needs to know of the scenario being loaded.
struct MatcherScope {
  Diagnostics& diagnostics;
  const ScenarioLimits& limits;
  std::string base_dir;         // `file:` paths are relative to the scenario file's folder
  ScenarioFiles& files;         // what `file:` keys read, each file once
  std::string profile = "any";  // the profile's name, for messages
  // The profile's values after overrides; null when the profile is unknown (already
  // reported: profile.NAME is then not checked again).
  const std::map<std::string, int64_t>* profile_values = nullptr;
  const std::map<std::string, ProfileRange>* profile_ranges = nullptr;  // ws: 7..14, ...
  std::string frame_id = "";  // the frame being read: same_as may not refer to it
  size_t file_limit = 0;      // a `file:`'s limit; 0: --max-text-file-bytes (see ScenarioFiles)
  std::vector<FrameReference> references = {};
};

Matcher parse_matcher(MatcherScope& scope, const Field& field, const NumberSpec& spec);
// [SYN, ACK], "SYN, ACK", any, or {includes: [ACK], excludes: [SYN, RST]}.
FlagsMatcher parse_flags(MatcherScope& scope, const Field& field);

}  // namespace tcpgrade
