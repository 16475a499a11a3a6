// TCP-aware blocks of a scenario's frame list: a `transfer:` (a run of data segments one way
// with the ACKs that answer them) and a `teardown:` (every correct TCP close). A block stands
// in the frame list as one ExpectedFrame whose `block` is set; the alignment lets it claim a
// run of segments, and check/block_judge judges the run as one unit.
#pragma once

#include <cstdint>

#include "scenario/scenario.h"

namespace tcpgrade {

enum class BlockKind : uint8_t { transfer, teardown };

struct TransferExpectation {
  Direction direction = Direction::server_to_client;
  Matcher bytes;                    // the bytes sent, retransmitted bytes once: exact or a range
  Matcher segments;                 // how many data segments (retransmissions included)
  TextMatcher payload;              // on the reassembled bytes the capture holds
  bool last_may_carry_fin = false;  // the last data segment may close its side (FIN)
};

struct TeardownExpectation {
  bool allow_rst_after_fin = false;  // a side may end with RST once a FIN was sent
};

struct BlockExpectation {
  BlockKind kind = BlockKind::transfer;
  TransferExpectation transfer;
  TeardownExpectation teardown;
};

}  // namespace tcpgrade
