#include "check/matcher_eval.h"

#include <fmt/format.h>

#include <stdexcept>
#include <unordered_map>

#include "util/terminal_text.h"
#include "util/text_regex.h"

namespace tcpgrade {

std::string describe(const Matcher& m) {
  switch (m.kind) {
    case MatchKind::any:
      return "any";
    case MatchKind::exact:
      return std::to_string(m.value);
    case MatchKind::range:
      return fmt::format("{}..{}", m.low, m.high);
    case MatchKind::one_of: {
      std::string out = "one of ";
      for (size_t i = 0; i < m.values.size(); ++i)
        out += fmt::format("{}{}", i ? ", " : "", m.values[i]);
      return out;
    }
    case MatchKind::present:
      return "present";
    case MatchKind::absent:
      return "absent";
    case MatchKind::next:
      return "next";
    case MatchKind::same_as:
      return fmt::format("same as {}.{}", m.reference_frame, m.reference_field);
    case MatchKind::isn_plus:
      return fmt::format("peer ISN + {}", m.value);
  }
  return "?";
}

CheckStatus evaluate_status(const Matcher& m, const FieldValue& field) {
  if (field.unreadable)
    return m.kind == MatchKind::any ? CheckStatus::pass : CheckStatus::unverifiable;
  bool ok = false;
  switch (m.kind) {
    case MatchKind::any:
      ok = true;
      break;
    case MatchKind::present:
      ok = field.actual.has_value();
      break;
    case MatchKind::absent:
      ok = !field.actual.has_value();
      break;
    case MatchKind::exact:
      ok = field.actual && *field.actual == m.value;
      break;
    case MatchKind::range:
      ok = field.actual && *field.actual >= m.low && *field.actual <= m.high;
      break;
    case MatchKind::one_of:
      ok = false;
      for (int64_t v : m.values) ok = ok || (field.actual && *field.actual == v);
      break;
    case MatchKind::next:
    case MatchKind::same_as:
    case MatchKind::isn_plus:
      if (!field.relation)
        return CheckStatus::unverifiable;  // nothing to relate to: the frame is missing
      ok = field.actual && *field.actual == *field.relation;
      break;
  }
  return ok ? CheckStatus::pass : CheckStatus::fail;
}

MatchOutcome evaluate(const Matcher& m, const FieldValue& field) {
  MatchOutcome out;
  out.status = evaluate_status(m, field);
  out.expected = describe(m);
  bool relational =
      m.kind == MatchKind::next || m.kind == MatchKind::same_as || m.kind == MatchKind::isn_plus;
  if (relational && field.relation) out.expected += " (" + std::to_string(*field.relation) + ")";
  if (field.unreadable) {
    out.actual = "unreadable";
    return out;
  }
  out.actual = field.actual ? std::to_string(*field.actual) : "absent";
  return out;
}

bool text_matches(const TextMatcher& m, const std::string& bytes) {
  return text_outcome(m, bytes) == RegexOutcome::match;
}

RegexOutcome text_outcome(const TextMatcher& m, const std::string& bytes) {
  auto outcome = [](bool ok) { return ok ? RegexOutcome::match : RegexOutcome::no_match; };
  switch (m.kind) {
    case TextMatchKind::none:
      return RegexOutcome::match;
    case TextMatchKind::equals:
    case TextMatchKind::equals_file:
      return outcome(bytes == m.expected());
    case TextMatchKind::contains:
      return outcome(bytes.find(m.text) != std::string::npos);
    case TextMatchKind::regex: {
      // Compiled once per pattern: `each` grades thousands of connections with the same one.
      static std::unordered_map<std::string, std::optional<TextRegex>> compiled;
      auto found = compiled.find(m.text);
      if (found == compiled.end()) {
        std::optional<TextRegex> regex;
        try {
          regex.emplace(m.text);
        } catch (const std::invalid_argument&) {
          // lint rejects bad patterns: no match
        }
        found = compiled.emplace(m.text, std::move(regex)).first;
      }
      // A pattern that exhausts its budget does not match; never crash or hang.
      return found->second ? found->second->search(bytes) : RegexOutcome::no_match;
    }
  }
  return RegexOutcome::no_match;
}

std::string describe(const TextMatcher& m) {
  switch (m.kind) {
    case TextMatchKind::none:
      return "any";
    case TextMatchKind::equals:
      return fmt::format("equals \"{}\"", printable(m.text));
    case TextMatchKind::contains:
      return fmt::format("contains \"{}\"", printable(m.text));
    case TextMatchKind::regex:
      return fmt::format("matches /{}/", printable(m.text));
    case TextMatchKind::equals_file:
      return fmt::format("equals the file {} ({} bytes)", m.file, m.expected().size());
  }
  return "?";
}

}  // namespace tcpgrade
