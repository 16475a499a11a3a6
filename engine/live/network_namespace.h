// A private network namespace for `tcpgrade live`: its own `lo`, so parallel runs and other
// loopback traffic cannot reach the capture and the lab's port is always free.
#pragma once

#include <string>

namespace tcpgrade {

// Moves this process into a new network namespace with `lo` up: as root directly, otherwise
// inside a new user namespace (where it holds CAP_NET_RAW on the private `lo`). Returns a
// sentence for the report; on failure the host's loopback stays in use and the sentence says so.
std::string enter_private_network(bool* isolated);

}  // namespace tcpgrade
