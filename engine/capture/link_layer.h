// Strips the link-layer header of each link type a student's capture may have, leaving the
// IP packet and its version.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "capture/decoded_frame.h"
#include "util/byte_reader.h"

namespace tcpgrade {

enum class LinkResult : uint8_t {
  ip,         // reader now stands at an IPv4 or IPv6 header
  not_ip,     // a valid frame carrying something else (ARP, LLC, ...)
  truncated,  // cut before the network header
};

// Whether tcpgrade decodes this libpcap DLT_ value.
bool link_type_supported(int dlt);

// Reads the link header for `dlt`; records VLAN ids into `ip`.
LinkResult strip_link_layer(int dlt, ByteReader& reader, NetworkLayer& ip);

}  // namespace tcpgrade
