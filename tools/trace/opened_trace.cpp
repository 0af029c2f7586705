#include "trace/opened_trace.hpp"

#include <utility>

namespace trace_tools {

Opened_trace open_trace(std::vector<std::uint8_t> bytes)
{
    kvm::trace::Reader reader{std::move(bytes)};
    Recorded_machine machine = recorded_machine(reader.header());
    kvm::trace::Scan_limits limits;
    if (machine.cpus) limits.cpus = *machine.cpus;
    if (machine.vcpus) limits.vcpus = *machine.vcpus;
    kvm::trace::Summary summary = kvm::trace::scan(reader, limits);
    std::optional<std::uint64_t> tail_at;
    if (summary.tail_missing) tail_at = reader.offset();
    reader.rewind();
    return Opened_trace{std::move(reader), std::move(summary), std::move(machine), tail_at};
}

} // namespace trace_tools
