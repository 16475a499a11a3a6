// Where a report goes: stdout, or a file written to a temporary name and renamed into place
// on commit(), so a reader never sees a half-written report.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace tcpgrade::cli {

class OutputSink {
 public:
  // path empty or "-": standard output. Throws std::runtime_error naming the file.
  explicit OutputSink(const std::string& path);
  ~OutputSink();  // removes the temporary file when commit() was never reached
  OutputSink(const OutputSink&) = delete;
  OutputSink& operator=(const OutputSink&) = delete;

  void write(std::string_view bytes);
  void commit();  // flushes; throws when the disk refused the bytes

 private:
  std::string path_, temporary_;
  FILE* file_ = nullptr;
  bool failed_ = false;
  bool committed_ = false;
};

}  // namespace tcpgrade::cli
