#include "report.h"

namespace tcpgrade {

const char* to_string(CheckStatus status) {
  switch (status) {
    case CheckStatus::pass:
      return "pass";
    case CheckStatus::fail:
      return "fail";
    case CheckStatus::unverifiable:
      return "unverifiable";
  }
  return "?";
}

size_t Report::failed_checks() const {
  size_t failed = 0;
  for (const ConversationResult& conversation : conversations)
    for (const CheckResult& check : conversation.checks)
      failed += check.status != CheckStatus::pass;
  for (const CheckResult& claim : claims) failed += claim.status != CheckStatus::pass;
  return failed;
}

bool Report::passed() const { return failed_checks() == 0 && !conversations.empty(); }

}  // namespace tcpgrade
