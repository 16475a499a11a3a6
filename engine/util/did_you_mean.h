// Spelling suggestions for lint: the valid word closest to a misspelt one ("flag" → "flags").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tcpgrade {

// Levenshtein distance, ignoring ASCII case: "syn" and "SYN" are the same word.
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word`, if it is near enough to be a slip of the keyboard: at most
// 1 edit for words of up to 3 characters, 2 up to 6, 3 beyond. Ties go to the earlier candidate.
std::optional<std::string> closest_word(std::string_view word,
                                        const std::vector<std::string>& candidates);

// "; did you mean 'flags'?" or "" when no candidate is near.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace tcpgrade
