// Copied captures in a class: submissions whose captures share a TCP conversation. Separate
// runs of a lab never share one (analysis/capture_fingerprint.h), so a shared conversation is
// evidence of copying whatever the files' names, formats, timestamps or trimming. Grades are
// not changed: the gradebook and the summary show the groups and their evidence, and the
// instructor decides.
#pragma once

#include <string>
#include <vector>

#include "analysis/capture_fingerprint.h"

namespace tcpgrade {

struct PrintedSubmission {
  std::string id;
  CapturePrint print;
};

// Two submissions that share a conversation, and the evidence.
struct SharedConversation {
  std::string a, b;           // submission ids, a before b in the input
  std::string endpoints;      // the conversation as a's capture holds it
  size_t common = 0;          // segments both captures hold
  size_t in_a = 0, in_b = 0;  // segments of that conversation in each
};

struct CopyGroup {
  std::vector<std::string> ids;              // in input order
  std::vector<SharedConversation> evidence;  // the pairs that tie the group together
};

// Two conversations are one when they share at least half the segments of the shorter, and at
// least two (one for a capture holding a single segment of it).
std::vector<CopyGroup> find_copies(const std::vector<PrintedSubmission>& submissions);

// "shares 12 of 12 segments of 127.0.0.1:53802 → 127.0.0.1:8002 with b17 (12 in b17's)".
std::string evidence_text(const SharedConversation& shared, const std::string& from);

}  // namespace tcpgrade
