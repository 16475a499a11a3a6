#include "decoded_frame.h"

#include <arpa/inet.h>

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
  char text[INET6_ADDRSTRLEN] = {};
  if (address.family == 4) inet_ntop(AF_INET, address.bytes.data(), text, sizeof text);
  else if (address.family == 6) inet_ntop(AF_INET6, address.bytes.data(), text, sizeof text);
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

}  // namespace tcpgrade
