// A scenario: what a correct capture looks like, as an instructor wrote it in YAML. This is
// the loaded, validated form; scenario_loader.h reads it, check.h grades a capture against it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/frame_analysis.h"

namespace tcpgrade {

// Where something was written, for error messages and for reports that point back at the
// scenario ("session.yaml:42:7").
struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
};

// How one numeric field is judged.
enum class MatchKind : uint8_t {
  any,       // anything, even absent
  exact,     // == value
  range,     // low <= x <= high
  one_of,    // x in values
  present,   // the field exists (an option was sent)
  absent,    // the field does not exist
  next,      // seq: this side's next expected Seq; ack: all the peer sent so far
  same_as,   // equal to another expected frame's field (reference_frame.reference_field)
  isn_plus,  // raw value == the peer's raw ISN + value (e.g. the SYN-ACK's Ack is ISN+1)
};

struct Matcher {
  MatchKind kind = MatchKind::any;
  int64_t value = 0;
  int64_t low = 0, high = 0;
  std::vector<int64_t> values;
  std::string reference_frame, reference_field;
  SourceLocation where;

  bool constrains() const { return kind != MatchKind::any; }
};

// Text matchers for payloads and claims about what a frame carries.
enum class TextMatchKind : uint8_t { none, equals, contains, regex, equals_file };

struct TextMatcher {
  TextMatchKind kind = TextMatchKind::none;
  std::string text;  // the literal or the pattern
  std::string file;  // for equals_file: the path as written
  SourceLocation where;
  // For equals_file: the file's bytes, read at load time. Shared by every matcher that names
  // the same file and by every copy of the scenario (a reading per `either:` variant).
  std::shared_ptr<const std::string> file_bytes = nullptr;

  // What the bytes are compared with: the file's bytes or the text.
  const std::string& expected() const { return file_bytes ? *file_bytes : text; }
};

enum class FlagsMatchKind : uint8_t { any, exact, includes };

struct FlagsMatcher {
  FlagsMatchKind kind = FlagsMatchKind::any;
  uint16_t flags = 0;     // exact set, or the bits that must be set
  uint16_t excluded = 0;  // with includes: bits that must not be set
  SourceLocation where;
};

// Options of one expected frame. Each matcher judges the option's value; `present`/`absent`
// judge whether it was sent.
struct OptionsExpectation {
  Matcher mss, ws, sack_perm, tsval, tsecr, sack_blocks;  // ws is the shift; sack_blocks a count
  Matcher ts;                  // present / absent for the whole timestamps option
  std::vector<uint8_t> order;  // exact option kinds in header order (NOP and EOL included)
  bool order_set = false;      // true: `order` lists the kinds as a set (any order, no NOPs)
  bool order_given = false;
};

struct BlockExpectation;        // scenario_block.h
struct ConversationProperties;  // scenario_properties.h

// How an entry's points are earned, shared by frames and by the blocks of the frame list:
// split over its checks by weight, or all or nothing (scenarios/README.md, "Scoring").
struct PointRule {
  // Check field ("flags", "seq", "options" for every option, "present") → weight; a field not
  // listed takes the scenario's default (ScoringPolicy::weights), else 1.
  std::map<std::string, double> weights;
  bool all_or_nothing = false;  // any check not passed: the entry earns nothing
};

struct ExpectedFrame {
  std::string id;
  std::optional<Direction> direction;
  std::optional<Phase> phase;
  FlagsMatcher flags;
  Matcher seq, ack, len, window, window_scaled, seq_raw, ack_raw;
  OptionsExpectation options;
  TextMatcher payload;  // on this frame's own bytes
  double points = 1;    // a repeated frame's copies share them: it scores once
  PointRule scoring;
  std::string teaches;  // one sentence: what the frame shows a student
  std::string hint;     // the instructor's advice, shown under the frame's failures
  // Advice for one check ("flags", "seq", "options" for every option, "present"), in place of
  // `hint` under that check: `hint: {flags: ..., seq: ...}`.
  std::map<std::string, std::string> field_hints;
  std::string visibility;  // visible, hidden, after_due_date; empty: the scenario's default
  bool optional = false;
  int repeat_min = 1, repeat_max = 1;  // a frame that may appear several times in a row
  SourceLocation where;
  // Set for a `transfer:` or `teardown:` block: it claims a run of segments, judged as one.
  std::shared_ptr<const BlockExpectation> block = nullptr;
};

// Alternatives for a run of frames: real stacks close (or retransmit, or coalesce) in more
// than one correct order. `either:` in the frame list; check grades the variant that fits best.
struct FrameVariant {
  std::string name;   // an id, e.g. server-closes-first
  std::string title;  // a sentence for the report, e.g. "the server closes first"
  std::vector<ExpectedFrame> frames;
  SourceLocation where;
};

struct FrameChoice {
  size_t position = 0;  // the variant's frames go before scenario.frames[position]
  std::vector<FrameVariant> variants;
  SourceLocation where;
};

// A check on the application data of one direction, judged on the reassembled stream.
struct StreamExpectation {
  std::string id;
  Direction direction = Direction::client_to_server;
  TextMatcher data;
  double points = 1;
  std::string teaches;
  std::string hint;  // the instructor's advice when the check fails
  std::string visibility;
  SourceLocation where;
};

// What a write-up says about frame N of a particular capture.
struct Claim {
  std::string id;
  uint64_t frame = 0;  // Wireshark frame number in the capture
  std::string source;  // the write-up's words, quoted in the report
  std::optional<Phase> phase;
  std::optional<Direction> direction;
  FlagsMatcher flags;
  Matcher seq, ack, len, seq_raw, ack_raw, window;
  TextMatcher carries;  // "frame 8 carries `HTTP/1.0 200 OK`"
  double points = 1;
  std::string hint;  // the instructor's advice when the claim is judged wrong
  std::string visibility;
  SourceLocation where;
};

// Which conversation of the capture is graded.
// first: the first matching connection; best: the one that fits the scenario best (a capture
// without a port filter may hold other traffic first); each/all: every one.
enum class Selection : uint8_t { first, best, each, all };

struct ConversationSelector {
  std::optional<uint16_t> server_port;  // none: any port
  uint8_t family = 0;                   // 4, 6, or 0 for either
  Selection select = Selection::first;
};

// Noise the scenario tolerates between expected frames (analysis_flag bits).
struct NoisePolicy {
  uint32_t tolerated_flags = 0;
  bool strict_order = true;
  bool ignore_rest = false;  // `rest: ignore`: frames after the last expected one are not graded
};

// The scenario's scoring rules (`scoring:`): the default weights of every frame's checks and
// what a frame the scenario does not expect costs.
struct ScoringPolicy {
  std::map<std::string, double> weights;  // check field → weight (PointRule::weights' default)
  double unexpected_frame = 1;            // points each unexpected frame takes off the score
};

// An instructor's own text for a root cause (`root_causes: {ID: {title, advice}}`).
struct RootCauseText {
  std::string title, advice;
};

// Defaults for `tcpgrade live`: how to make a fresh capture of the exchange the scenario grades.
struct LiveDefaults {
  std::string server = "builtin";  // "builtin", "none" (nothing listens), or a shell command
  std::string client = "builtin";  // "builtin" or a shell command; {port} and {address} expand
  std::string www;                 // the built-in server's document root (absolute after loading)
  uint16_t port = 0;               // 0: a free port
  std::string address = "127.0.0.1";
};

// A profile value that differs between kernels of one environment (the window scale follows
// tcp_rmem): `profile.NAME` then matches any value of the range.
struct ProfileRange {
  int64_t low = 0, high = 0;
};

// A lab parameter (`params:`): one value per student, so each hands in a capture of their own
// lab (another port, page or path). `${name}` in any scalar of the scenario is replaced by it.
struct ScenarioParam {
  std::string name;
  std::string describe;       // what it is, for the student's instructions
  std::string default_value;  // lint and a plain `check` use it
  std::string value;          // the value this scenario was loaded with
  // How a student's value is drawn from the course secret: one of `choices`, else an integer
  // in [low, high]; neither: everyone gets the default.
  std::vector<std::string> choices;
  std::optional<std::pair<int64_t, int64_t>> range;
};

struct Scenario {
  std::string name;
  std::string title;
  std::string description;
  SourceLocation where;                                // the file
  std::string profile;                                 // e.g. "linux-loopback"
  std::map<std::string, int64_t> profile_values;       // mss: 65495, ... (after overrides)
  std::map<std::string, ProfileRange> profile_ranges;  // ws: 7..14 (an override makes it exact)
  ConversationSelector conversation;
  NoisePolicy noise;
  std::vector<ExpectedFrame> frames;  // without the choices' frames
  std::vector<FrameChoice> choices;
  std::vector<StreamExpectation> streams;
  std::vector<Claim> claims;
  bool handshake_prerequisite = true;  // no handshake at all: dependent checks score zero
  bool capture_losses_fail = true;     // `capture_losses: warn`: a frame the capture lost passes
  std::string visibility = "visible";  // default of every check (Gradescope's visibility)
  LiveDefaults live;
  // `properties:`: the connection as a whole (scenario_properties.h); null when not given.
  std::shared_ptr<const ConversationProperties> properties = nullptr;

  ScoringPolicy scoring;
  std::map<std::string, RootCauseText> root_cause_texts;  // by root-cause id
  std::vector<ScenarioParam> params;                      // in file order, with the values loaded
};

// One way to read the frame list: every choice resolved to one of its variants.
struct FrameListVariant {
  std::vector<ExpectedFrame> frames;
  std::vector<std::string> chosen;  // the variants' titles (or names), one per choice
};

// Every combination of the scenario's choices, in file order (the first variant of each first).
// A scenario without choices has exactly one.
std::vector<FrameListVariant> frame_list_variants(const Scenario& scenario);

// The points a perfect capture earns: every frame's points once (a repeated frame's copies
// share them, an optional frame absent earns them), the first variant of each choice, every
// stream and claim. Fixed by the scenario: the max_score of every submission.
double scenario_max_points(const Scenario& scenario);

// Built-in environment profiles a scenario may name. Values a scenario refers to as
// `profile.NAME`.
const std::map<std::string, int64_t>* find_profile(const std::string& name);
// The profile's values that are ranges across kernels; null for an unknown profile.
const std::map<std::string, ProfileRange>* find_profile_ranges(const std::string& name);
// The built-in profiles' names, sorted: for lint's did-you-mean and its list of choices.
std::vector<std::string> profile_names();

// A shell command named by a scenario's live: section: code from the scenario's author, which
// `tcpgrade live` runs only with --allow-commands and `tcpgrade lint` shows in full.
struct ScenarioCommand {
  std::string role;     // "server" or "client"
  std::string command;  // as written, before substitution
};
std::vector<ScenarioCommand> scenario_commands(const LiveDefaults& live);

}  // namespace tcpgrade
