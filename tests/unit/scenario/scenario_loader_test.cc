// The scenario loader: what each construct of the language becomes, and the exact text of
// every kind of error (an error text is part of the interface: tests pin it verbatim).
#include "scenario/scenario_loader.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "capture/decoded_frame.h"

namespace tcpgrade {
namespace {

namespace fs = std::filesystem;

// fmt's idiom: the statement throws `exception` whose what() is exactly `message`.
#define EXPECT_THROW_MSG(statement, exception, message)           \
  do {                                                            \
    try {                                                         \
      statement;                                                  \
      ADD_FAILURE() << #statement " did not throw";               \
    } catch (const exception& error) {                            \
      EXPECT_EQ(std::string(error.what()), std::string(message)); \
    }                                                             \
  } while (false)

const fs::path data_dir = fs::path(TCPGRADE_SOURCE_DIR) / "tests" / "data" / "scenarios";
const fs::path shipped_dir = fs::path(TCPGRADE_SOURCE_DIR) / "scenarios";

Scenario parse(const std::string& yaml, const ScenarioLimits& limits = {}) {
  return parse_scenario(yaml, "test.yaml", limits);
}

// Every diagnostic of a scenario that must fail, as "line:col: message".
std::vector<std::string> errors(const std::string& yaml, const ScenarioLimits& limits = {}) {
  try {
    parse(yaml, limits);
  } catch (const ScenarioError& error) {
    std::vector<std::string> out;
    for (const Diagnostic& d : error.diagnostics())
      out.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " +
                    d.message);
    return out;
  }
  ADD_FAILURE() << "the scenario loaded:\n" << yaml;
  return {};
}

// The one error of a scenario whose frames list holds `frame` (a flow map).
std::string frame_error(const std::string& frame) {
  std::vector<std::string> all = errors("scenario: t\nframes:\n  - " + frame + "\n");
  EXPECT_EQ(all.size(), 1u) << frame;
  return all.empty() ? "" : all.front();
}

std::string claim_error(const std::string& claim) {
  std::vector<std::string> all = errors("scenario: t\nclaims:\n  - " + claim + "\n");
  EXPECT_EQ(all.size(), 1u) << claim;
  return all.empty() ? "" : all.front();
}

ExpectedFrame one_frame(const std::string& frame) {
  return parse("scenario: t\nframes:\n  - " + frame + "\n").frames.at(0);
}

// ---- What the language means -------------------------------------------------------------

TEST(ScenarioLoader, LoadsEveryFeature) {
  Scenario s = load_scenario((data_dir / "every_feature.yaml").string());
  EXPECT_EQ(s.name, "every-feature");
  EXPECT_EQ(s.title, "Every feature of the language");
  EXPECT_EQ(s.description, "Not a real lab: a tour of the language for the loader test.\n");
  EXPECT_EQ(s.profile, "linux-loopback");
  EXPECT_EQ(s.profile_values.at("mss"), 16344);             // overridden
  EXPECT_EQ(s.profile_ranges.at("syn_window").low, 43690);  // differs between kernels
  EXPECT_EQ(s.profile_ranges.at("syn_window").high, 65535);
  EXPECT_EQ(s.conversation.server_port, 8002);
  EXPECT_EQ(s.conversation.family, 4);
  EXPECT_EQ(s.conversation.select, Selection::first);
  EXPECT_EQ(s.noise.tolerated_flags, analysis_flag::duplicate_ack | analysis_flag::window_update |
                                         analysis_flag::retransmission);
  EXPECT_FALSE(s.noise.strict_order);
  EXPECT_TRUE(s.noise.ignore_rest);
  EXPECT_FALSE(s.handshake_prerequisite);
  ASSERT_EQ(s.frames.size(), 7u);
  ASSERT_EQ(s.streams.size(), 4u);
  ASSERT_EQ(s.claims.size(), 3u);

  const ExpectedFrame& syn = s.frames[0];
  EXPECT_EQ(syn.id, "syn");
  EXPECT_EQ(syn.direction, Direction::client_to_server);
  EXPECT_EQ(syn.phase, Phase::handshake);
  EXPECT_EQ(syn.flags.kind, FlagsMatchKind::exact);
  EXPECT_EQ(syn.flags.flags, tcp_flag::syn);
  EXPECT_EQ(syn.seq.kind, MatchKind::exact);
  EXPECT_EQ(syn.seq.value, 0);
  EXPECT_EQ(syn.ack.kind, MatchKind::absent);
  // Scoring, hints and root-cause texts (issue 14).
  EXPECT_EQ(s.scoring.weights, (std::map<std::string, double>{{"present", 0}, {"dir", 0.5}}));
  EXPECT_EQ(s.scoring.unexpected_frame, 2);
  EXPECT_EQ(s.root_cause_texts.at("connection-refused").title, "Nobody listens");
  EXPECT_EQ(s.root_cause_texts.at("connection-refused").advice, "Start the lab server first.");
  EXPECT_EQ(s.root_cause_texts.at("several-connections").title, "");
  EXPECT_EQ(s.frames.back().id, "rst");
  EXPECT_EQ(s.frames.back().scoring.weights,
            (std::map<std::string, double>{{"flags", 2}, {"options", 0}}));
  EXPECT_TRUE(s.frames.back().scoring.all_or_nothing);
  EXPECT_EQ(s.frames.back().hint, "A reset here means the client gave up.");
  EXPECT_FALSE(s.frames.front().scoring.all_or_nothing);
  EXPECT_EQ(s.streams.at(1).hint, "The page is index.html as served.");
  EXPECT_EQ(syn.window.kind, MatchKind::range);  // profile.syn_window: a range across kernels
  EXPECT_EQ(syn.window.low, 43690);
  EXPECT_EQ(syn.window.high, 65535);
  EXPECT_EQ(syn.seq_raw.kind, MatchKind::any);
  EXPECT_EQ(syn.options.mss.value, 16344);
  EXPECT_EQ(syn.options.sack_perm.kind, MatchKind::present);
  EXPECT_EQ(syn.options.ts.kind, MatchKind::present);
  EXPECT_EQ(syn.options.tsval.kind, MatchKind::any);
  EXPECT_EQ(syn.options.tsecr.kind, MatchKind::exact);
  EXPECT_EQ(syn.options.ws.value, 7);
  EXPECT_EQ(syn.options.sack_blocks.kind, MatchKind::absent);
  EXPECT_TRUE(syn.options.order_given);
  EXPECT_FALSE(syn.options.order_set);
  EXPECT_EQ(syn.options.order, (std::vector<uint8_t>{2, 4, 8, 1, 3}));
  EXPECT_EQ(syn.points, 2);
  EXPECT_EQ(syn.teaches, "The client opens the connection: SYN, relative Seq 0, its options.");
  EXPECT_EQ(syn.where.file, (data_dir / "every_feature.yaml").string());
  EXPECT_EQ(syn.where.line, 18);
  EXPECT_EQ(syn.where.column, 5);
  EXPECT_EQ(syn.seq.where.line, 22);
  EXPECT_EQ(syn.seq.where.column, 10);

  const ExpectedFrame& syn_ack = s.frames[1];
  EXPECT_EQ(syn_ack.direction, Direction::server_to_client);
  EXPECT_EQ(syn_ack.flags.flags, tcp_flag::syn | tcp_flag::ack);
  EXPECT_EQ(syn_ack.ack_raw.kind, MatchKind::isn_plus);
  EXPECT_EQ(syn_ack.ack_raw.value, 1);
  EXPECT_EQ(syn_ack.window_scaled.kind, MatchKind::range);
  EXPECT_EQ(syn_ack.window_scaled.low, 1);
  EXPECT_EQ(syn_ack.window_scaled.high, 65535LL << 14);
  EXPECT_TRUE(syn_ack.options.order_set);
  EXPECT_EQ(syn_ack.options.order, (std::vector<uint8_t>{2, 4, 8, 3}));
  EXPECT_EQ(syn_ack.options.sack_perm.kind, MatchKind::present);  // profile.sack_perm is 1
  EXPECT_EQ(syn_ack.points, 1);

  const ExpectedFrame& ack = s.frames[2];
  EXPECT_EQ(ack.flags.kind, FlagsMatchKind::includes);
  EXPECT_EQ(ack.flags.flags, tcp_flag::ack);
  EXPECT_EQ(ack.flags.excluded, tcp_flag::syn | tcp_flag::rst);
  EXPECT_EQ(ack.seq.kind, MatchKind::next);
  EXPECT_EQ(ack.ack.kind, MatchKind::same_as);
  EXPECT_EQ(ack.ack.reference_frame, "syn-ack");
  EXPECT_EQ(ack.ack.reference_field, "seq");
  EXPECT_EQ(ack.len.kind, MatchKind::one_of);
  EXPECT_EQ(ack.len.values, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(ack.window.low, 1);
  EXPECT_EQ(ack.window.high, 65535);
  EXPECT_TRUE(ack.optional);

  const ExpectedFrame& data = s.frames[3];
  EXPECT_EQ(data.seq.kind, MatchKind::one_of);
  EXPECT_EQ(data.len.kind, MatchKind::range);
  EXPECT_EQ(data.len.low, 0);
  EXPECT_EQ(data.len.high, 1460);
  EXPECT_EQ(data.payload.kind, TextMatchKind::contains);
  EXPECT_EQ(data.payload.text, "GET / HTTP/1.1");
  EXPECT_EQ(data.repeat_min, 0);
  EXPECT_EQ(data.repeat_max, 3);

  const ExpectedFrame& body = s.frames[4];
  EXPECT_EQ(body.payload.kind, TextMatchKind::equals_file);
  EXPECT_EQ(body.payload.file, "page.html");
  EXPECT_EQ(body.payload.expected(), "<h1>TCP HANDSHAKE Learning</h1>\n\n");
  EXPECT_EQ(body.repeat_min, 2);
  EXPECT_EQ(body.repeat_max, 2);
  EXPECT_EQ(s.frames[5].payload.kind, TextMatchKind::regex);
  EXPECT_EQ(s.frames[5].seq_raw.reference_frame, "data");
  EXPECT_EQ(s.frames[6].phase, Phase::reset);
  EXPECT_EQ(s.frames[6].payload.kind, TextMatchKind::equals);

  EXPECT_EQ(s.streams[0].id, "response");
  EXPECT_EQ(s.streams[0].direction, Direction::server_to_client);
  EXPECT_EQ(s.streams[0].data.kind, TextMatchKind::contains);
  EXPECT_EQ(s.streams[0].points, 2);
  EXPECT_EQ(s.streams[0].teaches, "The server answers with a status line.");
  EXPECT_EQ(s.streams[1].data.kind, TextMatchKind::equals_file);
  EXPECT_EQ(s.streams[2].data.text, "^GET / HTTP/1\\.1\r\n");
  EXPECT_EQ(s.streams[3].data.kind, TextMatchKind::equals);

  EXPECT_EQ(s.claims[0].id, "frame7-phase");
  EXPECT_EQ(s.claims[0].frame, 7u);
  EXPECT_EQ(s.claims[0].source, "Packet 7: Next Seq = 79 → handshake of data continuing");
  EXPECT_EQ(s.claims[0].phase, Phase::handshake);
  EXPECT_EQ(s.claims[1].id, "claim-8-carries");  // the default id
  EXPECT_EQ(s.claims[1].carries.kind, TextMatchKind::contains);
  EXPECT_EQ(s.claims[1].carries.text, "HTTP/1.0 200 OK");
  EXPECT_EQ(s.claims[2].id, "claim-4-dir-flags-seq-ack-len-seq_raw-ack_raw-window-carries");
  EXPECT_EQ(s.claims[2].window.value, 65536);  // Wireshark's Win=, scaled
  EXPECT_EQ(s.claims[2].ack_raw.kind, MatchKind::present);
  EXPECT_EQ(s.claims[2].carries.kind, TextMatchKind::regex);
}

TEST(ScenarioLoader, ShippedScenariosLoad) {
  int loaded = 0;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(shipped_dir)) {
    if (entry.path().extension() != ".yaml") continue;
    std::string name = entry.path().filename().string();
    if (name == "suite.yaml" || name.ends_with(".suite.yaml")) continue;  // a lab's test suite
    EXPECT_NO_THROW(load_scenario(entry.path().string())) << entry.path();
    ++loaded;
  }
  EXPECT_GE(loaded, 3);
}

TEST(ScenarioLoader, Defaults) {
  Scenario s = parse("scenario: t\nframes: [{id: a}]\n");
  EXPECT_EQ(s.profile, "any");
  EXPECT_TRUE(s.profile_values.empty());
  EXPECT_FALSE(s.conversation.server_port.has_value());
  EXPECT_EQ(s.conversation.family, 0);
  EXPECT_EQ(s.conversation.select, Selection::first);
  EXPECT_EQ(s.noise.tolerated_flags, 0u);
  EXPECT_TRUE(s.noise.strict_order);
  EXPECT_FALSE(s.noise.ignore_rest);
  EXPECT_TRUE(s.handshake_prerequisite);
  EXPECT_TRUE(s.capture_losses_fail);
  EXPECT_EQ(s.where.file, "test.yaml");
  const ExpectedFrame& f = s.frames.at(0);
  EXPECT_FALSE(f.direction.has_value());
  EXPECT_FALSE(f.phase.has_value());
  EXPECT_EQ(f.flags.kind, FlagsMatchKind::any);
  EXPECT_FALSE(f.seq.constrains());
  EXPECT_FALSE(f.options.order_given);
  EXPECT_EQ(f.payload.kind, TextMatchKind::none);
  EXPECT_EQ(f.points, 1);
  EXPECT_FALSE(f.optional);
  EXPECT_EQ(f.repeat_min, 1);
  EXPECT_EQ(f.repeat_max, 1);
}

TEST(ScenarioLoader, DirectionSpellings) {
  for (const char* dir : {"client->server", "c2s", "client", "client→server"})
    EXPECT_EQ(one_frame(std::string("{id: a, dir: ") + dir + "}").direction,
              Direction::client_to_server);
  for (const char* dir : {"server->client", "s2c", "server", "server→client"})
    EXPECT_EQ(one_frame(std::string("{id: a, dir: ") + dir + "}").direction,
              Direction::server_to_client);
}

TEST(ScenarioLoader, FlagForms) {
  EXPECT_EQ(one_frame("{id: a, flags: [syn, Ack]}").flags.flags, tcp_flag::syn | tcp_flag::ack);
  EXPECT_EQ(one_frame("{id: a, flags: FIN PSH}").flags.flags, tcp_flag::fin | tcp_flag::psh);
  EXPECT_EQ(one_frame("{id: a, flags: [NS, CWR, ECE, URG]}").flags.flags,
            tcp_flag::ae | tcp_flag::cwr | tcp_flag::ece | tcp_flag::urg);
  ExpectedFrame none = one_frame("{id: a, flags: []}");
  EXPECT_EQ(none.flags.kind, FlagsMatchKind::exact);
  EXPECT_EQ(none.flags.flags, 0);
  EXPECT_EQ(one_frame("{id: a, flags: any}").flags.kind, FlagsMatchKind::any);
  ExpectedFrame excludes = one_frame("{id: a, flags: {excludes: RST}}");
  EXPECT_EQ(excludes.flags.kind, FlagsMatchKind::includes);
  EXPECT_EQ(excludes.flags.flags, 0);
  EXPECT_EQ(excludes.flags.excluded, tcp_flag::rst);
}

TEST(ScenarioLoader, NumberForms) {
  EXPECT_EQ(one_frame("{id: a, seq_raw: 0xdeadbeef}").seq_raw.value, 0xdeadbeefLL);
  EXPECT_EQ(one_frame("{id: a, seq_raw: 4294967295}").seq_raw.value, 4294967295LL);
  Matcher min_only = one_frame("{id: a, len: {min: 1}}").len;
  EXPECT_EQ(min_only.kind, MatchKind::range);
  EXPECT_EQ(min_only.low, 1);
  EXPECT_EQ(min_only.high, 4294967295LL);
  EXPECT_EQ(one_frame("{id: a, ack: present}").ack.kind, MatchKind::present);
  EXPECT_EQ(one_frame("{id: a, ack: next}").ack.kind, MatchKind::next);
  EXPECT_EQ(one_frame("{id: a, seq_raw: {isn_plus: 0}}").seq_raw.kind, MatchKind::isn_plus);
  EXPECT_EQ(one_frame("{id: a, options: {sack: 0}}").options.sack_blocks.kind, MatchKind::absent);
  EXPECT_EQ(one_frame("{id: a, options: {sack: 2}}").options.sack_blocks.value, 2);
  EXPECT_EQ(one_frame("{id: a, options: {ts: absent}}").options.ts.kind, MatchKind::absent);
  EXPECT_EQ(one_frame("{id: a, options: {order: [MSS, 30, tfo]}}").options.order,
            (std::vector<uint8_t>{2, 30, 34}));
  EXPECT_EQ(one_frame("{id: a, repeat: {min: 2}}").repeat_max, 64);
}

TEST(ScenarioLoader, SameAsMayReferToALaterFrame) {
  Scenario s = parse("scenario: t\nframes:\n  - {id: a, ack: {same_as: b.seq}}\n  - {id: b}\n");
  EXPECT_EQ(s.frames[0].ack.reference_frame, "b");
}

TEST(ScenarioLoader, ProfilePresenceValuesBecomePresentOrAbsent) {
  Scenario s = parse(
      "scenario: t\nprofile: linux-ethernet\nprofile_overrides: {ts: 0}\nframes:\n"
      "  - {id: a, options: {ts: profile.ts, sack_perm: profile.sack_perm, mss: profile.mss}}\n");
  EXPECT_EQ(s.frames[0].options.ts.kind, MatchKind::absent);
  EXPECT_EQ(s.frames[0].options.sack_perm.kind, MatchKind::present);
  EXPECT_EQ(s.frames[0].options.mss.value, 1460);
}

TEST(ScenarioLoader, AliasesWithinTheLimitsAreExpanded) {
  Scenario s = parse(
      "scenario: t\nframes:\n  - {id: a, options: &syn_options {mss: 1460, ws: 7}}\n"
      "  - {id: b, options: *syn_options}\n");
  EXPECT_EQ(s.frames[1].options.mss.value, 1460);
  EXPECT_EQ(s.frames[1].options.ws.value, 7);
}

// ---- Errors: where, and in what words -----------------------------------------------------

TEST(ScenarioErrors, WhatIsTheFirstErrorWithItsLocation) {
  EXPECT_THROW_MSG(parse("scenario: t\nframes:\n  - id: syn\n    flag: [SYN]\n"), ScenarioError,
                   "test.yaml:4:5: unknown key 'flag' in frame 'syn'; did you mean 'flags'?");
}

TEST(ScenarioErrors, CollectsEveryErrorInFileOrder) {
  EXPECT_EQ(errors("scenario: Hand Shake\n"
                   "profile: linux-loopbak\n"
                   "frames:\n"
                   "  - id: syn\n"
                   "    dir: clinet\n"
                   "    seq: nxt\n"
                   "  - id: syn\n"
                   "    window: 70000\n"),
            (std::vector<std::string>{
                "1:11: scenario: 'Hand Shake' is not a valid name: use lower-case letters, "
                "digits, '-' and '_' (at most 64)",
                "2:10: profile: unknown profile 'linux-loopbak'; did you mean 'linux-loopback'?",
                "5:10: dir in frame 'syn': expected client->server, c2s, client, server->client, "
                "s2c, server, client→server or server→client; got 'clinet'; did you mean "
                "'client'?",
                "6:10: seq in frame 'syn': expected a whole number, any, next, profile.NAME, a "
                "list of numbers or a map with one_of, range, min/max or same_as; got 'nxt'; did "
                "you mean 'next'?",
                "7:5: duplicate frame id 'syn' (first at line 4)",
                "8:13: window in frame 'syn': 70000 does not fit a 16-bit window (0..65535)",
            }));
}

// What lint prints for a file with many mistakes: every error, in file order, each with its
// source line and caret (many_errors.lint.txt is the expected output, byte for byte).
TEST(ScenarioErrors, RendersEveryErrorOfAFileAsLintDoes) {
  std::ifstream yaml(data_dir / "many_errors.yaml"), expected(data_dir / "many_errors.lint.txt");
  std::string text((std::istreambuf_iterator<char>(yaml)), {});
  std::string want((std::istreambuf_iterator<char>(expected)), {});
  std::string rendered;
  try {
    parse_scenario(text, "many_errors.yaml");
    ADD_FAILURE() << "loaded";
  } catch (const ScenarioError& error) {
    for (const Diagnostic& d : error.diagnostics()) rendered += format_diagnostic(d);
  }
  EXPECT_EQ(rendered, want);
}

TEST(ScenarioErrors, UnknownKeys) {
  EXPECT_EQ(errors("scenario: t\ntitel: x\nframes: [{id: a}]\n"),
            (std::vector<std::string>{"2:1: unknown key 'titel' at the top level; did you mean "
                                      "'title'?"}));
  EXPECT_EQ(errors("scenario: t\nseq: 1\nframes: [{id: a}]\n"),
            (std::vector<std::string>{"2:1: unknown key 'seq' at the top level; 'seq' belongs "
                                      "in a frame or a claim"}));
  EXPECT_EQ(frame_error("{id: a, carries: x}"),
            "3:13: unknown key 'carries' in frame 'a'; 'carries' belongs in a claim");
  EXPECT_EQ(frame_error("{id: a, options: {msss: 1}}"),
            "3:23: unknown key 'msss' in options of frame 'a'; did you mean 'mss'?");
  EXPECT_EQ(frame_error("{id: a, options: {ts: {tsvall: 1}}}"),
            "3:28: unknown key 'tsvall' in options.ts of frame 'a'; did you mean 'tsval'?");
  EXPECT_EQ(frame_error("{id: a, seq: {rang: [1, 2]}}"),
            "3:19: unknown key 'rang' in seq of frame 'a'; did you mean 'range'?");
  EXPECT_EQ(frame_error("{id: a, bogus: 1}"), "3:13: unknown key 'bogus' in frame 'a'");
  EXPECT_EQ(errors("scenario: t\nconversation: {port: 8002}\nframes: [{id: a}]\n"),
            (std::vector<std::string>{"2:16: unknown key 'port' in conversation"}));
  EXPECT_EQ(frame_error("{id: a, seq: 1, seq: 2}"),
            "3:21: duplicate key 'seq' in frame 'a' (first at line 3)");
}

TEST(ScenarioErrors, MissingKeys) {
  EXPECT_EQ(errors("frames: [{id: a}]\n"),
            (std::vector<std::string>{"1:1: missing key 'scenario' at the top level (its name, "
                                      "e.g. scenario: handshake)"}));
  EXPECT_EQ(frame_error("{dir: c2s}"),
            "3:5: missing key 'id' in frame #1 (each frame needs one, e.g. id: syn)");
  EXPECT_EQ(errors("scenario: t\nstreams: [{id: s, contains: x}]\n"),
            (std::vector<std::string>{"2:11: missing key 'dir' in stream 's' (the direction "
                                      "whose data is judged)"}));
  EXPECT_EQ(claim_error("{frame: 2, seq: 1}"),
            "3:5: missing key 'source' in claim #1 (the write-up's words)");
  EXPECT_EQ(errors("scenario: t\n"),
            (std::vector<std::string>{"1:1: the scenario checks nothing: give it frames, "
                                      "streams or claims"}));
}

TEST(ScenarioErrors, TypesAndRanges) {
  EXPECT_EQ(frame_error("{id: a, seq: 4294967296}"),
            "3:18: seq in frame 'a': 4294967296 does not fit a 32-bit sequence number "
            "(0..4294967295)");
  EXPECT_EQ(frame_error("{id: a, seq: -1}"),
            "3:18: seq in frame 'a': -1 does not fit a 32-bit sequence number (0..4294967295)");
  EXPECT_EQ(frame_error("{id: a, seq: 99999999999999999999999}"),
            "3:18: seq in frame 'a': 99999999999999999999999 does not fit a 32-bit sequence "
            "number (0..4294967295)");
  EXPECT_EQ(frame_error("{id: a, options: {ws: 15}}"),
            "3:27: options.ws in frame 'a': 15 does not fit a window scale shift (0..14)");
  EXPECT_EQ(frame_error("{id: a, options: {mss: 65536}}"),
            "3:28: options.mss in frame 'a': 65536 does not fit an MSS (16 bits) (0..65535)");
  EXPECT_EQ(frame_error("{id: a, window: 1.5}"),
            "3:21: window in frame 'a': expected a whole number, any, profile.NAME, a list of "
            "numbers or a map with one_of, range, min/max or same_as; got '1.5'");
  EXPECT_EQ(frame_error("{id: a, len: absent}"),
            "3:18: len in frame 'a': every segment has this field, so absent cannot judge it; "
            "write any or a value");
  EXPECT_EQ(frame_error("{id: a, len: [1, x]}"),
            "3:22: len in frame 'a': expected a whole number or profile.NAME; got 'x'");
  EXPECT_EQ(frame_error("{id: a, len: []}"),
            "3:18: len in frame 'a': an empty list matches nothing; list the values a frame may "
            "have");
  EXPECT_EQ(frame_error("{id: a, seq: {range: [5, 1]}}"),
            "3:26: seq.range in frame 'a': the range 5..1 is empty (the low bound comes first)");
  EXPECT_EQ(frame_error("{id: a, seq: {range: 5}}"),
            "3:26: seq.range in frame 'a': expected [low, high]; got '5'");
  EXPECT_EQ(frame_error("{id: a, seq: {min: 5, max: 1}}"),
            "3:24: seq in frame 'a': min 5 is greater than max 1");
  EXPECT_EQ(frame_error("{id: a, seq: {one_of: [1], min: 1}}"),
            "3:18: seq in frame 'a': give only one of one_of, range, min/max, same_as or "
            "isn_plus, not several");
  EXPECT_EQ(frame_error("{id: a, seq: {}}"),
            "3:18: seq in frame 'a': give one of one_of, range, min/max, same_as or isn_plus");
  EXPECT_EQ(frame_error("{id: a, options: {sack_perm: 1}}"),
            "3:34: options.sack_perm in frame 'a': expected present, absent, any or "
            "profile.NAME; got '1'");
  EXPECT_EQ(frame_error("{id: a, options: {sack: 5}}"),
            "3:29: options.sack in frame 'a': 5 does not fit a count of SACK blocks (0..4)");
  EXPECT_EQ(frame_error("{id: a, points: -1}"),
            "3:21: points in frame 'a': expected a number of points from 0 to 1000; got '-1'");
  EXPECT_EQ(frame_error("{id: a, optional: yes}"),
            "3:23: optional in frame 'a': expected true or false; got 'yes'");
  EXPECT_EQ(frame_error("{id: a, teaches: [x]}"),
            "3:22: teaches in frame 'a': expected text; got a list");
  EXPECT_EQ(frame_error("{id: Syn}"),
            "3:10: id in frame #1: 'Syn' is not a valid name: use lower-case letters, digits, "
            "'-' and '_' (at most 64)");
  EXPECT_EQ(frame_error("42"),
            "3:5: frame #1: expected a map of frame fields (id, dir, flags, seq, ...); got '42'");
  EXPECT_EQ(errors("scenario: t\nframes: {id: a}\n"),
            (std::vector<std::string>{"2:9: frames: expected a list of frames; got a map"}));
  EXPECT_EQ(errors("scenario: t\nconversation: {server_port: 0}\nframes: [{id: a}]\n"),
            (std::vector<std::string>{"2:29: conversation.server_port: 0 does not fit a TCP "
                                      "port (1..65535)"}));
  EXPECT_EQ(errors("scenario: t\nframes:\n  - id: a\n    seq:\n"),
            (std::vector<std::string>{"4:5: seq in frame 'a': expected a whole number, any, "
                                      "next, profile.NAME, a list of numbers or a map with "
                                      "one_of, range, min/max or same_as; got nothing"}));
}

TEST(ScenarioErrors, RelationsOnlyWhereTheyMeanSomething) {
  EXPECT_EQ(frame_error("{id: a, len: next}"),
            "3:18: len in frame 'a': next is not available here; it applies to the seq and ack "
            "of a frame");
  EXPECT_EQ(frame_error("{id: a, seq: {isn_plus: 1}}"),
            "3:29: seq in frame 'a': isn_plus is not available here; it applies to the seq_raw "
            "and ack_raw of a frame");
  EXPECT_EQ(frame_error("{id: a, options: {mss: {same_as: b.seq}}}"),
            "3:38: options.mss.same_as in frame 'a': same_as is not available here; it applies "
            "to the seq, ack, len, window, window_scaled, seq_raw and ack_raw of a frame");
  EXPECT_EQ(claim_error("{frame: 3, source: q, seq: next}"),
            "3:32: seq in claim #1: next is not available here; it applies to the seq and ack "
            "of a frame");
}

TEST(ScenarioErrors, FrameIdsAndReferences) {
  EXPECT_EQ(errors("scenario: t\nframes:\n  - {id: syn}\n  - {id: syn}\n"),
            (std::vector<std::string>{"4:5: duplicate frame id 'syn' (first at line 3)"}));
  EXPECT_EQ(errors("scenario: t\nframes:\n  - {id: syn-ack}\n  - {id: b, ack: {same_as: "
                   "synack.seq}}\n"),
            (std::vector<std::string>{"4:28: ack.same_as in frame 'b': same_as refers to "
                                      "unknown frame 'synack'; did you mean 'syn-ack'?"}));
  EXPECT_EQ(frame_error("{id: a, seq: {same_as: a.seq}}"),
            "3:28: seq.same_as in frame 'a': same_as refers to the frame itself");
  EXPECT_EQ(frame_error("{id: a, seq: {same_as: syn}}"),
            "3:28: seq.same_as in frame 'a': expected FRAME.FIELD, e.g. syn.seq; got 'syn'");
  EXPECT_EQ(frame_error("{id: a, seq: {same_as: syn.lenn}}"),
            "3:28: seq.same_as in frame 'a': same_as cannot compare with field 'lenn'; fields "
            "are seq, ack, len, window, window_scaled, seq_raw and ack_raw; did you mean 'len'?");
}

TEST(ScenarioErrors, Repeat) {
  EXPECT_EQ(frame_error("{id: a, repeat: {min: 3, max: 1}}"),
            "3:21: repeat in frame 'a': min 3 is greater than max 1");
  EXPECT_EQ(frame_error("{id: a, repeat: {max: 65}}"),
            "3:27: repeat.max in frame 'a': 65 does not fit a repeat count (1..64)");
  EXPECT_EQ(frame_error("{id: a, repeat: 0}"),
            "3:21: repeat in frame 'a': 0 does not fit a repeat count (1..64)");
}

TEST(ScenarioErrors, Flags) {
  EXPECT_EQ(frame_error("{id: a, flags: [SYNN]}"),
            "3:21: flags in frame 'a': unknown flag 'SYNN'; did you mean 'SYN'?");
  EXPECT_EQ(frame_error("{id: a, flags: \"SYN, BOGUS\"}"),
            "3:20: flags in frame 'a': unknown flag 'BOGUS' (flags are FIN, SYN, RST, PSH, ACK, "
            "URG, ECE, CWR and AE)");
  EXPECT_EQ(frame_error("{id: a, flags: [ACK, ack]}"),
            "3:26: flags in frame 'a': flag 'ack' is listed twice");
  EXPECT_EQ(frame_error("{id: a, flags: {includes: [ACK], excludes: [ACK]}}"),
            "3:20: flags in frame 'a': 'ACK' is both included and excluded");
  EXPECT_EQ(frame_error("{id: a, flags: {}}"),
            "3:20: flags in frame 'a': give includes, excludes or both");
  EXPECT_EQ(frame_error("{id: a, flags: {include: [ACK]}}"),
            "3:21: unknown key 'include' in flags of frame 'a'; did you mean 'includes'?");
}

TEST(ScenarioErrors, Options) {
  EXPECT_EQ(frame_error("{id: a, options: {order: [MSS, NOOP]}}"),
            "3:36: options.order in frame 'a': unknown option 'NOOP'; did you mean 'NOP'?");
  EXPECT_EQ(frame_error("{id: a, options: {order: [QQQQQ]}}"),
            "3:31: options.order in frame 'a': unknown option 'QQQQQ' (options are EOL, NOP, "
            "MSS, WS, SACK_PERM, SACK, TS, MD5, UTO, AO, MPTCP and TFO, or a kind number "
            "0..255)");
  EXPECT_EQ(frame_error("{id: a, options: {order: {set: [MSS, NOP]}}}"),
            "3:42: options.order.set in frame 'a': a set ignores NOP and EOL padding; remove "
            "'NOP'");
  EXPECT_EQ(frame_error("{id: a, options: {order: {set: [MSS, mss]}}}"),
            "3:42: options.order.set in frame 'a': 'mss' is listed twice");
  EXPECT_EQ(frame_error("{id: a, options: [mss]}"),
            "3:22: options in frame 'a': expected a map of TCP options (mss, ws, sack_perm, ts, "
            "sack, order); got a list");
}

TEST(ScenarioErrors, Profiles) {
  EXPECT_EQ(errors("scenario: t\nprofile: bsd\nframes: [{id: a, options: {mss: profile.mss}}]\n"),
            (std::vector<std::string>{"2:10: profile: unknown profile 'bsd' (profiles are any, "
                                      "linux-ethernet and linux-loopback)"}));
  EXPECT_EQ(errors("scenario: t\nprofile: linux-loopback\nframes: [{id: a, options: {mss: "
                   "profile.msss}}]\n"),
            (std::vector<std::string>{"3:33: options.mss in frame 'a': profile 'linux-loopback' "
                                      "has no value 'msss'; did you mean 'profile.mss'?"}));
  EXPECT_EQ(errors("scenario: t\nprofile: linux-ethernet\nframes: [{id: a, seq: profile.x}]\n"),
            (std::vector<std::string>{"3:23: seq in frame 'a': profile 'linux-ethernet' has no "
                                      "value 'x' (its values: mss, mtu, sack_perm, syn_window, "
                                      "ts and ws)"}));
  EXPECT_EQ(frame_error("{id: a, window: profile.mss}"),
            "3:21: window in frame 'a': profile 'any' has no value 'mss' (it has no values; "
            "give them in profile_overrides)");
  EXPECT_EQ(errors("scenario: t\nprofile: linux-loopback\nframes: [{id: a, options: {ws: "
                   "profile.mss}}]\n"),
            (std::vector<std::string>{"3:32: options.ws in frame 'a': profile.mss is 65495, "
                                      "which does not fit a window scale shift (0..14)"}));
  EXPECT_EQ(errors("scenario: t\nprofile_overrides: {ws: 15, mtux: 1}\nframes: [{id: a}]\n"),
            (std::vector<std::string>{
                "2:25: profile_overrides.ws: 15 does not fit a window scale shift (0..14)",
                "2:29: unknown key 'mtux' in profile_overrides; did you mean 'mtu'?"}));
}

TEST(ScenarioErrors, NoiseAndChoices) {
  EXPECT_EQ(errors("scenario: t\nnoise: [retransmision]\nframes: [{id: a}]\n"),
            (std::vector<std::string>{
                "2:9: noise: expected retransmission, spurious_retransmission, "
                "fast_retransmission, out_of_order, lost_segment, ack_lost_segment, "
                "duplicate_ack, zero_window, zero_window_probe, zero_window_probe_ack, "
                "window_full, window_update, keep_alive, keep_alive_ack, reused_ports or reset; "
                "got 'retransmision'; did you mean 'retransmission'?"}));
  EXPECT_EQ(errors("scenario: t\nnoise: duplicate_ack\nframes: [{id: a}]\n"),
            (std::vector<std::string>{"2:8: noise: expected a list of names such as "
                                      "[duplicate_ack, retransmission]; got 'duplicate_ack'"}));
  EXPECT_EQ(errors("scenario: t\norder: strictly\nrest: skip\nprerequisite: syn\n"
                   "frames: [{id: a}]\n"),
            (std::vector<std::string>{
                "2:8: order: expected strict or relaxed; got 'strictly'; did you mean 'strict'?",
                "3:7: rest: expected grade or ignore; got 'skip'",
                "4:15: prerequisite: expected handshake or none; got 'syn'"}));
  EXPECT_EQ(
      errors("scenario: t\ncapture_losses: ignore\nframes: [{id: a}]\n"),
      (std::vector<std::string>{"2:17: capture_losses: expected fail or warn; got 'ignore'"}));
  EXPECT_FALSE(parse("scenario: t\ncapture_losses: warn\nframes: [{id: a}]\n").capture_losses_fail);
}

TEST(ScenarioErrors, TextMatchers) {
  EXPECT_EQ(frame_error("{id: a, payload: {contains: \"\"}}"),
            "3:33: payload.contains in frame 'a': an empty text is found in anything; give the "
            "text to look for");
  EXPECT_EQ(frame_error("{id: a, payload: {regex: \"(abc\"}}"),
            "3:30: payload.regex in frame 'a': invalid regex '(abc': missing closing parenthesis "
            "at character 5");
  EXPECT_EQ(frame_error("{id: a, payload: {regex: \"[z-a]\"}}"),
            "3:30: payload.regex in frame 'a': invalid regex '[z-a]': range out of order in "
            "character class at character 4");
  EXPECT_EQ(frame_error("{id: a, payload: {contains: x, equals: y}}"),
            "3:22: payload in frame 'a': give only one of equals, contains, regex or file");
  EXPECT_EQ(frame_error("{id: a, payload: {contain: x}}"),
            "3:23: unknown key 'contain' in payload of frame 'a'; did you mean 'contains'?");
  EXPECT_EQ(errors("scenario: t\nstreams: [{id: s, dir: c2s, contains: a, regex: b}]\n"),
            (std::vector<std::string>{"2:11: stream 's': give only one of equals, contains, "
                                      "regex or file"}));
  EXPECT_EQ(errors("scenario: t\nstreams: [{id: s, dir: c2s}]\n"),
            (std::vector<std::string>{"2:11: stream 's': give one of equals, contains, regex "
                                      "or file"}));
  ScenarioLimits limits;
  limits.max_regex_bytes = 4;
  EXPECT_EQ(errors("scenario: t\nframes: [{id: a, payload: {regex: abcde}}]\n", limits),
            (std::vector<std::string>{"2:35: payload.regex in frame 'a': the regex is 5 "
                                      "characters, longer than the limit of 4"}));
}

TEST(ScenarioErrors, PayloadFileIsNamed) {
  std::string scenario = (data_dir / "missing_payload_file.yaml").string();
  std::string resolved = (data_dir / "www" / "index.htm").string();
  EXPECT_THROW_MSG(load_scenario(scenario), ScenarioError,
                   scenario +
                       ":4:32: payload.file in frame 'body': cannot read file "
                       "'www/index.htm' ('" +
                       resolved + "'): No such file or directory");
  ScenarioLimits everywhere;  // --allow-file-root /
  everywhere.file_roots = {"/"};
  EXPECT_EQ(errors("scenario: t\nframes: [{id: a, payload: {file: /}}]\n", everywhere),
            (std::vector<std::string>{
                "2:34: payload.file in frame 'a': cannot read file '/': it is a directory"}));
  EXPECT_EQ(errors("scenario: t\nframes: [{id: a, payload: {file: /dev/null}}]\n", everywhere),
            (std::vector<std::string>{"2:34: payload.file in frame 'a': cannot read file "
                                      "'/dev/null': it is not a regular file"}));
}

// A folder for one test, removed after it.
class ScratchFolder {
 public:
  explicit ScratchFolder(const std::string& name)
      : path_(fs::path(::testing::TempDir()) / (name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }
  // Writes `text` to the file `name` within.
  fs::path write(const std::string& name, const std::string& text) const {
    fs::path file = path_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }

 private:
  fs::path path_;
};

// The diagnostics of the scenario file `scenario`, "line:col: message" each; none when it loads.
std::vector<std::string> file_errors(const fs::path& scenario, const ScenarioLimits& limits = {}) {
  try {
    load_scenario(scenario.string(), limits);
  } catch (const ScenarioError& error) {
    std::vector<std::string> out;
    for (const Diagnostic& d : error.diagnostics())
      out.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " +
                    d.message);
    return out;
  }
  return {};
}

// file: reads only beside the scenario: never another file on the grader's machine, nor its
// size, whatever the path, `..` or symbolic link says.
TEST(ScenarioFiles, ConfinedToTheScenarioFolder) {
  ScratchFolder scratch("file-confinement");
  scratch.write("outside.txt", "a secret of 27 bytes, here\n");
  scratch.write("lab/page.html", "<h1>hi</h1>");
  fs::create_directories(scratch.path() / "lab" / "www");
  fs::create_symlink("../outside.txt", scratch.path() / "lab" / "link.txt");
  fs::create_directory_symlink("/etc", scratch.path() / "lab" / "etc");
  fs::create_symlink("page.html", scratch.path() / "lab" / "alias.html");
  fs::path lab = fs::canonical(scratch.path() / "lab");
  auto message = [&](const std::string& written, const char* how) {
    return fmt::format(
        "3:29: payload.file in frame 'a': '{}' {} the scenario's folder ({}); "
        "file: reads only files in that folder and below it (--allow-file-root "
        "DIR adds a folder)",
        written, how, lab.string());
  };
  for (const std::string written : {"/etc/shadow", "/proc/self/environ", "../outside.txt",
                                    "www/../../outside.txt", "/etc/passwd", "/"}) {
    fs::path scenario = scratch.write(
        "lab/s.yaml", "scenario: t\nframes:\n  - {id: a, payload: {file: \"" + written + "\"}}\n");
    EXPECT_EQ(file_errors(scenario), std::vector<std::string>{message(written, "is outside")});
  }
  for (const std::string written : {"link.txt", "etc/passwd", "etc/shadow"}) {
    fs::path scenario = scratch.write(
        "lab/s.yaml", "scenario: t\nframes:\n  - {id: a, payload: {file: \"" + written + "\"}}\n");
    EXPECT_EQ(file_errors(scenario),
              std::vector<std::string>{message(written, "leads through a symbolic link out of")});
  }
  // Inside: a link within the folder, `..` that stays in it, an absolute path into it.
  for (const std::string& written :
       std::vector<std::string>{"alias.html", "www/../page.html", (lab / "page.html").string()}) {
    fs::path scenario = scratch.write(
        "lab/s.yaml", "scenario: t\nframes:\n  - {id: a, payload: {file: \"" + written + "\"}}\n");
    EXPECT_EQ(file_errors(scenario), std::vector<std::string>{}) << written;
  }
  // --allow-file-root widens it.
  fs::path scenario =
      scratch.write("lab/s.yaml",
                    "scenario: t\nframes:\n  - {id: a, payload: {file: ../outside.txt}}\n"
                    "  - {id: b, payload: {file: /etc/shadow}}\n");
  ScenarioLimits limits;
  limits.file_roots = {scratch.path().string()};
  EXPECT_EQ(file_errors(scenario, limits),
            std::vector<std::string>{fmt::format(
                "4:29: payload.file in frame 'b': '/etc/shadow' is outside the scenario's folder "
                "({}) and the --allow-file-root folders; file: reads only files in those folders "
                "and below them (--allow-file-root DIR adds a folder)",
                lab.string())});
  limits.file_roots.push_back("/etc");
  Scenario s = load_scenario(scenario.string(), limits);
  EXPECT_EQ(s.frames[0].payload.expected(), "a secret of 27 bytes, here\n");
}

// Every key that names a file shares one read of it, however spelt (a hard link too).
TEST(ScenarioFiles, EachFileReadOnce) {
  ScratchFolder scratch("file-once");
  scratch.write("lab/page.html", std::string(1000, 'x'));
  fs::create_hard_link(scratch.path() / "lab" / "page.html", scratch.path() / "lab" / "hard.html");
  fs::path scenario = scratch.write(
      "lab/s.yaml",
      "scenario: t\nframes:\n  - {id: a, payload: {file: page.html}}\n"
      "  - {id: b, payload: {file: ./www/../page.html}}\n  - {id: c, payload: {file: hard.html}}\n"
      "streams:\n  - {id: s, dir: c2s, file: page.html}\n"
      "claims:\n  - {frame: 1, source: x, carries: {file: page.html}}\n");
  fs::create_directories(scratch.path() / "lab" / "www");
  ScenarioLimits limits;
  limits.max_file_bytes_total = 1000;  // one copy fits, two would not
  Scenario s = load_scenario(scenario.string(), limits);
  const std::string* bytes = s.frames[0].payload.file_bytes.get();
  ASSERT_NE(bytes, nullptr);
  EXPECT_EQ(*bytes, std::string(1000, 'x'));
  EXPECT_EQ(s.frames[1].payload.file_bytes.get(), bytes);
  EXPECT_EQ(s.frames[2].payload.file_bytes.get(), bytes);
  EXPECT_EQ(s.streams[0].data.file_bytes.get(), bytes);
  EXPECT_EQ(s.claims[0].carries.file_bytes.get(), bytes);
}

TEST(ScenarioErrors, Claims) {
  EXPECT_EQ(claim_error("{frame: 0, source: z, phase: data}"),
            "3:13: frame in claim #1: expected a frame number, 1 or more as Wireshark counts "
            "them; got '0'");
  EXPECT_EQ(claim_error("{frame: 7, source: z}"),
            "3:5: claim #1 judges nothing: give at least one of phase, dir, flags, seq, ack, "
            "len, seq_raw, ack_raw, window or carries");
  EXPECT_EQ(errors("scenario: t\nclaims:\n  - {frame: 7, phase: data, source: a}\n"
                   "  - {frame: 7, phase: data, source: b}\n"),
            (std::vector<std::string>{"4:5: duplicate claim id 'claim-7-phase' (first at line "
                                      "3); a claim without an id is named claim-FRAME-FIELDS: "
                                      "give one of them an id"}));
  EXPECT_EQ(errors("scenario: t\nclaims:\n  - {id: c, frame: 7, phase: data, source: a}\n"
                   "  - {id: c, frame: 8, phase: data, source: b}\n"),
            (std::vector<std::string>{"4:5: duplicate claim id 'c' (first at line 3)"}));
  EXPECT_EQ(claim_error("{frame: 7, source: z, window: 1073741824}"),
            "3:35: window in claim #1: 1073741824 does not fit a scaled window (65535 << 14 at "
            "most) (0..1073725440)");
}

// ---- Hostile and broken files -------------------------------------------------------------

TEST(ScenarioErrors, YamlSyntax) {
  EXPECT_EQ(errors("scenario: t\nframes:\n  - {id: a, seq: [1, 2}\n"),
            (std::vector<std::string>{"3:23: YAML syntax error: illegal flow end (a } or ] "
                                      "closes nothing, or the other kind of bracket)"}));
  EXPECT_EQ(errors("scenario: t\nframes:\n  - {id: a\n"),
            (std::vector<std::string>{"4:1: YAML syntax error: end of map flow not found (a { "
                                      "or [ is never closed)"}));
  EXPECT_EQ(errors("scenario: t\nframes:\n\t- id: a\n"),
            (std::vector<std::string>{"3:2: YAML syntax error: illegal block entry (this line "
                                      "is indented with a tab; YAML allows only spaces)"}));
  EXPECT_EQ(errors("scenario: t\nframes: [{id: a, seq: *nothing}]\n"),
            (std::vector<std::string>{"2:23: YAML syntax error: the referenced anchor is not "
                                      "defined"}));
}

TEST(ScenarioErrors, WholeFileProblems) {
  EXPECT_EQ(errors(""), (std::vector<std::string>{"0:0: the scenario is empty: a scenario "
                                                  "starts with scenario: NAME, then frames, "
                                                  "streams or claims"}));
  EXPECT_EQ(errors("# nothing\n"), errors(""));
  EXPECT_EQ(errors("- a\n"), (std::vector<std::string>{"1:1: expected a map at the top level "
                                                       "(scenario: NAME, frames: [...]); got a "
                                                       "list"}));
  EXPECT_EQ(errors("scenario: t\nframes: [{id: a}]\n---\nscenario: u\n"),
            (std::vector<std::string>{"3:1: the file holds more than one YAML document ('---'); "
                                      "a scenario is one document"}));
  EXPECT_THROW_MSG(load_scenario("no/such/scenario.yaml"), ScenarioError,
                   "no/such/scenario.yaml: cannot load the scenario: No such file or directory");
  EXPECT_THROW_MSG(load_scenario(data_dir.string()), ScenarioError,
                   data_dir.string() + ": cannot load the scenario: it is a directory");
}

TEST(ScenarioLimits, FileSize) {
  ScenarioLimits limits;
  limits.max_file_bytes = 16;
  EXPECT_EQ(errors("scenario: t\nframes: [{id: a}]\n", limits),
            (std::vector<std::string>{"0:0: cannot load the scenario: it is 30 bytes, more "
                                      "than 16 (limit --max-scenario-bytes)"}));
  EXPECT_THROW_MSG(load_scenario((data_dir / "every_feature.yaml").string(), limits), ScenarioError,
                   (data_dir / "every_feature.yaml").string() +
                       ": cannot load the scenario: it is " +
                       std::to_string(fs::file_size(data_dir / "every_feature.yaml")) +
                       " bytes, more than 16 (limit --max-scenario-bytes)");
}

TEST(ScenarioLimits, FileBytesTotal) {
  ScratchFolder scratch("file-budget");
  for (const char* name : {"a.txt", "b.txt", "c.txt"}) scratch.write(name, std::string(600, 'x'));
  fs::path scenario =
      scratch.write("s.yaml",
                    "scenario: t\nframes:\n  - {id: a, payload: {file: a.txt}}\n"
                    "  - {id: b, payload: {file: b.txt}}\n  - {id: c, payload: {file: a.txt}}\n"
                    "streams:\n  - {id: s, dir: c2s, file: c.txt}\n");
  ScenarioLimits limits;
  limits.max_file_bytes_total = 1500;  // a and b fit; c would pass it
  EXPECT_EQ(file_errors(scenario, limits),
            std::vector<std::string>{fmt::format(
                "7:29: file in stream 's': cannot read file 'c.txt' ('{}'): with it the files "
                "named by file: hold more than 1500 bytes together (limit "
                "--max-scenario-file-bytes)",
                (scratch.path() / "c.txt").string())});
  limits.max_file_bytes_total = 1800;
  EXPECT_EQ(file_errors(scenario, limits), std::vector<std::string>{});
}

TEST(ScenarioLimits, ListLengths) {
  ScenarioLimits limits;
  limits.max_frames = 2;
  limits.max_claims = 1;
  limits.max_streams = 1;
  EXPECT_EQ(errors("scenario: t\nframes: [{id: a}, {id: b}, {id: c}]\n"
                   "claims: [{frame: 1, source: x, len: 0}, {frame: 2, source: y, len: 0}]\n"
                   "streams: [{id: a, dir: c2s, contains: x}, {id: b, dir: c2s, contains: y}]\n",
                   limits),
            (std::vector<std::string>{"2:9: frames: 3 frames, more than the limit of 2",
                                      "3:9: claims: 2 claims, more than the limit of 1",
                                      "4:10: streams: 2 streams, more than the limit of 1"}));
}

TEST(ScenarioLimits, NestingDepth) {
  std::string deep = "scenario: t\nframes: " + std::string(40, '[') + std::string(40, ']') + "\n";
  EXPECT_EQ(errors(deep),
            (std::vector<std::string>{
                "2:40: the YAML nests deeper than 32 levels (limit --max-scenario-depth)"}));
  // Far deeper than yaml-cpp's own guard (2000): still our message, and no stack overflow.
  // Unclosed, each '[' opens a list and a one-pair map in yaml-cpp: two levels per bracket.
  std::string very_deep = "scenario: t\nframes: " + std::string(100000, '[') + "\n";
  EXPECT_EQ(errors(very_deep),
            (std::vector<std::string>{
                "2:25: the YAML nests deeper than 32 levels (limit --max-scenario-depth)"}));
  EXPECT_EQ(errors("a: &a " + std::string(20, '[') + std::string(20, ']') +
                   "\nb: [[[[[[[[[[[[[[*a]]]]]]]]]]]]]]\n"),
            (std::vector<std::string>{"2:18: alias *a nests the YAML deeper than 32 levels (limit "
                                      "--max-scenario-depth)"}));
}

TEST(ScenarioLimits, BillionLaughsFailsFast) {
  auto start = std::chrono::steady_clock::now();
  std::string path = (data_dir / "billion_laughs.yaml").string();
  EXPECT_THROW_MSG(
      load_scenario(path), ScenarioError,
      path +
          ":8:45: alias *a4 expands the YAML beyond 1000000 nodes (limit --max-yaml-nodes); "
          "aliases that repeat each other like this are refused");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(ScenarioLimits, YamlNodes) {
  ScenarioLimits limits;
  limits.max_yaml_nodes = 10;
  EXPECT_EQ(
      errors("scenario: t\nframes: [{id: a, len: [1, 2, 3, 4, 5, 6]}]\n", limits),
      (std::vector<std::string>{"2:24: the YAML has more than 10 nodes (limit --max-yaml-nodes)"}));
}

TEST(ScenarioLimits, TooManyErrorsStopCollecting) {
  ScenarioLimits limits;
  limits.max_diagnostics = 2;
  EXPECT_EQ(errors("scenario: t\nframes: [{id: a, x: 1, y: 2, z: 3}]\n", limits),
            (std::vector<std::string>{
                "2:18: unknown key 'x' in frame 'a'", "2:24: unknown key 'y' in frame 'a'",
                "0:0: too many errors: showing the first 2; fix them and lint again"}));
}

TEST(ScenarioErrors, DiagnosticsCarryTheirSourceLine) {
  try {
    parse("scenario: t\nframes:\n  - {id: a, seq: nxt}\r\n");
    FAIL() << "loaded";
  } catch (const ScenarioError& error) {
    ASSERT_EQ(error.diagnostics().size(), 1u);
    EXPECT_EQ(error.diagnostics()[0].where.file, "test.yaml");
    EXPECT_EQ(error.diagnostics()[0].source_line, "  - {id: a, seq: nxt}");
  }
}

TEST(ScenarioEither, VariantsAreReadInPlaceAndExpandInFileOrder) {
  Scenario s = parse(
      "scenario: t\n"
      "frames:\n"
      "  - {id: syn}\n"
      "  - either:\n"
      "      - {variant: a, title: server first, frames: [{id: fin1}, {id: fin2}]}\n"
      "      - {variant: b, frames: [{id: fin2}, {id: fin1}, {id: extra}]}\n"
      "  - {id: last}\n");
  ASSERT_EQ(s.frames.size(), 2u);
  ASSERT_EQ(s.choices.size(), 1u);
  EXPECT_EQ(s.choices[0].position, 1u);
  std::vector<FrameListVariant> lists = frame_list_variants(s);
  ASSERT_EQ(lists.size(), 2u);
  std::vector<std::string> first, second;
  for (const ExpectedFrame& f : lists[0].frames) first.push_back(f.id);
  for (const ExpectedFrame& f : lists[1].frames) second.push_back(f.id);
  EXPECT_EQ(first, (std::vector<std::string>{"syn", "fin1", "fin2", "last"}));
  EXPECT_EQ(second, (std::vector<std::string>{"syn", "fin2", "fin1", "extra", "last"}));
  EXPECT_EQ(lists[0].chosen, std::vector<std::string>{"server first"});
  EXPECT_EQ(lists[1].chosen, std::vector<std::string>{"b"});
}

TEST(ScenarioEither, MistakesAreNamed) {
  EXPECT_EQ(
      errors("scenario: t\nframes:\n  - either: [{variant: a, frames: [{id: x}]}]\n"),
      std::vector<std::string>{"3:13: either in frame #1: expected a list of at least two variants "
                               "({variant: NAME, frames: [...]}); got a list"});
  std::vector<std::string> nested = errors(
      "scenario: t\nframes:\n  - either:\n      - {variant: a, frames: [{either: []}]}\n"
      "      - {variant: b, frames: [{id: y}]}\n");
  ASSERT_EQ(nested.size(), 1u);
  EXPECT_NE(nested[0].find("either: cannot be nested inside a variant"), std::string::npos)
      << nested[0];
  std::vector<std::string> clash = errors(
      "scenario: t\nframes:\n  - {id: x}\n  - either:\n      - {variant: a, frames: [{id: x}]}\n"
      "      - {variant: a, frames: [{id: y}]}\n");
  ASSERT_EQ(clash.size(), 2u);
  EXPECT_NE(clash[0].find("duplicate frame id 'x'"), std::string::npos) << clash[0];
  EXPECT_NE(clash[1].find("duplicate variant id 'a'"), std::string::npos) << clash[1];
}

TEST(ScenarioEither, CombinationsAreLimited) {
  std::string yaml = "scenario: t\nframes:\n";
  for (int i = 0; i < 7; ++i)
    yaml += fmt::format(
        "  - either: [{{variant: a, frames: [{{id: a{0}}}]}}, {{variant: b, frames: [{{id: "
        "b{0}}}]}}]\n",
        i);
  std::vector<std::string> all = errors(yaml);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_NE(all[0].find("more than 64 frame lists"), std::string::npos) << all[0];
}

}  // namespace
}  // namespace tcpgrade
