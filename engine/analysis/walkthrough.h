// `tcpgrade explain`'s model: a capture read as a lab write-up reads it, packet by packet, in
// the words a student learns from (direction, flags, Seq and Ack as relations, the phase, what
// the payload holds, Wireshark's analysis flags), with the capture's connections at the top and
// a closing summary. Plain strings, not escaped: the renderers (report/walkthrough_render.h)
// escape for their format. Deterministic: a function of the capture's bytes only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/captured_conversation.h"
#include "capture/capture_limits.h"

namespace tcpgrade {

struct WalkthroughPacket {
  uint64_t frame = 0;
  std::string title;         // "HTTP GET request (client → server)"
  std::string summary_line;  // what `tcpgrade dump` prints for the frame
  std::vector<std::string> bullets;
  std::string scenario_id;  // with --scenario: the scenario's frame id paired with it
  std::string teaches;      // and that frame's teaches: text
};

struct Walkthrough {
  std::string capture;  // as given
  uint64_t frames = 0, tcp_frames = 0;
  std::vector<std::string> connections;  // one line per TCP stream
  uint32_t stream = 0;                   // the one explained
  std::string chosen;                    // why that one
  std::vector<std::string> notes;        // the capture's limits: cut short, snap length, late start
  std::vector<WalkthroughPacket> packets;
  std::vector<std::string> summary;         // the closing section
  std::string scenario;                     // with --scenario: its name and title
  std::vector<std::string> scenario_notes;  // expected frames the capture lacks, ...
};

// A capture read whole, with the line `tcpgrade dump` prints for each TCP frame.
struct WalkthroughInput {
  CaptureContents contents;
  std::map<uint64_t, std::string> summary_lines;  // by frame number
};

// Throws CaptureError on an unreadable file and LimitError past a limit.
WalkthroughInput read_walkthrough_input(const std::string& path, const CaptureLimits& limits = {});

// The stream explain picks without --stream: the first with a SYN (Wireshark's tcp.stream 0
// on a capture of the lab), else the first with segments. Nullopt without TCP.
std::optional<uint32_t> default_stream(const CaptureContents& contents);

// The walkthrough of `stream` (default_stream when unset). Throws std::invalid_argument,
// naming the file, when the capture holds no TCP or no such stream.
Walkthrough build_walkthrough(const WalkthroughInput& input,
                              std::optional<uint32_t> stream = std::nullopt);

}  // namespace tcpgrade
