// A capture's print on the child's result line (grade_child.h), and back in the parent: each
// conversation's endpoints and its segment keys as hex strings (JSON numbers are not safe
// past 2^53 in every reader). Bounded both ways by the print's own limits.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "analysis/capture_fingerprint.h"

namespace tcpgrade {

nlohmann::ordered_json capture_print_json(const CapturePrint& print);

// Nothing when `j` is not a print as capture_print_json writes it; extra conversations and
// keys past the limits are dropped.
std::optional<CapturePrint> capture_print_from_json(const nlohmann::json& j);

}  // namespace tcpgrade
