// FNV-1a, 64 bits: a stable, dependency-free hash for ids, files and shards. Not for secrets
// on its own (scenario_params mixes in a finaliser); values are written into gradebooks and
// shard files, so the constants must never change.
#pragma once

#include <cstdint>
#include <string_view>

namespace tcpgrade {

inline constexpr uint64_t fnv1a_offset_basis = 0xcbf29ce484222325ULL;
inline constexpr uint64_t fnv1a_prime = 0x100000001b3ULL;

// `hash` continued over `bytes`: fnv1a(b, fnv1a(a)) == fnv1a(a + b).
constexpr uint64_t fnv1a(std::string_view bytes, uint64_t hash = fnv1a_offset_basis) {
  for (char c : bytes) hash = (hash ^ static_cast<unsigned char>(c)) * fnv1a_prime;
  return hash;
}

// One value that no byte sequence can imitate (above 0xff): ends a field, so "ab","c" and
// "a","bc" hash apart.
constexpr uint64_t fnv1a_mix(uint64_t hash, uint64_t value) { return (hash ^ value) * fnv1a_prime; }

static_assert(fnv1a("") == fnv1a_offset_basis);
static_assert(fnv1a("a") == 0xaf63dc4c8601ec8cULL, "FNV-1a's published value for \"a\"");

}  // namespace tcpgrade
