// Sequence-number arithmetic modulo 2^32 (RFC 1982 serial numbers). Raw Seq/Ack values are
// never compared with `<`: a connection may start near 2^32 and wrap to small numbers.
#pragma once

#include <cstdint>

namespace tcpgrade {

// Signed distance from `b` to `a`, as TCP sees it: positive when `a` comes after `b`.
constexpr int32_t seq_distance(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b); }

constexpr bool seq_before(uint32_t a, uint32_t b) { return seq_distance(a, b) < 0; }
constexpr bool seq_before_or_at(uint32_t a, uint32_t b) { return seq_distance(a, b) <= 0; }
constexpr bool seq_after(uint32_t a, uint32_t b) { return seq_distance(a, b) > 0; }
constexpr bool seq_after_or_at(uint32_t a, uint32_t b) { return seq_distance(a, b) >= 0; }

static_assert(seq_before(0xFFFFFFF0u, 0x10u), "a wrapped value comes after one near 2^32");
static_assert(seq_after(0x10u, 0xFFFFFFF0u));
static_assert(!seq_before(5u, 5u) && seq_before_or_at(5u, 5u));

}  // namespace tcpgrade
