#include "grade/file_hash.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "util/fnv_hash.h"

namespace tcpgrade {

std::string file_hash(int fd) {
  uint64_t hash = fnv1a_offset_basis;
  char buffer[65536];
  off_t offset = 0;
  for (;;) {
    ssize_t n = ::pread(fd, buffer, sizeof buffer, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return "";
    if (n == 0) break;
    hash = fnv1a({buffer, static_cast<size_t>(n)}, hash);
    offset += n;
  }
  return offset == 0 ? "" : fmt::format("{:016x}", hash);
}

}  // namespace tcpgrade
