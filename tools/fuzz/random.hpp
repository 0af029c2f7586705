// The fuzzer's one source of randomness: SplitMix64, seeded explicitly, so a seed (libFuzzer's
// per-mutation seed, or NOVASIM_SEED for the in-process engine) replays every choice.
#pragma once

#include "program/fnv_hash.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <random>
#include <span>

namespace fuzz {

class Random {
  public:
    explicit Random(std::uint64_t seed) : state_{seed} {}

    std::uint64_t next()
    {
        std::uint64_t x = state_ += 0x9e37'79b9'7f4a'7c15;
        x = (x ^ (x >> 30)) * 0xbf58'476d'1ce4'e5b9;
        x = (x ^ (x >> 27)) * 0x94d0'49bb'1331'11eb;
        return x ^ (x >> 31);
    }
    // Uniform in [0, n); n > 0.
    std::uint64_t below(std::uint64_t n) { return next() % n; }
    // In [low, high].
    std::uint64_t between(std::uint64_t low, std::uint64_t high)
    {
        return low + below(high - low + 1);
    }
    // True with probability 1/n.
    bool one_in(std::uint64_t n) { return below(n) == 0; }
    // One element of a non-empty array, vector or span.
    template <typename Range> decltype(auto) pick(Range&& choices)
    {
        return choices[below(std::size(choices))];
    }

  private:
    std::uint64_t state_;
};

// NOVASIM_SEED (design.md §5): unset means `fixed`, 0 a fresh random seed (whoever uses it
// prints it, so that it can be given back).
inline std::uint64_t seed_from_environment(std::uint64_t fixed)
{
    char const* text = std::getenv("NOVASIM_SEED");
    if (text == nullptr || *text == '\0') return fixed;
    std::uint64_t chosen = std::strtoull(text, nullptr, 0);
    if (chosen != 0) return chosen;
    std::random_device entropy;
    return std::uint64_t{entropy()} << 32 | entropy();
}

// A stable 64-bit hash of bytes (FNV-1a): the same text gives the same swarm everywhere.
inline std::uint64_t hash_bytes(std::span<char const> bytes)
{
    return hcl::fnv1a({bytes.data(), bytes.size()});
}

} // namespace fuzz
