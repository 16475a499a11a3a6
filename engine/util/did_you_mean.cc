#include "util/did_you_mean.h"

#include <algorithm>
#include <cctype>

#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

constexpr size_t max_compared_length = 64;  // longer words are not typos of our keywords

char folded(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

size_t allowed_edits(size_t length) { return length <= 3 ? 1 : length <= 6 ? 2 : 3; }

}  // namespace

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t substitution = diagonal + (folded(a[i - 1]) == folded(b[j - 1]) ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> closest_word(std::string_view word,
                                        const std::vector<std::string>& candidates) {
  if (word.empty() || word.size() > max_compared_length) return std::nullopt;
  std::optional<std::string> best;
  size_t best_distance = allowed_edits(word.size()) + 1;
  for (const std::string& candidate : candidates) {
    size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best = closest_word(word, candidates);
  return best ? "; did you mean " + quote(*best) + "?" : "";
}

}  // namespace tcpgrade
