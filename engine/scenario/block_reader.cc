#include "scenario/block_reader.h"

#include <fmt/format.h>

#include <memory>

#include "scenario/expectation_reader.h"
#include "scenario/scenario_block.h"
#include "scenario/text_matcher_parser.h"

namespace tcpgrade {

const std::vector<std::string> block_kinds = {"transfer", "teardown"};
const std::vector<std::string> transfer_keys = {"id",      "dir",      "bytes",
                                                "payload", "segments", "last_may_carry_fin",
                                                "points",  "teaches",  "visibility"};
const std::vector<std::string> teardown_keys = {"id", "allow_rst_after_fin", "points", "teaches",
                                                "visibility"};

namespace {

const Choices<Direction> block_directions = {
    {"client->server", Direction::client_to_server},
    {"c2s", Direction::client_to_server},
    {"client", Direction::client_to_server},
    {"server->client", Direction::server_to_client},
    {"s2c", Direction::server_to_client},
    {"server", Direction::server_to_client},
};

constexpr int64_t max_bytes = int64_t{1} << 48;
const NumberSpec bytes_spec{.what = "a byte count", .max = max_bytes};
const NumberSpec segments_spec{.what = "a segment count", .max = 0xffffffffLL};

template <typename T>
void read_if(const MapReader& map, std::string_view key, T&& read) {
  if (std::optional<Field> field = map.get(key)) read(*field);
}

// A transfer's direction, byte and segment counts, payload and FIN.
void read_transfer(MatcherScope& scope, const MapReader& map, TransferExpectation& t) {
  Diagnostics& d = scope.diagnostics;
  if (std::optional<Field> dir = map.require("dir",
                                             "the direction the data flows, e.g. "
                                             "dir: server->client"))
    t.direction = read_choice(d, *dir, block_directions).value_or(t.direction);
  read_if(map, "bytes", [&](const Field& f) { t.bytes = parse_matcher(scope, f, bytes_spec); });
  read_if(map, "segments",
          [&](const Field& f) { t.segments = parse_matcher(scope, f, segments_spec); });
  // A download's `file:` may be far larger than a payload's: only the budget of all the
  // scenario's files together limits it.
  scope.file_limit = scope.limits.max_file_bytes_total;
  read_if(map, "payload", [&](const Field& f) { t.payload = parse_text_matcher(scope, f); });
  scope.file_limit = 0;
  read_if(map, "last_may_carry_fin",
          [&](const Field& f) { t.last_may_carry_fin = read_bool(d, f).value_or(false); });
}

}  // namespace

bool is_block_entry(const YAML::Node& node) {
  if (!node.IsMap() || node.size() != 1) return false;
  YAML::Node key = node.begin()->first;  // a copy: the iterator's pair is a temporary
  return key.IsScalar() && (key.Scalar() == "transfer" || key.Scalar() == "teardown");
}

bool read_block(MatcherScope& scope, const Field& entry, ExpectedFrame& frame) {
  Diagnostics& d = scope.diagnostics;
  frame.where = d.locate(entry.mark);
  YAML::Node key = entry.node.begin()->first, body = entry.node.begin()->second;
  const std::string kind = key.Scalar();
  Field field = entry.child(kind, body, key.Mark());
  field.name.clear();
  // "transfer 'download'"; without a usable id, the entry's place in the list ("frame #7").
  field.place = entry_place(kind.c_str(), body, 0, scope.limits.max_id_bytes);
  if (field.place == kind + " #1") field.place = kind + " (" + entry.place + ")";
  auto block = std::make_shared<BlockExpectation>();
  block->kind = kind == "transfer" ? BlockKind::transfer : BlockKind::teardown;
  MapReader map(d, field, kind == "transfer" ? transfer_keys : teardown_keys,
                kind == "transfer" ? "a map of transfer fields (id, dir, bytes, ...)"
                                   : "a map of teardown fields (id, points, ...)");
  if (!map.is_map()) return false;
  std::optional<Field> id =
      map.require("id", fmt::format("each {} needs one, e.g. id: {}", kind,
                                    kind == "transfer" ? "download" : "close"));
  std::optional<std::string> name = id ? read_id(d, *id, scope.limits.max_id_bytes) : std::nullopt;
  frame.id = name.value_or("");
  if (block->kind == BlockKind::transfer) {
    read_transfer(scope, map, block->transfer);
    frame.direction = block->transfer.direction;
    frame.phase = Phase::data;
  } else {
    read_if(map, "allow_rst_after_fin", [&](const Field& f) {
      block->teardown.allow_rst_after_fin = read_bool(d, f).value_or(false);
    });
    frame.phase = Phase::teardown;
  }
  read_if(map, "points",
          [&](const Field& f) { frame.points = read_points(d, f).value_or(frame.points); });
  read_if(map, "teaches", [&](const Field& f) { frame.teaches = read_text(d, f).value_or(""); });
  read_if(map, "visibility", [&](const Field& f) { frame.visibility = read_visibility(d, f); });
  frame.block = std::move(block);
  return name.has_value();
}

}  // namespace tcpgrade
