// Reading the text matchers of a scenario (a frame's payload, a stream's data, what a claim
// says a frame carries) for the scenario loader. Regexes are compiled and files read here, at
// load time, so a bad pattern or a missing file is a lint error, not a surprise at check time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scenario/matcher_parser.h"

namespace tcpgrade {

// The ways to give a text: equals, contains, regex, file.
const std::vector<std::string>& text_kinds();

// payload / carries: a plain string means contains; or a map with one of text_kinds().
TextMatcher parse_text_matcher(MatcherScope& scope, const Field& field);

// One text kind given as its own key, as a stream does (`contains: "200 OK"`).
TextMatcher parse_text_kind(MatcherScope& scope, std::string_view kind, const Field& value);

}  // namespace tcpgrade
