// Runs a command and reports its wall time and peak RSS, for tools/bench. A small program of
// its own because a child's ru_maxrss also counts the memory of the process it was forked from
// before exec: measured from Python, every command would weigh at least Python's 15 MB.
//
// Usage: peak_rss REPORT_FILE COMMAND [ARG...]   (writes "seconds kib exit_code cpu_seconds" to
// REPORT_FILE: wall time, peak RSS, exit code, user + system time of the command and the
// children it waited for; the command's stdout goes to /dev/null, its stderr stays)
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: peak_rss REPORT_FILE COMMAND [ARG...]\n");
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  pid_t child = fork();
  if (child < 0) return 2;
  if (child == 0) {
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, STDOUT_FILENO);
    execvp(argv[2], argv + 2);
    std::perror(argv[2]);
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(child, &status, 0, &usage) < 0) return 2;
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  FILE* report = std::fopen(argv[1], "w");
  if (!report) return 2;
  double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
               static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  std::fprintf(report, "%.6f %ld %d %.6f\n", seconds, usage.ru_maxrss, code, cpu);
  return std::fclose(report) == 0 ? 0 : 2;
}
