#include "scenario/properties_reader.h"

#include "scenario/expectation_reader.h"

namespace tcpgrade {

const std::vector<std::string> property_keys = {
    "bytes_to_server", "bytes_to_client", "acked_by_client",
    "acked_by_server", "window_scaling",  "mss",
    "no_rst",          "retransmissions", "connections",
    "requests",        "points",          "teaches",
    "visibility"};

namespace {

const NumberSpec bytes_spec{.what = "a byte count", .max = int64_t{1} << 48};
const NumberSpec mss_spec{.what = "an MSS (16 bits)", .max = 0xffff};
const NumberSpec count_spec{.what = "a count", .max = 0xffffffffLL};

template <typename T>
void read_if(const MapReader& map, std::string_view key, T&& read) {
  if (std::optional<Field> field = map.get(key)) read(*field);
}

}  // namespace

std::shared_ptr<const ConversationProperties> read_properties(MatcherScope& scope,
                                                              const Field& field) {
  Diagnostics& d = scope.diagnostics;
  auto p = std::make_shared<ConversationProperties>();
  p->where = d.locate(field.mark);
  Field map_field = field;
  map_field.name.clear();
  map_field.place = "properties";
  MapReader map(d, map_field, property_keys, "a map of properties (bytes_to_client, no_rst, ...)");
  if (!map.is_map()) return p;
  auto number = [&](const char* key, Matcher& m, const NumberSpec& spec) {
    read_if(map, key, [&](const Field& f) { m = parse_matcher(scope, f, spec); });
  };
  number("bytes_to_server", p->bytes_to_server, bytes_spec);
  number("bytes_to_client", p->bytes_to_client, bytes_spec);
  number("acked_by_client", p->acked_by_client, bytes_spec);
  number("acked_by_server", p->acked_by_server, bytes_spec);
  number("mss", p->mss, mss_spec);
  number("retransmissions", p->retransmissions, count_spec);
  number("connections", p->connections, count_spec);
  number("requests", p->requests, count_spec);
  read_if(map, "window_scaling", [&](const Field& f) { p->window_scaling = read_bool(d, f); });
  read_if(map, "no_rst", [&](const Field& f) { p->no_rst = read_bool(d, f); });
  read_if(map, "points", [&](const Field& f) { p->points = read_points(d, f).value_or(1); });
  read_if(map, "teaches", [&](const Field& f) { p->teaches = read_text(d, f).value_or(""); });
  read_if(map, "visibility", [&](const Field& f) { p->visibility = read_visibility(d, f); });
  return p;
}

}  // namespace tcpgrade
