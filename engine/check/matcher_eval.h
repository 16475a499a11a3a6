// Judges one field of a captured frame against a scenario matcher. The caller resolves the
// relations (next, same_as, isn_plus) to numbers first, so this stays a pure function.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "report/report.h"
#include "scenario/scenario.h"
#include "util/text_regex.h"

namespace tcpgrade {

struct FieldValue {
  std::optional<int64_t> actual;    // absent: the field does not exist in the frame
  bool unreadable = false;          // the capture cannot tell (cut by the snap length)
  std::optional<int64_t> relation;  // what next / same_as / isn_plus resolve to, if known
};

struct MatchOutcome {
  CheckStatus status = CheckStatus::pass;
  std::string expected, actual;
};

MatchOutcome evaluate(const Matcher& matcher, const FieldValue& field);
// evaluate's status alone, without the texts (the alignment weighs every pairing with it).
CheckStatus evaluate_status(const Matcher& matcher, const FieldValue& field);

// "0", "0..100", "one of 1, 2", "present", "next", ...
std::string describe(const Matcher& matcher);

// Text matchers on payload bytes; `shown` is what the report prints of the bytes.
bool text_matches(const TextMatcher& matcher, const std::string& bytes);
// text_matches, telling apart a regex that ran out of its work budget (util/text_regex.h):
// that is the pattern's cost, not the capture's content.
RegexOutcome text_outcome(const TextMatcher& matcher, const std::string& bytes);
std::string describe(const TextMatcher& matcher);

}  // namespace tcpgrade
