// Judging a `transfer:` or `teardown:` block (scenario/scenario_block.h) on the run of
// segments the alignment let it claim: which segments fit a block, and the block's properties,
// each one check row (bytes, Seq contiguous, every byte acknowledged, ...; the FINs and their
// ACKs of a close, judged as a state machine).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/captured_conversation.h"
#include "report/report.h"
#include "scenario/scenario_block.h"

namespace tcpgrade {

// What beginning block `b`'s run with segment `s` costs, -1 when `s` does not fit the block
// (once begun, the run goes on with any segment that fits, at no cost): 0 for what makes the
// block (a data segment in a transfer's direction; a FIN or RST in a teardown), 1 for a pure
// ACK. A pure ACK fits many places: a block that would begin with one pays a little, so that a
// block with nothing of its own (a capture cut after the handshake) does not take the
// handshake's ACK from the frame that expects it.
int block_absorb_cost(const BlockExpectation& b, const CapturedSegment& s);

// One property of a block, judged.
struct BlockCheck {
  std::string field;  // "bytes", "seq", "acked", "payload", "segments"; "fins", "fin-acks", ...
  CheckStatus status = CheckStatus::pass;
  std::string expected, actual, hint;
};

struct BlockVerdict {
  std::vector<BlockCheck> checks;  // the same list for every capture: the points never vary
  uint64_t first_frame = 0, last_frame = 0;
  std::string note;  // for the frame table: "transfer, frames 6–1430", "the server closed first"
};

// `claimed`: indexes into c.segments, in capture order. `tolerated`: the scenario's noise
// (a transfer's retransmitted bytes are allowed only when it tolerates retransmissions).
BlockVerdict judge_block(const BlockExpectation& b, const CapturedConversation& c,
                         const std::vector<size_t>& claimed, uint32_t tolerated);

// The two kinds, as judge_block dispatches them (transfer_judge.cc, teardown_judge.cc).
BlockVerdict judge_transfer(const TransferExpectation& t, const CapturedConversation& c,
                            const std::vector<size_t>& claimed, uint32_t tolerated);
BlockVerdict judge_teardown(const TeardownExpectation& t, const CapturedConversation& c,
                            const std::vector<size_t>& claimed);

// "frames 6–1430", "frame 6".
std::string frame_range_text(uint64_t first, uint64_t last);

}  // namespace tcpgrade
