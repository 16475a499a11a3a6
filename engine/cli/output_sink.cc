#include "output_sink.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace tcpgrade::cli {

OutputSink::OutputSink(const std::string& path) : path_(path) {
  if (path.empty() || path == "-") {
    file_ = stdout;
    return;
  }
  temporary_ = fmt::format("{}.tmp.{}", path, ::getpid());
  file_ = std::fopen(temporary_.c_str(), "wb");
  if (!file_) throw std::runtime_error(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
}

OutputSink::~OutputSink() {
  if (file_ && file_ != stdout) {
    std::fclose(file_);
    if (!committed_) std::remove(temporary_.c_str());
  }
}

void OutputSink::write(std::string_view bytes) {
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    failed_ = true;
}

void OutputSink::commit() {
  std::string name = file_ == stdout ? "<stdout>" : path_;
  if (std::fflush(file_) != 0 || std::ferror(file_) || failed_)
    throw std::runtime_error(fmt::format("{}: write failed: {}", name, std::strerror(errno)));
  if (file_ == stdout) return;
  int closed = std::fclose(file_);
  file_ = nullptr;
  if (closed != 0 || std::rename(temporary_.c_str(), path_.c_str()) != 0) {
    std::remove(temporary_.c_str());
    throw std::runtime_error(fmt::format("{}: write failed: {}", name, std::strerror(errno)));
  }
  committed_ = true;
}

}  // namespace tcpgrade::cli
