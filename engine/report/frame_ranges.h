// Frame numbers as a reader takes them in: "8, 9, 12, 14–42".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tcpgrade {

// `frames` ascending; runs of three or more become "a–b"; after max_report_ranges runs, the
// count of the rest ("… 12 more").
std::string frame_ranges(const std::vector<uint64_t>& frames);

}  // namespace tcpgrade
