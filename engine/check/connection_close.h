// Where a connection's close completed: both FINs sent and each acknowledged. A segment after
// that point belongs to no exchange: a late retransmission that crossed the close, and the
// RST a kernel answers it with. Real loopback captures of long transfers show both now and
// then; they are correct TCP, not an abort.
#pragma once

#include <cstddef>
#include <optional>

#include "analysis/captured_conversation.h"

namespace tcpgrade {

// The index of the first segment after the close completed, or nullopt when it never did.
std::optional<size_t> closed_before(const CapturedConversation& conversation);

// Whether segment `index` came after the close completed.
bool after_close(const CapturedConversation& conversation, size_t index);

}  // namespace tcpgrade
