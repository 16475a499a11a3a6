// A 64-bit hash of a file's bytes, so that byte-identical submissions are found even when they
// are not captures at all (an essay handed in twice has no print to compare).
#pragma once

#include <string>

namespace tcpgrade {

// FNV-1a over the whole of `fd` from offset 0 (pread: the descriptor's offset is left alone),
// as 16 hex digits; empty for an empty file or one that cannot be read (nothing to compare).
std::string file_hash(int fd);

}  // namespace tcpgrade
