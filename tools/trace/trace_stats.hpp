// `novasim trace stats`: a kvm_stat-like histogram per vCPU — for each event, how many messages
// the VMM got, their share of that vCPU's, and the simulated time of the guest stretches that
// ended with it (cycles at the recorded TSC frequency) — then the dispatches per simulated CPU.
#pragma once

#include "trace/opened_trace.hpp"

#include <cstdint>
#include <map>
#include <ostream>
#include <vector>

namespace trace_tools {

using nova::mword;

struct Event_stats {
    std::uint64_t messages{0};  // delivered to the handler (STARTUP and RECALL included)
    std::uint64_t stretches{0}; // guest stretches that ended with the event
    std::uint64_t cycles{0};    // their simulated time
};

// By vCPU, then by event (Vm_exit::none: stretches that ended without an exit).
using Exit_stats = std::vector<std::map<mword, Event_stats>>;

// Reads the records from the reader's position to the end.
Exit_stats collect_exit_stats(kvm::trace::Reader& reader, std::size_t vcpus);

void print_stats(Opened_trace& trace, std::ostream& out);

} // namespace trace_tools
