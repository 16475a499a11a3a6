// Reading a frame's `options:` (MSS, window scale, SACK, timestamps, their order) for the
// scenario loader.
#pragma once

#include "scenario/matcher_parser.h"

namespace tcpgrade {

OptionsExpectation parse_options(MatcherScope& scope, const Field& field);

}  // namespace tcpgrade
