// The seed of a randomised test (design.md §5): NOVASIM_SEED, unset or empty for the fixed seed 1,
// 0 for a fresh random one; any other number is that seed. One value per process, so that every
// test of a binary and every shard of one test use the same, and a failure can print it.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>

namespace novasim_test {

inline std::uint64_t seed()
{
    static std::uint64_t const value = [] {
        char const* text = std::getenv("NOVASIM_SEED");
        std::uint64_t s = text == nullptr || *text == '\0' ? 1 : std::strtoull(text, nullptr, 0);
        if (s != 0) return s;
        std::random_device entropy;
        return std::uint64_t{entropy()} << 32 | entropy();
    }();
    return value;
}

// For a failure message: how to run the test again with the same inputs.
inline std::string seed_note()
{
    return "reproduce with NOVASIM_SEED=" + std::to_string(seed());
}

} // namespace novasim_test
