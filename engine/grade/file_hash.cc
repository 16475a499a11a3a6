#include "grade/file_hash.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace tcpgrade {

std::string file_hash(int fd) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  char buffer[65536];
  off_t offset = 0;
  for (;;) {
    ssize_t n = ::pread(fd, buffer, sizeof buffer, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return "";
    if (n == 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      hash ^= static_cast<unsigned char>(buffer[i]);
      hash *= 0x100000001b3ULL;
    }
    offset += n;
  }
  return offset == 0 ? "" : fmt::format("{:016x}", hash);
}

}  // namespace tcpgrade
