// What the VMM tests share: the seed of randomised tests, and fakes of the interfaces the vCPU
// side implements (Vcpu_control, Machine_control, the serial peer) that record what they saw.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>

namespace vmm_test {

// NOVASIM_SEED (design.md §5): unset means a fixed seed, 0 a fresh random one.
inline std::uint64_t seed()
{
    static std::uint64_t const value = [] {
        char const* text = std::getenv("NOVASIM_SEED");
        std::uint64_t s = text == nullptr || *text == '\0' ? 1 : std::strtoull(text, nullptr, 0);
        if (s == 0) s = (std::uint64_t{std::random_device{}()} << 32) | std::random_device{}();
        return s;
    }();
    return value;
}

inline std::string seed_note()
{
    return "reproduce with NOVASIM_SEED=" + std::to_string(seed());
}

} // namespace vmm_test
