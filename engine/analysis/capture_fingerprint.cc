#include "analysis/capture_fingerprint.h"

#include <algorithm>

#include "analysis/segment_text.h"

namespace tcpgrade {
namespace {

// SplitMix64's finaliser: every input bit reaches every output bit.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t combine(uint64_t seed, uint64_t value) { return mix(seed ^ mix(value)); }

}  // namespace

uint64_t segment_key(const CapturedConversation& c, const CapturedSegment& s) {
  // The sender's port first: a segment and its reply differ even where the numbers agree.
  bool from_client = s.direction == Direction::client_to_server;
  uint64_t ports = from_client ? (uint64_t{c.summary.client.port} << 16) | c.summary.server.port
                               : (uint64_t{c.summary.server.port} << 16) | c.summary.client.port;
  uint64_t key = combine(0, ports);
  key = combine(key, (uint64_t{s.seq_raw} << 32) | s.ack_raw);
  key = combine(key, (uint64_t{s.len} << 16) | s.flags);
  key = combine(key, s.options.tsval ? (uint64_t{1} << 32) | *s.options.tsval : 0);
  return key;
}

CapturePrint fingerprint_capture(const CaptureContents& contents) {
  CapturePrint print;
  for (const CapturedConversation& c : contents.conversations) {
    if (print.conversations.size() == max_printed_conversations) break;
    if (c.segments.empty()) continue;
    ConversationPrint conversation;
    conversation.endpoints =
        endpoint_text(c.summary.client) + " → " + endpoint_text(c.summary.server);
    for (int side = 0; side < 2; ++side)
      conversation.isn[side] = c.summary.isn_from_syn[side] ? c.summary.isn[side] : 0;
    for (const CapturedSegment& s : c.segments) {
      if (conversation.segment_keys.size() == max_keys_per_conversation) break;
      conversation.segment_keys.push_back(segment_key(c, s));
    }
    std::sort(conversation.segment_keys.begin(), conversation.segment_keys.end());
    conversation.segment_keys.erase(
        std::unique(conversation.segment_keys.begin(), conversation.segment_keys.end()),
        conversation.segment_keys.end());
    print.conversations.push_back(std::move(conversation));
  }
  return print;
}

}  // namespace tcpgrade
