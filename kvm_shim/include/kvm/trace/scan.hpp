// A whole trace read and checked before anything uses it: every record must be one that a run of
// novasim can have written — vCPUs created before they run, a message only for the event its
// vCPU's last stretch ended with (or a STARTUP or RECALL), a reply only to a message, events and
// CPUs that exist. What it counts serves `novasim trace info|stats` and the replay's summary.
#pragma once

#include "kvm/trace/reader.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kvm::trace {

// What the scenario allows (by default: anything the format allows).
struct Scan_limits {
    std::uint32_t cpus{std::numeric_limits<std::uint32_t>::max()};
    std::uint32_t vcpus{std::numeric_limits<std::uint32_t>::max()};
};

struct Vcpu_summary {
    std::uint32_t cpu{0};
    std::uint64_t ec{0};                  // its EC's id in the machine's event log
    std::map<mword, std::uint64_t> exits; // messages, by event
    std::uint64_t runs{0};                // guest stretches
    std::uint64_t cycles{0};              // simulated time they took
};

struct Summary {
    std::uint64_t records{0};
    std::uint64_t events{0};                // messages delivered to a handler (loads)
    std::uint64_t bytes{0};                 // the file's size
    std::array<std::uint64_t, 9> by_type{}; // by Record::Type (1..8)
    std::vector<Vcpu_summary> vcpus;
    std::map<std::uint32_t, std::uint64_t> dispatches; // by simulated CPU
    std::optional<std::string> end;                    // how the recorded run ended
    bool tail_missing{false};
};

// Throws Format_error (byte offset, what is wrong) for a file no novasim run can have written.
Summary scan(Reader& reader, Scan_limits const& limits = {});

// The one-line, readable form of a record (`novasim trace dump`, the replay's reports).
std::string describe(Record const& r);

} // namespace kvm::trace
