#include "util/deadline.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmath>
#include <cstring>

namespace tcpgrade {
namespace {

// What the signal handler reads: set before the timer is armed, cleared after it is disarmed.
const DeadlineExpiry* armed = nullptr;

void write_all(int fd, const std::string& bytes) {
  const char* at = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd, at, left);
    if (n <= 0) return;
    at += n;
    left -= static_cast<size_t>(n);
  }
}

void on_deadline(int) {
  const DeadlineExpiry* expiry = armed;
  if (!expiry) return;
  if (!expiry->remove.empty()) ::unlink(expiry->remove.c_str());
  if (!expiry->write_to.empty()) {
    int fd = expiry->write_to == "-"
                 ? STDOUT_FILENO
                 : ::open(expiry->write_to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) write_all(fd, expiry->file_contents);
  }
  write_all(STDERR_FILENO, expiry->message);
  ::_exit(expiry->exit_code);
}

void set_timer(double seconds) {
  itimerval timer{};
  if (seconds > 0) {
    double whole = std::floor(seconds);
    timer.it_value.tv_sec = static_cast<time_t>(whole);
    timer.it_value.tv_usec = static_cast<suseconds_t>((seconds - whole) * 1e6);
    if (timer.it_value.tv_sec == 0 && timer.it_value.tv_usec == 0) timer.it_value.tv_usec = 1;
  }
  ::setitimer(ITIMER_REAL, &timer, nullptr);
}

}  // namespace

CheckDeadline::CheckDeadline(double seconds, DeadlineExpiry expiry) : expiry_(std::move(expiry)) {
  armed = &expiry_;
  struct sigaction action {};
  action.sa_handler = on_deadline;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGALRM, &action, nullptr);
  set_timer(seconds);
}

void CheckDeadline::update(DeadlineExpiry expiry) {
  sigset_t alarm, previous;
  sigemptyset(&alarm);
  sigaddset(&alarm, SIGALRM);
  ::sigprocmask(SIG_BLOCK, &alarm, &previous);  // the handler never sees a half-made expiry
  expiry_ = std::move(expiry);
  ::sigprocmask(SIG_SETMASK, &previous, nullptr);
}

CheckDeadline::~CheckDeadline() {
  set_timer(0);
  armed = nullptr;
}

}  // namespace tcpgrade
