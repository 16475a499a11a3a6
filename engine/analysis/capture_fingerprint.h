// What identifies a capture's TCP traffic whatever was done to the file: each segment's ports,
// raw Seq and Ack, Len, flags and TSval. Separate runs of a lab never share them (the client
// port, both ISNs and the TSval offsets are random), while a copy shares them all, converted
// to pcapng or nanoseconds, shifted in time or trimmed at either end. grade uses it to find
// submissions that share a conversation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/captured_conversation.h"

namespace tcpgrade {

struct ConversationPrint {
  std::string endpoints;               // "127.0.0.1:53802 → 127.0.0.1:8002", for the evidence
  uint32_t isn[2] = {0, 0};            // raw ISNs (client, server), 0 when no SYN was seen
  std::vector<uint64_t> segment_keys;  // sorted, unique; at most max_keys_per_conversation
};

struct CapturePrint {
  std::vector<ConversationPrint> conversations;  // at most max_printed_conversations
};

inline constexpr size_t max_keys_per_conversation = 256;
inline constexpr size_t max_printed_conversations = 16;

// The key of one segment: the same for a copy of it, different for any other run's.
uint64_t segment_key(const CapturedConversation& c, const CapturedSegment& s);

CapturePrint fingerprint_capture(const CaptureContents& contents);

}  // namespace tcpgrade
