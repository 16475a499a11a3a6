// Reading a `transfer:` or `teardown:` block of a scenario's frame list (scenario_block.h) for
// the scenario loader: `- transfer: {id: download, dir: server->client, bytes: 2097152}`.
#pragma once

#include <string>
#include <vector>

#include "scenario/matcher_parser.h"
#include "scenario/scenario.h"

namespace tcpgrade {

// The block kinds a frame-list entry may start with, and the keys valid in each.
extern const std::vector<std::string> block_kinds, transfer_keys, teardown_keys;

// Whether the entry is a block (a map whose key is transfer or teardown).
bool is_block_entry(const YAML::Node& node);

// Reads the block into `frame` (id, points, teaches, visibility and its `block`); false when
// it has no usable id (already reported). The rest is read and checked anyway.
bool read_block(MatcherScope& scope, const Field& entry, ExpectedFrame& frame);

}  // namespace tcpgrade
