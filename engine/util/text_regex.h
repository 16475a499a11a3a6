// Regular expressions over payload bytes, with PCRE2 (Perl syntax, as Wireshark's `matches`).
// Matching is bounded: a pattern that would backtrack without end over a large response stops
// at a fixed budget and is reported as such, never recursing until the stack runs out.
#pragma once

#include <memory>
#include <optional>
#include <string>

namespace tcpgrade {

enum class RegexOutcome { match, no_match, too_complex };

class TextRegex {
 public:
  // The error text (with the offset in the pattern) on a pattern that does not compile.
  static std::optional<std::string> problem(const std::string& pattern);

  // Throws std::invalid_argument with problem()'s text on a bad pattern.
  explicit TextRegex(const std::string& pattern);
  ~TextRegex();
  TextRegex(TextRegex&&) noexcept;
  TextRegex& operator=(TextRegex&&) noexcept;

  // Searches anywhere in bytes (which may hold NULs and invalid UTF-8: matched as bytes).
  RegexOutcome search(const std::string& bytes) const;

 private:
  struct Compiled;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace tcpgrade
