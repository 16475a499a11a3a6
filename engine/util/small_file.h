// Reading a file that must be small (a scenario, a payload named by `file:`): regular files
// only, so a FIFO or /dev/zero can neither hang the reader nor fill memory.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <optional>
#include <string>

namespace tcpgrade {

// An open file descriptor (-1: none), closed when it goes.
class OpenFile {
 public:
  explicit OpenFile(int fd = -1) : fd_(fd) {}
  OpenFile(OpenFile&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  OpenFile& operator=(OpenFile&& other) noexcept;
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  ~OpenFile();
  int fd() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_;
};

// Opens a regular file of at most `limit` bytes for reading, `flags` added to the open
// (O_NOFOLLOW). stat() first, so a FIFO or a device is never opened; O_NONBLOCK, so one put in
// its place meanwhile cannot block the open; fstat() after, into `info`, so what is read is
// what was checked. On failure, no file and `reason` as read_small_file gives it.
OpenFile open_small_file(const std::string& path, int flags, size_t limit, struct stat& info,
                         std::string& reason);

// The bytes of a file open_small_file opened: past the size fstat() gave when the file grows
// meanwhile, but never more than `limit`.
std::optional<std::string> read_open_file(const OpenFile& file, size_t limit, std::string& reason);

// The file's bytes, or nullopt with `reason` set: the system's error text ("No such file or
// directory"), "it is a directory", "it is not a regular file", or "it is N bytes, more than M
// (limit --max-scenario-bytes)": both callers read scenario files, which that option bounds.
std::optional<std::string> read_small_file(const std::string& path, size_t limit,
                                           std::string& reason);

}  // namespace tcpgrade
