#include "scenario/expectation_reader.h"

#include <fmt/format.h>

#include <algorithm>

#include "scenario/scoring_reader.h"
#include "scenario/tcp_options_parser.h"
#include "scenario/text_matcher_parser.h"
#include "util/terminal_text.h"

namespace tcpgrade {

const std::vector<std::string> frame_keys = {
    "id",      "dir",           "phase",   "flags",      "seq",     "ack",     "len",
    "window",  "window_scaled", "seq_raw", "ack_raw",    "options", "payload", "points",
    "teaches", "optional",      "repeat",  "visibility", "hint",    "weights", "all_or_nothing"};
const std::vector<std::string> stream_keys = {
    "id", "dir", "equals", "contains", "regex", "file", "points", "teaches", "hint", "visibility"};
const std::vector<std::string> claim_keys = {
    "id",  "frame",   "source",  "phase",  "dir",     "flags",  "seq",  "ack",
    "len", "seq_raw", "ack_raw", "window", "carries", "points", "hint", "visibility"};

namespace {

constexpr int64_t max_u32 = 0xffffffffLL;

}  // namespace

std::string read_visibility(Diagnostics& d, const Field& field) {
  return read_choice<std::string>(
             d, field,
             {{"visible", "visible"}, {"hidden", "hidden"}, {"after_due_date", "after_due_date"}})
      .value_or("");
}

namespace {

constexpr int64_t max_scaled_window = 65535LL << 14;

const Choices<Direction> directions = {
    {"client->server", Direction::client_to_server},
    {"c2s", Direction::client_to_server},
    {"client", Direction::client_to_server},
    {"server->client", Direction::server_to_client},
    {"s2c", Direction::server_to_client},
    {"server", Direction::server_to_client},
    {"client→server", Direction::client_to_server},
    {"server→client", Direction::server_to_client},
};
const Choices<Phase> phases = {{"handshake", Phase::handshake},
                               {"data", Phase::data},
                               {"teardown", Phase::teardown},
                               {"reset", Phase::reset}};

// Numeric fields of an expected frame; claims take the same without relations (a claim is
// about one frame of one capture: there is nothing to relate to).
const NumberSpec seq_spec{
    .what = "a 32-bit sequence number", .max = max_u32, .next = true, .same_as = true};
const NumberSpec ack_spec{.what = "a 32-bit acknowledgment number",
                          .max = max_u32,
                          .may_be_absent = true,
                          .next = true,
                          .same_as = true};
const NumberSpec len_spec{.what = "a 32-bit length", .max = max_u32, .same_as = true};
const NumberSpec window_spec{.what = "a 16-bit window", .max = 0xffff, .same_as = true};
const NumberSpec scaled_window_spec{
    .what = "a scaled window (65535 << 14 at most)", .max = max_scaled_window, .same_as = true};
const NumberSpec seq_raw_spec{
    .what = "a 32-bit sequence number", .max = max_u32, .same_as = true, .isn_plus = true};
const NumberSpec ack_raw_spec{.what = "a 32-bit acknowledgment number",
                              .max = max_u32,
                              .may_be_absent = true,
                              .same_as = true,
                              .isn_plus = true};

NumberSpec without_relations(NumberSpec spec) {
  spec.next = spec.same_as = spec.isn_plus = false;
  return spec;
}

bool contains(const std::vector<std::string>& keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

template <typename T>
void read_if(const MapReader& map, std::string_view key, T&& read) {
  if (std::optional<Field> field = map.get(key)) read(*field);
}

// repeat: 3, or {min: 0, max: 3}; a missing min is 1, a missing max the limit.
void read_repeat(MatcherScope& scope, const Field& field, ExpectedFrame& frame) {
  Diagnostics& d = scope.diagnostics;
  int limit = scope.limits.max_repeat;
  std::string what = "a repeat count";
  if (!field.node.IsMap()) {
    if (std::optional<int64_t> n = read_integer(d, field, 1, limit, what))
      frame.repeat_min = frame.repeat_max = static_cast<int>(*n);
    return;
  }
  MapReader map(d, field, {"min", "max"});
  std::optional<int64_t> min = 1, max = limit;
  read_if(map, "min", [&](const Field& f) { min = read_integer(d, f, 0, limit, what); });
  read_if(map, "max", [&](const Field& f) { max = read_integer(d, f, 1, limit, what); });
  if (!min || !max) return;
  if (*min > *max) {
    d.error(field.mark,
            fmt::format("{}: min {} is greater than max {}", field.label(), *min, *max));
    return;
  }
  frame.repeat_min = static_cast<int>(*min);
  frame.repeat_max = static_cast<int>(*max);
}

}  // namespace

std::string entry_place(const char* kind, const YAML::Node& entry, size_t index,
                        size_t max_id_bytes) {
  if (entry.IsMap())
    for (auto it = entry.begin(); it != entry.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == "id" && it->second.IsScalar() &&
          is_valid_id(it->second.Scalar(), max_id_bytes))
        return fmt::format("{} '{}'", kind, it->second.Scalar());
  return fmt::format("{} #{}", kind, index + 1);
}

std::string key_belongs_elsewhere(std::string_view key) {
  if (key == "transfer" || key == "teardown")
    return fmt::format("; {} is a block, an entry of frames: of its own (- {}: {{id: ...}})",
                       quote(key), key);
  std::vector<std::string> places;
  if (contains(frame_keys, key)) places.push_back("a frame");
  if (contains(stream_keys, key)) places.push_back("a stream");
  if (contains(claim_keys, key)) places.push_back("a claim");
  if (contains({"mss", "ws", "sack_perm", "ts", "sack", "order"}, key))
    places.push_back("a frame's options");
  if (contains({"server_port", "family", "select"}, key)) places.push_back("conversation");
  if (places.empty()) return "";
  return fmt::format("; {} belongs in {}", quote(key), or_list(places));
}

bool read_frame(MatcherScope& scope, const Field& entry, ExpectedFrame& frame) {
  Diagnostics& d = scope.diagnostics;
  frame.where = d.locate(entry.mark);
  MapReader map(d, entry, frame_keys, "a map of frame fields (id, dir, flags, seq, ...)",
                key_belongs_elsewhere);
  if (!map.is_map()) return false;
  std::optional<Field> id = map.require("id", "each frame needs one, e.g. id: syn");
  std::optional<std::string> name = id ? read_id(d, *id, scope.limits.max_id_bytes) : std::nullopt;
  frame.id = name.value_or("");
  scope.frame_id = frame.id;
  read_if(map, "dir", [&](const Field& f) { frame.direction = read_choice(d, f, directions); });
  read_if(map, "phase", [&](const Field& f) { frame.phase = read_choice(d, f, phases); });
  read_if(map, "flags", [&](const Field& f) { frame.flags = parse_flags(scope, f); });
  read_if(map, "seq", [&](const Field& f) { frame.seq = parse_matcher(scope, f, seq_spec); });
  read_if(map, "ack", [&](const Field& f) { frame.ack = parse_matcher(scope, f, ack_spec); });
  read_if(map, "len", [&](const Field& f) { frame.len = parse_matcher(scope, f, len_spec); });
  read_if(map, "window",
          [&](const Field& f) { frame.window = parse_matcher(scope, f, window_spec); });
  read_if(map, "window_scaled", [&](const Field& f) {
    frame.window_scaled = parse_matcher(scope, f, scaled_window_spec);
  });
  read_if(map, "seq_raw",
          [&](const Field& f) { frame.seq_raw = parse_matcher(scope, f, seq_raw_spec); });
  read_if(map, "ack_raw",
          [&](const Field& f) { frame.ack_raw = parse_matcher(scope, f, ack_raw_spec); });
  read_if(map, "options", [&](const Field& f) { frame.options = parse_options(scope, f); });
  read_if(map, "payload", [&](const Field& f) { frame.payload = parse_text_matcher(scope, f); });
  read_if(map, "points",
          [&](const Field& f) { frame.points = read_points(d, f).value_or(frame.points); });
  read_if(map, "teaches", [&](const Field& f) { frame.teaches = read_text(d, f).value_or(""); });
  read_if(map, "hint",
          [&](const Field& f) { read_frame_hint(d, f, frame.hint, frame.field_hints); });
  read_point_rule(d, map, frame.scoring);
  read_if(map, "visibility", [&](const Field& f) { frame.visibility = read_visibility(d, f); });
  read_if(map, "optional",
          [&](const Field& f) { frame.optional = read_bool(d, f).value_or(false); });
  read_if(map, "repeat", [&](const Field& f) { read_repeat(scope, f, frame); });
  scope.frame_id.clear();
  return name.has_value();
}

bool read_stream(MatcherScope& scope, const Field& entry, StreamExpectation& stream) {
  Diagnostics& d = scope.diagnostics;
  stream.where = d.locate(entry.mark);
  MapReader map(d, entry, stream_keys, "a map of stream fields (id, dir, contains, ...)",
                key_belongs_elsewhere);
  if (!map.is_map()) return false;
  std::optional<Field> id = map.require("id", "each stream needs one, e.g. id: response");
  std::optional<std::string> name = id ? read_id(d, *id, scope.limits.max_id_bytes) : std::nullopt;
  stream.id = name.value_or("");
  if (std::optional<Field> dir = map.require("dir", "the direction whose data is judged"))
    stream.direction = read_choice(d, *dir, directions).value_or(stream.direction);
  int kinds = map.count(text_kinds());
  if (kinds == 0 && !map.clean()) {
    // An unknown key (contain:, content:) was the attempt; it is reported already.
  } else if (kinds != 1) {
    d.error(entry.mark, fmt::format("{}: give {} of equals, contains, regex or file", entry.label(),
                                    kinds ? "only one" : "one"));
  } else {
    for (const std::string& kind : text_kinds())
      read_if(map, kind, [&](const Field& f) { stream.data = parse_text_kind(scope, kind, f); });
  }
  read_if(map, "points",
          [&](const Field& f) { stream.points = read_points(d, f).value_or(stream.points); });
  read_if(map, "teaches", [&](const Field& f) { stream.teaches = read_text(d, f).value_or(""); });
  read_if(map, "hint", [&](const Field& f) { stream.hint = read_text(d, f).value_or(""); });
  read_if(map, "visibility", [&](const Field& f) { stream.visibility = read_visibility(d, f); });
  return name.has_value();
}

bool read_claim(MatcherScope& scope, const Field& entry, Claim& claim) {
  Diagnostics& d = scope.diagnostics;
  claim.where = d.locate(entry.mark);
  MapReader map(d, entry, claim_keys, "a map of claim fields (frame, source, phase, ...)",
                key_belongs_elsewhere);
  if (!map.is_map()) return false;
  if (std::optional<Field> frame = map.require("frame", "the frame number the claim is about")) {
    std::optional<int64_t> number =
        frame->node.IsScalar() ? parse_integer(frame->node.Scalar()) : std::nullopt;
    if (number && *number >= 1)
      claim.frame = static_cast<uint64_t>(*number);
    else
      d.error(frame->mark, fmt::format("{}: expected a frame number, 1 or more as Wireshark "
                                       "counts them; got {}",
                                       frame->label(), describe_value(frame->node)));
  }
  if (std::optional<Field> source = map.require("source", "the write-up's words"))
    claim.source = read_text(d, *source).value_or("");
  auto number = [&](const Field& f, const NumberSpec& spec) {
    return parse_matcher(scope, f, without_relations(spec));
  };
  read_if(map, "phase", [&](const Field& f) { claim.phase = read_choice(d, f, phases); });
  read_if(map, "dir", [&](const Field& f) { claim.direction = read_choice(d, f, directions); });
  read_if(map, "flags", [&](const Field& f) { claim.flags = parse_flags(scope, f); });
  read_if(map, "seq", [&](const Field& f) { claim.seq = number(f, seq_spec); });
  read_if(map, "ack", [&](const Field& f) { claim.ack = number(f, ack_spec); });
  read_if(map, "len", [&](const Field& f) { claim.len = number(f, len_spec); });
  read_if(map, "seq_raw", [&](const Field& f) { claim.seq_raw = number(f, seq_raw_spec); });
  read_if(map, "ack_raw", [&](const Field& f) { claim.ack_raw = number(f, ack_raw_spec); });
  // A write-up quotes Wireshark's Win=, which is the scaled window.
  read_if(map, "window", [&](const Field& f) { claim.window = number(f, scaled_window_spec); });
  read_if(map, "carries", [&](const Field& f) { claim.carries = parse_text_matcher(scope, f); });
  read_if(map, "points",
          [&](const Field& f) { claim.points = read_points(d, f).value_or(claim.points); });
  read_if(map, "hint", [&](const Field& f) { claim.hint = read_text(d, f).value_or(""); });
  read_if(map, "visibility", [&](const Field& f) { claim.visibility = read_visibility(d, f); });

  static const std::vector<std::string> judged = {
      "phase", "dir", "flags", "seq", "ack", "len", "seq_raw", "ack_raw", "window", "carries"};
  std::vector<std::string> given;
  for (const std::string& key : judged)
    if (map.has(key)) given.push_back(key);
  if (given.empty())
    d.error(entry.mark, fmt::format("{} judges nothing: give at least one of {}", entry.label(),
                                    or_list(judged)));
  if (std::optional<Field> id = map.get("id")) {
    std::optional<std::string> name = read_id(d, *id, scope.limits.max_id_bytes);
    claim.id = name.value_or("");
    return name.has_value();
  }
  claim.id = fmt::format("claim-{}", claim.frame);
  for (const std::string& key : given) claim.id += "-" + key;
  return true;
}

}  // namespace tcpgrade
