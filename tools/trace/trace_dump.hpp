// `novasim trace dump`: one readable line per record (kvm::trace::describe), in file order. A
// message and its reply carry the event's index, "#12 load ...", the number a replay reports a
// divergence with. Filters pick vCPUs and events; --from and --count cut a window.
#pragma once

#include "kvm/trace/reader.hpp"

#include <cstdint>
#include <limits>
#include <ostream>
#include <set>

namespace trace_tools {

using nova::mword;

struct Dump_filter {
    // Empty: every vCPU. Otherwise only the records of these vCPUs: their creation and
    // destruction, stretches, messages, replies, and the dispatches of their ECs.
    std::set<std::uint32_t> vcpus{};
    // Empty: every record. Otherwise only stretches, messages and replies of these events.
    std::set<mword> events{};
    std::uint64_t from{0}; // start at the message of this event (index), skipping what is before
    std::uint64_t count{std::numeric_limits<std::uint64_t>::max()}; // at most this many lines
};

// Prints what `filter` lets through from the reader's next record on; returns the lines printed.
std::uint64_t dump(kvm::trace::Reader& reader, Dump_filter const& filter, std::ostream& out);

} // namespace trace_tools
