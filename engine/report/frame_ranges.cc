#include "report/frame_ranges.h"

#include <fmt/format.h>

#include "report/report_limits.h"

namespace tcpgrade {

std::string frame_ranges(const std::vector<uint64_t>& frames) {
  std::string out;
  size_t ranges = 0;
  for (size_t i = 0; i < frames.size();) {
    if (ranges++ == max_report_ranges) {
      out += fmt::format(", … {} more", frames.size() - i);
      break;
    }
    size_t j = i;
    while (j + 1 < frames.size() && frames[j + 1] == frames[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    if (j >= i + 2) {
      out += fmt::format("{}–{}", frames[i], frames[j]);
      i = j + 1;
    } else {
      out += fmt::format("{}", frames[i++]);
    }
  }
  return out;
}

}  // namespace tcpgrade
