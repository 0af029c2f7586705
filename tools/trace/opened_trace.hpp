// A trace as every `novasim trace` subcommand starts from it: read whole, checked by the
// library's scan (so no tool ever prints half a malformed file), counted, and rewound to its
// first record for a second pass.
#pragma once

#include "kvm/trace/reader.hpp"
#include "kvm/trace/scan.hpp"
#include "trace/recorded_machine.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace trace_tools {

struct Opened_trace {
    kvm::trace::Reader reader; // at the first record
    kvm::trace::Summary summary;
    Recorded_machine machine;
    // Where the chunk starts that the file ends inside (a recorder that was killed).
    std::optional<std::uint64_t> tail_at;
};

// Throws kvm::trace::Format_error (byte offset, what is wrong) for a file the scan refuses;
// the CPUs and vCPUs of the header's scenario bound those the records may name.
Opened_trace open_trace(std::vector<std::uint8_t> bytes);

} // namespace trace_tools
