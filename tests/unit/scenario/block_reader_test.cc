// transfer: and teardown: blocks in a scenario's frame list (scenario/block_reader.h): what
// they load into, and the exact text of their errors.
#include "scenario/block_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "scenario/scenario_block.h"
#include "scenario/scenario_loader.h"
#include "scenario/scenario_properties.h"

namespace tcpgrade {
namespace {

// Every diagnostic of a scenario that must fail, as "line:col: message".
std::vector<std::string> errors(const std::string& yaml) {
  try {
    parse_scenario(yaml, "test.yaml", {});
  } catch (const ScenarioError& error) {
    std::vector<std::string> out;
    for (const Diagnostic& d : error.diagnostics())
      out.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " +
                    d.message);
    return out;
  }
  ADD_FAILURE() << "the scenario loaded";
  return {};
}

TEST(BlockReader, TransferAndTeardownLoadAsBlockFrames) {
  Scenario s = parse_scenario(R"(scenario: bulk
frames:
  - {id: syn, dir: client->server, flags: [SYN]}
  - transfer: {id: download, dir: server->client, bytes: {min: 100, max: 200},
               segments: {max: 9}, payload: {contains: "HTTP"}, last_may_carry_fin: true,
               points: 3, teaches: "t"}
  - teardown: {id: close, allow_rst_after_fin: true, points: 4}
)",
                              "test.yaml", {});
  ASSERT_EQ(s.frames.size(), 3u);
  EXPECT_EQ(s.frames[0].block, nullptr);
  const ExpectedFrame& download = s.frames[1];
  ASSERT_NE(download.block, nullptr);
  EXPECT_EQ(download.id, "download");
  EXPECT_EQ(download.points, 3);
  EXPECT_EQ(download.teaches, "t");
  EXPECT_EQ(download.block->kind, BlockKind::transfer);
  const TransferExpectation& t = download.block->transfer;
  EXPECT_EQ(t.direction, Direction::server_to_client);
  EXPECT_EQ(t.bytes.kind, MatchKind::range);
  EXPECT_EQ(t.bytes.low, 100);
  EXPECT_EQ(t.bytes.high, 200);
  EXPECT_EQ(t.segments.high, 9);
  EXPECT_EQ(t.payload.kind, TextMatchKind::contains);
  EXPECT_TRUE(t.last_may_carry_fin);
  ASSERT_NE(s.frames[2].block, nullptr);
  EXPECT_EQ(s.frames[2].block->kind, BlockKind::teardown);
  EXPECT_TRUE(s.frames[2].block->teardown.allow_rst_after_fin);
  EXPECT_EQ(s.frames[2].points, 4);
  // A block scores once: its points, whatever the capture.
  EXPECT_EQ(scenario_max_points(s), 1 + 3 + 4);
}

TEST(BlockReader, BlocksMayStandInAVariant) {
  Scenario s = parse_scenario(R"(scenario: x
frames:
  - either:
      - {variant: a, frames: [{teardown: {id: close}}]}
      - {variant: b, frames: [{id: fin, flags: [FIN, ACK]}]}
)",
                              "test.yaml", {});
  ASSERT_EQ(s.choices.size(), 1u);
  ASSERT_NE(s.choices[0].variants[0].frames[0].block, nullptr);
}

TEST(BlockReader, AMisspeltBlockGetsADidYouMean) {
  EXPECT_EQ(errors("scenario: x\nframes:\n  - transfr: {id: d, dir: server}\n"),
            std::vector<std::string>{
                "3:5: frame #1: unknown block 'transfr' (an entry of frames: is a frame, "
                "either:, transfer: or teardown:); did you mean 'transfer'?"});
}

TEST(BlockReader, UnknownKeysMissingIdsAndBadValuesHaveTheirPlace) {
  EXPECT_EQ(
      errors("scenario: x\nframes:\n  - transfer: {id: d, dir: server, byte: 5}\n"),
      std::vector<std::string>{"3:36: unknown key 'byte' in transfer 'd'; did you mean 'bytes'?"});
  EXPECT_EQ(errors("scenario: x\nframes:\n  - transfer: {dir: server}\n"),
            std::vector<std::string>{
                "3:15: missing key 'id' in transfer (frame #1) (each transfer needs one, e.g. "
                "id: download)"});
  EXPECT_EQ(errors("scenario: x\nframes:\n  - transfer: {id: d}\n"),
            std::vector<std::string>{
                "3:15: missing key 'dir' in transfer 'd' (the direction the data flows, e.g. "
                "dir: server->client)"});
  EXPECT_EQ(errors("scenario: x\nframes:\n  - teardown: {id: c, allow_rst_after_fin: maybe}\n"),
            std::vector<std::string>{"3:44: allow_rst_after_fin in teardown 'c': expected true "
                                     "or false; got 'maybe'"});
}

TEST(BlockReader, ABlockKeyInsideAFrameSaysBlocksStandAlone) {
  EXPECT_EQ(errors("scenario: x\nframes:\n  - {id: y, transfer: {id: x}}\n"),
            std::vector<std::string>{"3:13: unknown key 'transfer' in frame 'y'; 'transfer' is a "
                                     "block, an entry of frames: of its own (- transfer: {id: "
                                     "...})"});
}

TEST(BlockReader, RelaxedOrderAllowsNoBlocks) {
  EXPECT_EQ(errors("scenario: x\norder: relaxed\nframes:\n  - {id: a}\n  - teardown: {id: c}\n"),
            std::vector<std::string>{"5:5: frame 'c': a transfer: or teardown: block needs the "
                                     "frames in order; order: relaxed allows no blocks"});
}

TEST(BlockReader, PropertiesLoadAndAMisspeltOneGetsADidYouMean) {
  Scenario s = parse_scenario(
      "scenario: x\nframes: [{id: a}]\nproperties: {window_scaling: true, connections: 1, "
      "requests: {min: 1, max: 2}, points: 2}\n",
      "test.yaml", {});
  ASSERT_NE(s.properties, nullptr);
  EXPECT_EQ(s.properties->given(),
            (std::vector<std::string>{"window_scaling", "connections", "requests"}));
  EXPECT_EQ(scenario_max_points(s), 1 + 3 * 2);
  EXPECT_EQ(
      errors("scenario: x\nframes: [{id: a}]\nproperties: {no_rts: true}\n"),
      std::vector<std::string>{"3:14: unknown key 'no_rts' in properties; did you mean 'no_rst'?"});
}

TEST(BlockReader, ATransfersFileMayExceedThePayloadFileLimit) {
  // A 2 MiB download compared with its file: the per-file limit (1 MiB) is a frame's; a
  // transfer's file is limited by the budget of all files together.
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "tcpgrade-block-file";
  std::filesystem::create_directories(dir);
  std::string big(2 << 20, 'x');
  std::ofstream(dir / "big.bin", std::ios::binary) << big;
  std::string transfer =
      "scenario: x\nframes:\n  - transfer: {id: d, dir: server, payload: {file: big.bin}}\n";
  Scenario s = parse_scenario(transfer, (dir / "t.yaml").string(), {});
  ASSERT_NE(s.frames[0].block, nullptr);
  const TextMatcher& file = s.frames[0].block->transfer.payload;
  EXPECT_EQ(file.kind, TextMatchKind::equals_file);
  EXPECT_EQ(file.expected().size(), big.size());
  std::string frame = "scenario: x\nframes:\n  - {id: f, payload: {file: big.bin}}\n";
  EXPECT_THROW(parse_scenario(frame, (dir / "t.yaml").string(), {}), ScenarioError);
  std::filesystem::remove_all(dir);
}

TEST(BlockReader, BlockIdsShareTheFramesNamespace) {
  EXPECT_EQ(errors("scenario: x\nframes:\n  - {id: d}\n  - teardown: {id: d}\n"),
            std::vector<std::string>{"4:5: duplicate frame id 'd' (first at line 3)"});
}

}  // namespace
}  // namespace tcpgrade
