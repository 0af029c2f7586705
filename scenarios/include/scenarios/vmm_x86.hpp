// The vmm_x86 unit scenario: the equivalent of Genode's vmm_x86 test
// (vmm-on-microhypervisors.md §2) on the simulated kernel and /dev/kvm. Four vCPUs of one VM on
// two simulated CPUs, handled by two handler ECs ("ep" on CPU 0 for vCPUs 0 and 1, "second ep"
// on CPU 1 for vCPUs 2 and 3), run the one-page guest at the reset vector; a timer on CPU 0
// pauses halted and spinning vCPUs through recall and resumes them, with and without skipping
// instructions; at the end the VM is destroyed while its vCPUs are blocked. Each vCPU's exit log,
// normalised, must match the expected one exactly.
#pragma once

#include "kvm/backend.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace scenarios {

struct Vmm_x86_options {
    std::uint64_t tick_cycles{100'000'000}; // the timer's period: 50 ms at 2 GHz
    kvm::Backend_config backend{};
};

struct Vmm_x86_result {
    std::array<std::vector<std::string>, 4> logs; // per vCPU, as the handlers wrote them
    std::vector<std::string> errors;              // anything unexpected ("Error" lines)
    // Steps the host's KVM could not do as a real VT-x does, by name (kvm_shim/README.md).
    std::vector<std::string> host_limits;
    std::vector<std::string> rdtscp; // "vcpu N: guest cx=... host=... dx>>16=..." where it ran
    bool finished{false};            // the script ran to its end and the VM was destroyed
    std::size_t vms_left{0};         // KVM VMs the backend still has afterwards (0)
    std::string stop;                // how the run ended
};

// Runs the scenario on a fresh machine with the KVM backend (KVM must be usable).
Vmm_x86_result run_vmm_x86(Vmm_x86_options const& options = {});

// Genode's normalisation: exit counters become "XX", and the lines that depend on which vCPU
// touched the page first or on host features (EPT faults, rdtscp details, resumes) go.
std::vector<std::string> normalise(std::vector<std::string> const& log);
// What each vCPU's normalised log must be.
std::array<std::vector<std::string>, 4> expected_vmm_x86_logs();

} // namespace scenarios
