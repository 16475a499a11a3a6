// A deadline for one check. When it passes, the process writes a prepared message and exits at
// once, whatever the engine is doing: a pathological scenario or capture cannot hang a grader
// that runs unattended. Only async-signal-safe calls run at expiry (unlink, open, write,
// _exit), so the message and paths are prepared when the deadline is armed.
#pragma once

#include <string>

namespace tcpgrade {

struct DeadlineExpiry {
  std::string message{};        // written whole to stderr at expiry; may be empty
  std::string write_to{};       // a file to (re)write `file_contents` into; "-": stdout
  std::string file_contents{};  // e.g. the error row of a grade child, a Gradescope results.json
  std::string remove{};         // a file to delete first (e.g. a temporary capture); may be empty
  int exit_code = 2;
};

class CheckDeadline {
 public:
  // Arms a one-shot timer of `seconds` (SIGALRM). One deadline at a time.
  CheckDeadline(double seconds, DeadlineExpiry expiry);
  ~CheckDeadline();  // disarms
  // What expiry does from now on (the time left is unchanged).
  void update(DeadlineExpiry expiry);
  CheckDeadline(const CheckDeadline&) = delete;
  CheckDeadline& operator=(const CheckDeadline&) = delete;

 private:
  DeadlineExpiry expiry_;
};

}  // namespace tcpgrade
