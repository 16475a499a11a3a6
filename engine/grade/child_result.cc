#include "grade/child_result.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace tcpgrade {

std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text.size() > 300 ? text.substr(0, 297) + "..." : text;
}

std::string first_reason(const Report& report) {
  for (const CheckResult* check : report.all_checks()) {
    if (check->status == CheckStatus::pass) continue;
    for (const RootCause& cause : report.root_causes)
      if (cause.id == check->root_cause) return cause.title;
    return check->hint.empty() ? check->name : fmt::format("{}: {}", check->name, check->hint);
  }
  // A root cause that fails nothing (a refused lab's capture that passes) is no reason.
  return report.conversations.empty() && !report.streamed_conversations ? "no connection to grade"
                                                                        : "";
}

std::string first_writeup_reason(const Report& report) {
  std::vector<const CheckResult*> failed;
  for (const CheckResult* check : report.all_checks())
    if (check->status != CheckStatus::pass) failed.push_back(check);
  if (failed.empty()) return first_reason(report);
  const CheckResult& first = *failed.front();
  std::string reason;
  for (const RootCause& cause : report.root_causes)
    if (!first.root_cause.empty() && cause.id == first.root_cause) reason = cause.title;
  if (reason.empty())
    reason = first.expected.empty() || first.actual.empty()
                 ? first_reason(report)
                 : fmt::format("{}: the write-up says {}, the capture holds {}", first.name,
                               first.expected, first.actual);
  if (failed.size() > 1)
    reason += fmt::format(" (and {} more wrong statement{})", failed.size() - 1,
                          failed.size() == 2 ? "" : "s");
  return reason;
}

std::string one_line_json(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

void exit_with_result(const nlohmann::ordered_json& j) {
  int error = EIO;
  try {
    error = write_all(STDOUT_FILENO, one_line_json(j));
  } catch (...) {
  }
  ::_exit(error ? result_not_written + std::min(error, 63) : 0);
}

std::vector<std::string> failed_check_ids(const Report& report) {
  std::vector<std::string> failed;
  for (const CheckResult* check : report.all_checks())
    if (check->status != CheckStatus::pass) failed.push_back(check->id);
  return failed;
}

}  // namespace tcpgrade
