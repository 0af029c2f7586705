// What a trace's header says about the machine it was recorded on: the scenario text it carries
// gives the number of simulated CPUs and of vCPUs, and the TSC frequency that turns cycles into
// time. A header whose scenario does not parse still reads; the tools then fall back to the
// scenario format's defaults and say why.
#pragma once

#include "kvm/trace/format.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace trace_tools {

struct Recorded_machine {
    std::optional<std::uint32_t> cpus;  // unknown when the scenario does not parse
    std::optional<std::uint32_t> vcpus; // of all its VMs; unknown likewise
    std::uint32_t tsc_khz{0};
    std::optional<std::string> scenario_error; // why the header's scenario does not parse

    // Simulated microseconds of `cycles` at the recorded TSC frequency.
    double micros(std::uint64_t cycles) const;
};

Recorded_machine recorded_machine(kvm::trace::Header const& header);

} // namespace trace_tools
