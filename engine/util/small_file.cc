#include "util/small_file.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace tcpgrade {
namespace {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

std::string too_big(uint64_t size, size_t limit) {
  return fmt::format("it is {} bytes, more than {} (limit --max-scenario-bytes)", size, limit);
}

}  // namespace

std::optional<std::string> read_small_file(const std::string& path, size_t limit,
                                           std::string& reason) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    reason = std::strerror(errno);
    return std::nullopt;
  }
  if (!S_ISREG(info.st_mode)) {
    reason = S_ISDIR(info.st_mode) ? "it is a directory" : "it is not a regular file";
    return std::nullopt;
  }
  if (static_cast<uint64_t>(info.st_size) > limit) {
    reason = too_big(info.st_size, limit);
    return std::nullopt;
  }
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    reason = std::strerror(errno);
    return std::nullopt;
  }
  // Read on past the size stat() gave, up to one byte beyond the limit: a file that grew
  // meanwhile is still caught.
  std::string bytes;
  char chunk[1 << 16];
  while (bytes.size() <= limit) {
    size_t got = std::fread(chunk, 1, sizeof chunk, file.get());
    bytes.append(chunk, got);
    if (got < sizeof chunk) break;
  }
  if (std::ferror(file.get())) {
    reason = std::strerror(errno);
    return std::nullopt;
  }
  if (bytes.size() > limit) {
    reason = too_big(bytes.size(), limit);
    return std::nullopt;
  }
  return bytes;
}

}  // namespace tcpgrade
