// Writes a scenario from a known-good capture: the instructor records a correct run, then edits
// the YAML (points, teaches) instead of typing every frame. Checking the recorded capture
// against its own recording always passes.
#pragma once

#include <optional>
#include <string>

#include "analysis/captured_conversation.h"

namespace tcpgrade {

struct RecordOptions {
  std::optional<uint32_t> stream;  // Wireshark's tcp.stream; default: the first connection
  // Portable (default): ports, ISNs, timestamps, windows and window scale are loosened, and
  // Seq/Ack are written as relations (`next`) where the capture satisfies them, so the scenario
  // passes on other machines' captures of the same exchange. Strict: every value as captured.
  bool strict = false;
  // The server port is kept (a capture of another port is the wrong exchange) unless this is
  // set: then any port is graded.
  bool any_port = false;
  std::string name;  // the scenario's name; default: from the capture's file name
};

// The scenario as YAML text. Throws std::runtime_error (naming the file) when the capture has
// no such connection.
std::string record_scenario(const CaptureContents& contents, const RecordOptions& options);

}  // namespace tcpgrade
