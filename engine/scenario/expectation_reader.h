// Reading one entry of a scenario's lists: an expected frame, a stream expectation, a claim.
// Part of the scenario loader (scenario_loader.cc reads the lists and checks ids across them).
#pragma once

#include <string>
#include <vector>

#include "scenario/matcher_parser.h"
#include "scenario/scenario.h"

namespace tcpgrade {

// The keys valid in each entry, in the order the language reference lists them.
extern const std::vector<std::string> frame_keys, stream_keys, claim_keys;

// "frame 'syn'" when the entry has a usable id, else "frame #3" (1-based).
std::string entry_place(const char* kind, const YAML::Node& entry, size_t index,
                        size_t max_id_bytes);

// For an unknown key valid elsewhere: "; 'carries' belongs in a claim".
std::string key_belongs_elsewhere(std::string_view key);

// Each returns false when the entry has no usable id (already reported); the rest is read
// and checked anyway.
// visible, hidden or after_due_date (Gradescope's words); "" after an error.
std::string read_visibility(Diagnostics& d, const Field& field);

bool read_frame(MatcherScope& scope, const Field& entry, ExpectedFrame& frame);
bool read_stream(MatcherScope& scope, const Field& entry, StreamExpectation& stream);
bool read_claim(MatcherScope& scope, const Field& entry, Claim& claim);

}  // namespace tcpgrade
