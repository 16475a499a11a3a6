// Limits that keep the scenario loader safe on hostile input. Every limit has a default that a
// real scenario never reaches; crossing one is an error that names the limit.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace tcpgrade {

struct ScenarioLimits {
  size_t max_file_bytes = 1 << 20;       // the scenario file (1 MiB)
  size_t max_text_file_bytes = 1 << 20;  // a file named by `file:` (payload, stream, claim)
  // All the files a scenario's `file:` keys name, together, each file counted once however
  // many keys name it (64 MiB).
  size_t max_file_bytes_total = size_t{64} << 20;
  // Folders `file:` may read from besides the scenario's own folder tree (--allow-file-root):
  // a shared scenario must not put /etc/shadow, or even its size, into a student's report.
  std::vector<std::string> file_roots = {};
  size_t max_frames = 10'000;
  size_t max_frame_variants = 64;  // combinations of `either:` choices, each graded in turn
  size_t max_streams = 1'000;
  size_t max_claims = 10'000;
  size_t max_depth = 32;              // maps and lists nested in each other
  size_t max_yaml_nodes = 1'000'000;  // after expanding aliases: billion laughs stops here
  size_t max_regex_bytes = 1'024;     // std::regex builds a state machine as big as the pattern
  size_t max_id_bytes = 64;           // frame, stream and claim ids, the scenario name
  int max_repeat = 64;                // repeat: {max: N}; check unrolls this many copies
  size_t max_diagnostics = 100;       // errors shown before lint stops collecting
};

}  // namespace tcpgrade
