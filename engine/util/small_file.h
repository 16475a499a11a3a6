// Reading a file that must be small (a scenario, a payload named by `file:`): regular files
// only, so a FIFO or /dev/zero can neither hang the reader nor fill memory.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace tcpgrade {

// The file's bytes, or nullopt with `reason` set: the system's error text ("No such file or
// directory"), "it is a directory", "it is not a regular file", or "it is N bytes, more than M
// (limit --max-scenario-bytes)": both callers read scenario files, which that option bounds.
std::optional<std::string> read_small_file(const std::string& path, size_t limit,
                                           std::string& reason);

}  // namespace tcpgrade
