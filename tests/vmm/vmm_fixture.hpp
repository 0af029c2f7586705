// What the VMM tests share: the seed of randomised tests, and fakes of the interfaces the vCPU
// side implements (Vcpu_control, Machine_control, the serial peer) that record what they saw.
#pragma once

#include "vmm/control.hpp"

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

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

// Records what the device side asked of the vCPU side.
struct Fake_vcpu_control : vmm::Vcpu_control {
    struct Startup {
        vmm::Vcpu_id vcpu;
        vmm::u8 vector;
        bool operator==(Startup const&) const = default;
    };
    std::vector<vmm::Vcpu_id> recalls, inits;
    std::vector<Startup> startups;

    void recall(vmm::Vcpu_id vcpu) override { recalls.push_back(vcpu); }
    void init(vmm::Vcpu_id vcpu) override { inits.push_back(vcpu); }
    void startup(vmm::Vcpu_id vcpu, vmm::u8 vector) override { startups.push_back({vcpu, vector}); }
    bool recalled(vmm::Vcpu_id vcpu) const
    {
        for (vmm::Vcpu_id v : recalls)
            if (v == vcpu) return true;
        return false;
    }
};

struct Fake_machine_control : vmm::Machine_control {
    std::vector<vmm::u64> exits;
    std::vector<vmm::Reset_source> resets;

    void request_exit(vmm::u64 status) override { exits.push_back(status); }
    void request_reset(vmm::Reset_source source) override { resets.push_back(source); }
};

} // namespace vmm_test
