#include "report/report_escaping.h"

#include <gtest/gtest.h>

namespace tcpgrade {
namespace {

TEST(TerminalSafe, ReportStringsAllPass) {
  Report report;
  report.capture_file = "evil\x1b[2J.pcap";
  report.scenario_title = std::string(1, 't') + '\a';  // built: GCC 12 -O3 misreads "t\a" here
  report.warnings.push_back(std::string(1, 'w') + '\n');
  CheckResult check;
  check.actual = "\x9b";
  check.teaches = "\xe2\x80\xae";
  report.claims.push_back(check);
  ConversationResult conversation;
  conversation.checks.push_back(check);
  FrameRow row;
  row.note = "\x1b";
  conversation.rows.push_back(row);
  report.conversations.push_back(conversation);
  Report safe = terminal_safe(report);
  EXPECT_EQ(safe.capture_file, "evil\\x1b[2J.pcap");
  EXPECT_EQ(safe.scenario_title, "t\\x07");
  EXPECT_EQ(safe.warnings[0], "w\\n");
  EXPECT_EQ(safe.claims[0].actual, "\\x9b");
  EXPECT_EQ(safe.conversations[0].checks[0].teaches, "\\u202e");
  EXPECT_EQ(safe.conversations[0].rows[0].note, "\\x1b");
}

}  // namespace
}  // namespace tcpgrade
