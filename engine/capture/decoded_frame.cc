#include "capture/decoded_frame.h"

#include <arpa/inet.h>

#include <optional>
#include <vector>

namespace tcpgrade {

const char* to_string(DecodeStatus status) {
  switch (status) {
    case DecodeStatus::ok:
      return "ok";
    case DecodeStatus::truncated:
      return "truncated";
    case DecodeStatus::malformed:
      return "malformed";
  }
  return "?";
}

std::string to_string(const IpAddress& address) {
  if (address.family == 4) {  // by hand: inet_ntop formats through sprintf, and every graded
    std::string text;         // connection names two endpoints
    text.reserve(15);
    for (size_t i = 0; i < 4; ++i) {
      if (i) text += '.';
      text += std::to_string(address.bytes[i]);
    }
    return text;
  }
  char text[INET6_ADDRSTRLEN] = {};
  if (address.family == 6) inet_ntop(AF_INET6, address.bytes.data(), text, sizeof text);
  return text;
}

std::string flag_names(uint16_t flags) {
  // Wireshark's order: from the lowest bit up.
  static constexpr const char* names[] = {"FIN", "SYN", "RST", "PSH", "ACK",
                                          "URG", "ECE", "CWR", "AE"};
  std::string out;
  for (int bit = 0; bit < 9; ++bit) {
    if (!(flags & (1u << bit))) continue;
    if (!out.empty()) out += ", ";
    out += names[bit];
  }
  // Wireshark names the three reserved bits once, whichever are set.
  if (flags & tcp_flag::reserved) out += out.empty() ? "Reserved" : ", Reserved";
  return out.empty() ? "<None>" : out;
}

const std::string& cached_flag_names(uint16_t flags) {
  static std::vector<std::optional<std::string>> cache(1 << 12);  // TCP has 12 flag bits
  if (flags >= cache.size()) {
    static std::string uncached;
    uncached = flag_names(flags);
    return uncached;
  }
  std::optional<std::string>& names = cache[flags];
  if (!names) names = flag_names(flags);
  return *names;
}

}  // namespace tcpgrade
