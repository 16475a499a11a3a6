#include "util/output_sink.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tcpgrade {

OutputSink::OutputSink(const std::string& path) : path_(path) {
  if (path.empty() || path == "-") {
    file_ = stdout;
    in_place_ = true;
    return;
  }
  struct stat info {};
  in_place_ = ::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode);
  if (!in_place_) temporary_ = fmt::format("{}.tmp.{}", path, ::getpid());
  file_ = std::fopen(in_place_ ? path.c_str() : temporary_.c_str(), "wb");
  if (!file_) fail(errno);
}

OutputSink::~OutputSink() {
  if (file_ && file_ != stdout) std::fclose(file_);
  if (!temporary_.empty() && !committed_) std::remove(temporary_.c_str());
}

void OutputSink::write(std::string_view bytes) {
  if (failed_ || bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    failed_ = true;
    write_errno_ = errno;
  }
}

void OutputSink::fail(int error) {
  if (file_ && file_ != stdout) std::fclose(file_);
  file_ = nullptr;
  if (!temporary_.empty()) std::remove(temporary_.c_str());
  temporary_.clear();
  std::string name = path_.empty() || path_ == "-" ? "<stdout>" : path_;
  if (error == 0) error = EIO;
  throw OutputError(fmt::format("{}: cannot write: {}", name, std::strerror(error)), error);
}

void OutputSink::finish() {
  if (finished_) return;
  finished_ = true;
  if (std::fflush(file_) != 0 || std::ferror(file_) || failed_)
    fail(failed_ && write_errno_ ? write_errno_ : errno);
  if (file_ == stdout) return;
  FILE* file = file_;
  file_ = nullptr;
  if (std::fclose(file) != 0) fail(errno);
}

void OutputSink::publish() {
  if (committed_) return;
  if (!temporary_.empty() && std::rename(temporary_.c_str(), path_.c_str()) != 0) fail(errno);
  committed_ = true;
}

void OutputSink::commit() {
  finish();
  publish();
}

}  // namespace tcpgrade
