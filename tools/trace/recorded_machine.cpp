#include "trace/recorded_machine.hpp"

#include "scenarios/scenario.hpp"

namespace trace_tools {

double Recorded_machine::micros(std::uint64_t cycles) const
{
    // tsc_khz counts cycles per millisecond; a double keeps nanoseconds exact up to 2^53 cycles.
    return static_cast<double>(cycles) * 1000.0 / tsc_khz;
}

Recorded_machine recorded_machine(kvm::trace::Header const& header)
{
    Recorded_machine m;
    try {
        scenarios::Scenario s =
            scenarios::parse_scenario(header.scenario_text, header.scenario_file);
        m.cpus = s.machine.cpus;
        m.vcpus = 0;
        for (scenarios::Vm_description const& vm : s.vms) *m.vcpus += vm.vcpus;
        m.tsc_khz = s.machine.tsc_khz;
    } catch (scenarios::Scenario_error const& e) {
        m.scenario_error = e.what();
        m.tsc_khz = scenarios::Scenario{}.machine.tsc_khz;
    }
    return m;
}

} // namespace trace_tools
