#include "scenario/scenario_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "scenario/block_reader.h"
#include "scenario/expectation_reader.h"
#include "scenario/matcher_parser.h"
#include "scenario/properties_reader.h"
#include "scenario/root_cause_ids.h"
#include "scenario/scenario_files.h"
#include "scenario/scoring_reader.h"
#include "scenario/yaml_fields.h"
#include "scenario/yaml_prescan.h"
#include "util/did_you_mean.h"
#include "util/small_file.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

const std::vector<std::string> top_keys = {
    "scenario",       "title",      "description", "profile",     "profile_overrides",
    "conversation",   "noise",      "order",       "rest",        "prerequisite",
    "frames",         "streams",    "claims",      "live",        "visibility",
    "capture_losses", "properties", "scoring",     "root_causes", "params"};

// Values a profile may hold (and profile_overrides may set), with what fits each.
struct ProfileValue {
  const char* name;
  int64_t max;
  const char* what;
};
constexpr ProfileValue profile_value_table[] = {
    {"mss", 0xffff, "an MSS (16 bits)"},
    {"ws", 14, "a window scale shift"},
    {"syn_window", 0xffff, "a 16-bit window"},
    {"sack_perm", 1, "a presence flag"},
    {"ts", 1, "a presence flag"},
    {"mtu", 0xffffffffLL, "a 32-bit MTU"},
};

// Wireshark's tcp.analysis.* names without the prefix; `reset` is its RST expert note.
const Choices<uint32_t> noise_names = {
    {"retransmission", analysis_flag::retransmission},
    {"spurious_retransmission", analysis_flag::spurious_retransmission},
    {"fast_retransmission", analysis_flag::fast_retransmission},
    {"out_of_order", analysis_flag::out_of_order},
    {"lost_segment", analysis_flag::lost_segment},
    {"ack_lost_segment", analysis_flag::ack_lost_segment},
    {"duplicate_ack", analysis_flag::duplicate_ack},
    {"zero_window", analysis_flag::zero_window},
    {"zero_window_probe", analysis_flag::zero_window_probe},
    {"zero_window_probe_ack", analysis_flag::zero_window_probe_ack},
    {"window_full", analysis_flag::window_full},
    {"window_update", analysis_flag::window_update},
    {"keep_alive", analysis_flag::keep_alive},
    {"keep_alive_ack", analysis_flag::keep_alive_ack},
    {"reused_ports", analysis_flag::reused_ports},
    {"reset", analysis_flag::reset},
};

bool has_key(const YAML::Node& node, std::string_view key) {
  if (node.IsMap())
    for (auto it = node.begin(); it != node.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == key) return true;
  return false;
}

// A frame-list entry: an expected frame, or a transfer: / teardown: block.
bool read_frame_or_block(MatcherScope& scope, const Field& entry, ExpectedFrame& frame) {
  if (is_block_entry(entry.node)) return read_block(scope, entry, frame);
  // `- transfr: {...}`: a misspelt block, not a frame missing every key.
  const YAML::Node& node = entry.node;
  if (!node.IsMap() || node.size() != 1) return read_frame(scope, entry, frame);
  YAML::Node key = node.begin()->first, value = node.begin()->second;  // copies of temporaries
  if (key.IsScalar() && value.IsMap() &&
      std::find(frame_keys.begin(), frame_keys.end(), key.Scalar()) == frame_keys.end()) {
    const std::string kind = key.Scalar();
    std::string suggestion = did_you_mean(kind, block_kinds);
    scope.diagnostics.error(
        key.Mark(),
        fmt::format("{}: unknown block {} (an entry of frames: is a frame, either:, transfer: "
                    "or teardown:){}",
                    entry.label(), quote(kind), suggestion));
    return false;
  }
  return read_frame(scope, entry, frame);
}

class Loader {
 public:
  Loader(Diagnostics& d, const ScenarioLimits& limits, std::string base_dir)
      : d_(d), limits_(limits), files_(base_dir, limits), scope_{d, limits, base_dir, files_} {}

  Scenario load(const YAML::Node& root);

 private:
  void read_profile(const MapReader& top, Scenario& s);
  void read_conversation(const Field& field, ConversationSelector& conversation);
  void read_noise(const Field& field, NoisePolicy& noise);
  void read_live(const Field& field, LiveDefaults& live);
  std::optional<Field> list(const MapReader& top, const char* key, size_t limit,
                            const char* entries);
  Field entry(const Field& list, const char* kind, const YAML::Node& node, size_t index);
  void add_id(std::map<std::string, SourceLocation>& ids, const char* kind, const std::string& id,
              const SourceLocation& where, std::string_view note = "");
  void read_frames(const MapReader& top, Scenario& s);
  // Blocks claim runs of segments in order: `order: relaxed` has no runs.
  void reject_blocks(const Scenario& s, const char* why);
  void read_choice_entry(const Field& entry, Scenario& s,
                         std::map<std::string, SourceLocation>& ids,
                         std::vector<std::string>& known);
  void read_streams(const MapReader& top, Scenario& s);
  void read_claims(const MapReader& top, Scenario& s);

  Diagnostics& d_;
  const ScenarioLimits& limits_;
  ScenarioFiles files_;  // one read of each file its `file:` keys name
  MatcherScope scope_;
  std::map<std::string, int64_t> profile_values_;
  std::map<std::string, ProfileRange> profile_ranges_;
};

Scenario Loader::load(const YAML::Node& root) {
  Scenario s;
  s.where = {d_.file(), 0, 0};
  MapReader top(d_, {"", "", root, root.Mark()}, top_keys,
                "a map at the top level (scenario: NAME, frames: [...])", key_belongs_elsewhere);
  if (!top.is_map()) return s;
  if (std::optional<Field> name = top.require("scenario", "its name, e.g. scenario: handshake"))
    s.name = read_id(d_, *name, limits_.max_id_bytes).value_or("");
  if (std::optional<Field> title = top.get("title")) s.title = read_text(d_, *title).value_or("");
  if (std::optional<Field> description = top.get("description"))
    s.description = read_text(d_, *description).value_or("");
  read_profile(top, s);
  if (std::optional<Field> conversation = top.get("conversation"))
    read_conversation(*conversation, s.conversation);
  if (std::optional<Field> noise = top.get("noise")) read_noise(*noise, s.noise);
  if (std::optional<Field> order = top.get("order"))
    s.noise.strict_order =
        read_choice<bool>(d_, *order, {{"strict", true}, {"relaxed", false}}).value_or(true);
  if (std::optional<Field> rest = top.get("rest"))
    s.noise.ignore_rest =
        read_choice<bool>(d_, *rest, {{"grade", false}, {"ignore", true}}).value_or(false);
  if (std::optional<Field> prerequisite = top.get("prerequisite"))
    s.handshake_prerequisite =
        read_choice<bool>(d_, *prerequisite, {{"handshake", true}, {"none", false}}).value_or(true);
  if (std::optional<Field> losses = top.get("capture_losses"))
    s.capture_losses_fail =
        read_choice<bool>(d_, *losses, {{"fail", true}, {"warn", false}}).value_or(true);
  // live follows the scenario: the port and family it grades, unless live: says otherwise.
  if (s.conversation.server_port) s.live.port = *s.conversation.server_port;
  if (s.conversation.family == 6) s.live.address = "::1";
  if (std::optional<Field> live = top.get("live")) read_live(*live, s.live);
  if (std::optional<Field> scoring = top.get("scoring"))
    read_scoring_policy(d_, *scoring, s.scoring);
  if (std::optional<Field> causes = top.get("root_causes"))
    read_root_cause_texts(d_, *causes, root_cause_ids(), s.root_cause_texts);
  if (std::optional<Field> visibility = top.get("visibility")) {
    std::string value = read_visibility(d_, *visibility);
    if (!value.empty()) s.visibility = value;
  }
  if (s.live.www.empty()) s.live.www = "www";
  s.live.www = (std::filesystem::path(scope_.base_dir) / s.live.www).lexically_normal().string();
  read_frames(top, s);
  if (std::optional<Field> properties = top.get("properties"))
    s.properties = read_properties(scope_, *properties);
  if (!s.noise.strict_order) reject_blocks(s, "order: relaxed");
  read_streams(top, s);
  read_claims(top, s);
  bool lists_given = false;
  for (const char* key : {"frames", "streams", "claims"})
    if (std::optional<Field> list = top.get(key))
      lists_given = lists_given || !list->node.IsSequence() || list->node.size() > 0;
  if (!lists_given)
    d_.error(root.Mark(), "the scenario checks nothing: give it frames, streams or claims");
  return s;
}

void Loader::read_profile(const MapReader& top, Scenario& s) {
  s.profile = "any";
  const std::map<std::string, int64_t>* base = find_profile(s.profile);
  if (std::optional<Field> field = top.get("profile")) {
    std::optional<std::string> name = read_text(d_, *field);
    base = name ? find_profile(*name) : nullptr;
    if (name) s.profile = *name;
    if (name && !base) {
      std::string suggestion = did_you_mean(*name, profile_names());
      d_.error(field->mark, fmt::format("{}: unknown profile {}{}", field->label(), quote(*name),
                                        suggestion.empty() ? fmt::format(" (profiles are {})",
                                                                         and_list(profile_names()))
                                                           : suggestion));
    }
  }
  if (base) profile_values_ = *base;
  if (const std::map<std::string, ProfileRange>* ranges = find_profile_ranges(s.profile))
    profile_ranges_ = *ranges;
  if (std::optional<Field> overrides = top.get("profile_overrides")) {
    std::vector<std::string> names;
    for (const ProfileValue& value : profile_value_table) names.push_back(value.name);
    MapReader map(d_, *overrides, names, "a map of profile values, e.g. {mss: 1460}");
    for (const ProfileValue& value : profile_value_table)
      if (std::optional<Field> field = map.get(value.name))
        if (std::optional<int64_t> n = read_integer(d_, *field, 0, value.max, value.what)) {
          profile_values_[value.name] = *n;
          profile_ranges_.erase(value.name);  // an override is exact
        }
  }
  s.profile_values = profile_values_;
  s.profile_ranges = profile_ranges_;
  scope_.profile_ranges = base ? &profile_ranges_ : nullptr;
  scope_.profile = s.profile;
  // An unknown profile is reported once, not again at every profile.NAME.
  scope_.profile_values = base ? &profile_values_ : nullptr;
}

void Loader::read_conversation(const Field& field, ConversationSelector& conversation) {
  MapReader map(d_, field, {"server_port", "family", "select"},
                "a map (server_port, family, select)", key_belongs_elsewhere);
  if (std::optional<Field> port = map.get("server_port")) {
    if (port->node.IsScalar() && port->node.Scalar() == "any")
      conversation.server_port.reset();
    else if (std::optional<int64_t> n = read_integer(d_, *port, 1, 0xffff, "a TCP port"))
      conversation.server_port = static_cast<uint16_t>(*n);
  }
  if (std::optional<Field> family = map.get("family"))
    conversation.family =
        read_choice<uint8_t>(d_, *family, {{"ipv4", 4}, {"ipv6", 6}, {"any", 0}}).value_or(0);
  if (std::optional<Field> select = map.get("select"))
    conversation.select = read_choice<Selection>(d_, *select,
                                                 {{"first", Selection::first},
                                                  {"best", Selection::best},
                                                  {"each", Selection::each},
                                                  {"all", Selection::all}})
                              .value_or(Selection::first);
}

// live: {server: builtin | none | COMMAND, client: builtin | COMMAND, www: DIR, port: P,
//        address: 127.0.0.1 | ::1}
void Loader::read_live(const Field& field, LiveDefaults& live) {
  MapReader map(d_, field, {"server", "client", "www", "port", "address"},
                "a map (server, client, www, port, address)", key_belongs_elsewhere);
  if (std::optional<Field> server = map.get("server"))
    live.server = read_text(d_, *server).value_or(live.server);
  if (std::optional<Field> client = map.get("client"))
    live.client = read_text(d_, *client).value_or(live.client);
  if (std::optional<Field> www = map.get("www")) {
    live.www = read_text(d_, *www).value_or("");
    // Served to any client: confined like file: (a shared scenario must not serve /etc).
    std::string problem;
    if (!live.www.empty() && !files_.folder_allowed(live.www, problem)) {
      d_.error(www->mark, fmt::format("{}: {}", www->label(), problem));
      live.www.clear();
    }
  }
  if (std::optional<Field> port = map.get("port"))
    live.port = static_cast<uint16_t>(
        read_integer(d_, *port, 0, 0xffff, "a TCP port (0: a free one)").value_or(0));
  if (std::optional<Field> address = map.get("address"))
    live.address =
        read_choice<std::string>(d_, *address, {{"127.0.0.1", "127.0.0.1"}, {"::1", "::1"}})
            .value_or(live.address);
  for (const std::string* command : {&live.server, &live.client})
    if (command->empty())
      d_.error(field.mark,
               fmt::format("{}: an empty command; give builtin or a shell command", field.label()));
}

void Loader::read_noise(const Field& field, NoisePolicy& noise) {
  if (!field.node.IsSequence()) {
    d_.error(field.mark, fmt::format("{}: expected a list of names such as [duplicate_ack, "
                                     "retransmission]; got {}",
                                     field.label(), describe_value(field.node)));
    return;
  }
  for (const YAML::Node& name : field.node)
    noise.tolerated_flags |= read_choice(d_, field.element(name), noise_names).value_or(0);
}

std::optional<Field> Loader::list(const MapReader& top, const char* key, size_t limit,
                                  const char* entries) {
  std::optional<Field> field = top.get(key);
  if (!field) return std::nullopt;
  if (!field->node.IsSequence()) {
    d_.error(field->mark, fmt::format("{}: expected a list of {}; got {}", field->label(), entries,
                                      describe_value(field->node)));
    return std::nullopt;
  }
  if (field->node.size() > limit) {
    d_.error(field->mark, fmt::format("{}: {} {}, more than the limit of {}", field->label(),
                                      field->node.size(), entries, limit));
    return std::nullopt;
  }
  return field;
}

Field Loader::entry(const Field& list, const char* kind, const YAML::Node& node, size_t index) {
  Field field = list.element(node);
  field.name.clear();
  field.place = entry_place(kind, node, index, limits_.max_id_bytes);
  return field;
}

void Loader::add_id(std::map<std::string, SourceLocation>& ids, const char* kind,
                    const std::string& id, const SourceLocation& where, std::string_view note) {
  auto [it, added] = ids.emplace(id, where);
  if (!added)
    d_.error(where, fmt::format("duplicate {} id {} (first at line {}){}", kind, quote(id),
                                it->second.line, note));
}

void Loader::reject_blocks(const Scenario& s, const char* why) {
  auto reject = [&](const ExpectedFrame& frame) {
    if (frame.block)
      d_.error(frame.where, fmt::format("frame {}: a transfer: or teardown: block needs the frames "
                                        "in order; {} allows no blocks",
                                        quote(frame.id), why));
  };
  for (const ExpectedFrame& frame : s.frames) reject(frame);
  for (const FrameChoice& choice : s.choices)
    for (const FrameVariant& variant : choice.variants)
      for (const ExpectedFrame& frame : variant.frames) reject(frame);
}

void Loader::read_frames(const MapReader& top, Scenario& s) {
  std::optional<Field> frames = list(top, "frames", limits_.max_frames, "frames");
  if (!frames) return;
  std::map<std::string, SourceLocation> ids;
  std::vector<std::string> known;  // every frame id, choices' variants included
  for (size_t i = 0; i < frames->node.size(); ++i) {
    const YAML::Node& node = frames->node[i];
    if (node.IsMap() && node["either"]) {
      read_choice_entry(entry(*frames, "frame", node, i), s, ids, known);
      continue;
    }
    ExpectedFrame frame;
    if (read_frame_or_block(scope_, entry(*frames, "frame", node, i), frame)) {
      add_id(ids, "frame", frame.id, frame.where);
      known.push_back(frame.id);
    }
    s.frames.push_back(std::move(frame));
  }
  size_t combinations = 1;
  for (const FrameChoice& choice : s.choices)
    combinations = std::min(combinations * std::max<size_t>(choice.variants.size(), 1),
                            limits_.max_frame_variants + 1);
  if (combinations > limits_.max_frame_variants)
    d_.error(s.choices.back().where,
             fmt::format("frames: the either: choices combine into more than {} frame lists, the "
                         "limit; merge some of them",
                         limits_.max_frame_variants));
  // same_as may name any other frame, before or after: check aligns first, then relates.
  std::sort(known.begin(), known.end());
  for (const FrameReference& reference : scope_.references) {
    if (std::binary_search(known.begin(), known.end(), reference.target)) continue;
    // A did-you-mean over 10,000 ids is costly: only for errors that will be shown.
    std::string suggestion = d_.full() ? "" : did_you_mean(reference.target, known);
    if (suggestion.empty() && !known.empty() && known.size() <= 20)
      suggestion = fmt::format(" (the frame ids are {})", and_list(known));
    d_.error(reference.mark, fmt::format("{}: same_as refers to unknown frame {}{}",
                                         reference.label, quote(reference.target), suggestion));
  }
}

// frames:
//   - either:
//       - {variant: server-closes-first, title: "...", frames: [...]}
//       - {variant: client-closes-first, frames: [...]}
// Ids are unique among the frames outside choices and within each variant; variants of one
// choice may reuse each other's ids (each is a different reading of the same frames).
void Loader::read_choice_entry(const Field& field, Scenario& s,
                               std::map<std::string, SourceLocation>& ids,
                               std::vector<std::string>& known) {
  static const std::vector<std::string> choice_keys = {"either"};
  static const std::vector<std::string> variant_keys = {"variant", "title", "frames"};
  MapReader map(d_, field, choice_keys, "a map with either: [variants]");
  FrameChoice choice;
  choice.position = s.frames.size();
  choice.where = d_.locate(field.mark);
  std::optional<Field> either = map.get("either");
  if (!either) return;
  if (!either->node.IsSequence() || either->node.size() < 2) {
    d_.error(either->mark, fmt::format("{}: expected a list of at least two variants "
                                       "({{variant: NAME, frames: [...]}}); got {}",
                                       either->label(), describe_value(either->node)));
    return;
  }
  std::map<std::string, SourceLocation> variant_names;
  for (size_t v = 0; v < either->node.size(); ++v) {
    Field vfield = either->element(either->node[v]);
    vfield.place = fmt::format("variant #{} of {}", v + 1, field.place);
    MapReader vmap(d_, vfield, variant_keys, "a map (variant: NAME, frames: [...])");
    if (!vmap.is_map()) continue;
    FrameVariant variant;
    variant.where = d_.locate(vfield.mark);
    if (std::optional<Field> name =
            vmap.require("variant", "a name, e.g. variant: server-closes-first"))
      variant.name = read_id(d_, *name, limits_.max_id_bytes).value_or("");
    if (!variant.name.empty()) add_id(variant_names, "variant", variant.name, variant.where);
    if (std::optional<Field> title = vmap.get("title"))
      variant.title = read_text(d_, *title).value_or("");
    std::optional<Field> frames = vmap.require("frames", "the frames of this variant, in order");
    if (frames && !frames->node.IsSequence()) {
      d_.error(frames->mark, fmt::format("{}: expected a list of frames; got {}", frames->label(),
                                         describe_value(frames->node)));
      frames.reset();
    }
    std::map<std::string, SourceLocation> local = ids;
    if (frames)
      for (size_t i = 0; i < frames->node.size(); ++i) {
        const YAML::Node& node = frames->node[i];
        Field fentry = entry(*frames, "frame", node, i);
        if (node.IsMap() && node["either"]) {
          d_.error(fentry.mark, fmt::format("{}: either: cannot be nested inside a variant; list "
                                            "the combinations as variants of one choice",
                                            fentry.label()));
          continue;
        }
        ExpectedFrame frame;
        if (read_frame_or_block(scope_, fentry, frame)) {
          add_id(local, "frame", frame.id, frame.where);
          known.push_back(frame.id);
        }
        variant.frames.push_back(std::move(frame));
      }
    choice.variants.push_back(std::move(variant));
  }
  // Frames after the choice must not reuse a variant's ids either.
  for (const FrameVariant& variant : choice.variants)
    for (const ExpectedFrame& frame : variant.frames)
      if (!frame.id.empty()) ids.emplace(frame.id, frame.where);
  s.choices.push_back(std::move(choice));
}

void Loader::read_streams(const MapReader& top, Scenario& s) {
  std::optional<Field> streams = list(top, "streams", limits_.max_streams, "streams");
  if (!streams) return;
  std::map<std::string, SourceLocation> ids;
  for (size_t i = 0; i < streams->node.size(); ++i) {
    StreamExpectation stream;
    if (read_stream(scope_, entry(*streams, "stream", streams->node[i], i), stream))
      add_id(ids, "stream", stream.id, stream.where);
    s.streams.push_back(std::move(stream));
  }
}

void Loader::read_claims(const MapReader& top, Scenario& s) {
  std::optional<Field> claims = list(top, "claims", limits_.max_claims, "claims");
  if (!claims) return;
  std::map<std::string, SourceLocation> ids;
  for (size_t i = 0; i < claims->node.size(); ++i) {
    const YAML::Node& node = claims->node[i];
    Claim claim;
    if (read_claim(scope_, entry(*claims, "claim", node, i), claim))
      add_id(ids, "claim", claim.id, claim.where,
             has_key(node, "id") ? ""
                                 : "; a claim without an id is named claim-FRAME-FIELDS: "
                                   "give one of them an id");
    s.claims.push_back(std::move(claim));
  }
}

}  // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(diagnostics.empty() ? "invalid scenario"
                                             : diagnostic_headline(diagnostics.front())),
      diagnostics_(std::move(diagnostics)) {}

Scenario parse_scenario(const std::string& yaml_text, const std::string& file_name,
                        const ScenarioLimits& limits, const ParamValues& given) {
  Diagnostics d(file_name, yaml_text, limits.max_diagnostics);
  if (yaml_text.size() > limits.max_file_bytes) {
    d.file_error(
        fmt::format("cannot load the scenario: it is {} bytes, more than {} (limit "
                    "--max-scenario-bytes)",
                    yaml_text.size(), limits.max_file_bytes));
    throw ScenarioError(d.sorted());
  }
  if (!prescan_yaml(yaml_text, limits, d)) throw ScenarioError(d.sorted());
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& error) {  // the prescan parsed it already: not expected
    report_syntax_error(d, error.mark, error.msg);
    throw ScenarioError(d.sorted());
  }
  if (!root.IsDefined() || root.IsNull()) {
    d.file_error(
        "the scenario is empty: a scenario starts with scenario: NAME, then frames, streams or "
        "claims");
    throw ScenarioError(d.sorted());
  }
  // Parameters first: `${name}` may stand anywhere, and every reader sees the values.
  std::vector<ScenarioParam> params;
  const YAML::Node& top = root;  // const: looking a key up must not add it
  YAML::Node declared = root.IsMap() ? top["params"] : YAML::Node(YAML::NodeType::Undefined);
  if (root.IsMap() && declared.IsDefined()) {
    params = read_params(d, {"params", "", declared, declared.Mark()}, given);
    substitute_params(d, root, params);
  } else if (!given.empty()) {
    d.file_error(
        fmt::format("a value is given for parameter '{}', but the scenario declares no "
                    "params:",
                    given.begin()->first));
  }
  std::string base_dir = std::filesystem::path(file_name).parent_path().string();
  Scenario scenario = Loader(d, limits, base_dir).load(root);
  scenario.params = std::move(params);
  if (!d.empty()) throw ScenarioError(d.sorted());
  return scenario;
}

Scenario load_scenario(const std::string& path, const ScenarioLimits& limits,
                       const ParamValues& params) {
  std::string reason;
  std::optional<std::string> text = read_small_file(path, limits.max_file_bytes, reason);
  if (!text) {
    Diagnostic unreadable;  // member by member: GCC 12 -O3 misreads a nested brace-init here
    unreadable.where.file = path;
    unreadable.message = "cannot load the scenario: " + reason;
    throw ScenarioError({std::move(unreadable)});
  }
  return parse_scenario(*text, path, limits, params);
}

}  // namespace tcpgrade
