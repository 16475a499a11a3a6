// Where a report goes: stdout, or a file written to a temporary name beside it and renamed
// into place on commit(), so a reader never sees a half-written report and a full disk leaves
// no file behind. A path that is not a regular file (a terminal, a pipe, /dev/null, /dev/full)
// is written in place: renaming over a device node would replace it.
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tcpgrade {

// Output could not be written (disk full, no permission): the grader's fault, not the input's.
// what() is "FILE: cannot write: REASON".
class OutputError : public std::runtime_error {
 public:
  OutputError(const std::string& what, int error) : std::runtime_error(what), error_(error) {}
  int error_number() const { return error_; }  // errno: ENOSPC, EACCES, ...

 private:
  int error_;
};

class OutputSink {
 public:
  // path empty or "-": standard output. Throws OutputError naming the file.
  explicit OutputSink(const std::string& path);
  ~OutputSink();  // removes the temporary file when commit() was never reached
  OutputSink(const OutputSink&) = delete;
  OutputSink& operator=(const OutputSink&) = delete;

  void write(std::string_view bytes);
  // Flushes and renames into place; throws OutputError when the disk refused the bytes.
  void commit();
  // commit() in two steps, so several files appear together: finish() flushes and closes
  // (throws OutputError), then publish() renames (throws OutputError).
  void finish();
  void publish();

 private:
  [[noreturn]] void fail(int error);

  std::string path_, temporary_;
  FILE* file_ = nullptr;
  bool in_place_ = false;  // stdout or a special file: no temporary, no rename
  bool failed_ = false;
  int write_errno_ = 0;
  bool finished_ = false, committed_ = false;
};

}  // namespace tcpgrade
