#include "util/small_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tcpgrade {
namespace {

std::string too_big(uint64_t size, size_t limit) {
  return fmt::format("it is {} bytes, more than {} (limit --max-scenario-bytes)", size, limit);
}

// Regular files only: a FIFO blocks, /dev/zero never ends.
bool regular_within(const struct stat& info, size_t limit, std::string& reason) {
  if (!S_ISREG(info.st_mode)) {
    reason = S_ISDIR(info.st_mode) ? "it is a directory" : "it is not a regular file";
    return false;
  }
  if (static_cast<uint64_t>(info.st_size) > limit) {
    reason = too_big(info.st_size, limit);
    return false;
  }
  return true;
}

}  // namespace

OpenFile& OpenFile::operator=(OpenFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

OpenFile::~OpenFile() {
  if (fd_ >= 0) ::close(fd_);
}

OpenFile open_small_file(const std::string& path, int flags, size_t limit, struct stat& info,
                         std::string& reason) {
  if (::stat(path.c_str(), &info) != 0) {
    reason = std::strerror(errno);
    return OpenFile();
  }
  if (!regular_within(info, limit, reason)) return OpenFile();
  OpenFile file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | flags));
  if (!file) {
    reason = std::strerror(errno);
    return OpenFile();
  }
  if (::fstat(file.fd(), &info) != 0) {
    reason = std::strerror(errno);
    return OpenFile();
  }
  if (!regular_within(info, limit, reason)) return OpenFile();
  return file;
}

std::optional<std::string> read_open_file(const OpenFile& file, size_t limit, std::string& reason) {
  // Read on past the size fstat() gave, up to one byte beyond the limit: a file that grew
  // meanwhile is still caught.
  std::string bytes;
  struct stat info {};
  if (::fstat(file.fd(), &info) == 0 && info.st_size >= 0)  // one allocation, not doublings
    bytes.reserve(std::min<uint64_t>(static_cast<uint64_t>(info.st_size), limit) + 1);
  char chunk[1 << 16];
  while (bytes.size() <= limit) {
    ssize_t got = ::read(file.fd(), chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      reason = std::strerror(errno);
      return std::nullopt;
    }
    if (got == 0) break;
    bytes.append(chunk, static_cast<size_t>(got));
  }
  if (bytes.size() > limit) {
    reason = too_big(bytes.size(), limit);
    return std::nullopt;
  }
  return bytes;
}

std::optional<std::string> read_small_file(const std::string& path, size_t limit,
                                           std::string& reason) {
  struct stat info {};
  OpenFile file = open_small_file(path, 0, limit, info, reason);
  if (!file) return std::nullopt;
  return read_open_file(file, limit, reason);
}

}  // namespace tcpgrade
