// Conversation properties: what a scenario says about the graded connection as a whole
// (`properties:` at the top level), each judged as one check: bytes each way, how much the
// final ACKs cover, window scaling and MSS in the SYNs, no RST, retransmissions, connections
// to the server, requests on the connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace tcpgrade {

struct ConversationProperties {
  Matcher bytes_to_server, bytes_to_client;  // data bytes each way, retransmitted bytes once
  Matcher acked_by_client, acked_by_server;  // data bytes the side's highest Ack covers
  std::optional<bool> window_scaling;        // true: both SYNs carry WS; false: not both
  Matcher mss;                               // each SYN's MSS
  std::optional<bool> no_rst;                // true: no segment with RST
  Matcher retransmissions;                   // segments Wireshark flags as retransmissions
  Matcher connections;                       // connections to the server port in the capture
  Matcher requests;                          // client data bursts (see scenarios/README.md)
  double points = 1;                         // each property's
  std::string teaches;
  std::string visibility;
  SourceLocation where;

  // The properties given, in the order the report lists them (the keys' names).
  std::vector<std::string> given() const {
    std::vector<std::string> keys;
    auto add = [&](const char* key, bool set) {
      if (set) keys.push_back(key);
    };
    add("bytes_to_server", bytes_to_server.constrains());
    add("bytes_to_client", bytes_to_client.constrains());
    add("acked_by_client", acked_by_client.constrains());
    add("acked_by_server", acked_by_server.constrains());
    add("window_scaling", window_scaling.has_value());
    add("mss", mss.constrains());
    add("no_rst", no_rst.has_value());
    add("retransmissions", retransmissions.constrains());
    add("connections", connections.constrains());
    add("requests", requests.constrains());
    return keys;
  }
  double max_points() const { return points * static_cast<double>(given().size()); }
};

}  // namespace tcpgrade
