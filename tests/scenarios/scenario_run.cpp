#include "scenario_run.hpp"

#include "scenarios/scenario.hpp"

#include <fmt/format.h>
#include <map>

namespace scenario_test {

namespace {

// What a run's simulated time may exceed what its timers took: 20 %, and the host time of the
// run, because a stretch of guest code that the host tick ends costs the CPU a whole tick of
// simulated time, which over a run comes to about the host time those stretches took
// (kvm_shim/README.md, deterministic time).
std::uint64_t time_allowance(scenarios::Run_report const& report, std::uint64_t timers_ns)
{
    return timers_ns / 5 + static_cast<std::uint64_t>(report.seconds * 1e9);
}

} // namespace

std::string scenario_file(std::string const& name)
{
    return std::string{NOVASIM_SCENARIO_DIR} + "/" + name;
}

scenarios::Run_report const& run_of(std::string const& name)
{
    static std::map<std::string, scenarios::Run_report> runs;
    auto it = runs.find(name);
    if (it == runs.end()) {
        scenarios::Scenario s = scenarios::load_scenario(scenario_file(name));
        it = runs.emplace(name, scenarios::run_scenario(s, {})).first;
    }
    return it->second;
}

std::string describe(scenarios::Run_report const& report)
{
    std::string text = fmt::format("the run ended: {}\n", report.stop);
    for (scenarios::Vm_outcome const& vm : report.vms) {
        text += fmt::format("{}: status {}, failure: {}\n--- serial ---\n{}--- end ---\n", vm.name,
                            vm.exit_status ? fmt::format("{:#x}", *vm.exit_status) : "none",
                            vm.failure.value_or("none"), vm.serial);
    }
    return text;
}

std::uint64_t exits(scenarios::Vm_outcome const& vm, unsigned vcpu, nova::mword event)
{
    auto it = vm.histogram.find({vcpu, event});
    return it == vm.histogram.end() ? 0 : it->second;
}

void Scenario_fixture::SetUp()
{
    NOVASIM_REQUIRE_KVM();
    ASSERT_EQ(run().vms.size(), 1u) << describe(run());
}

void Scenario_fixture::expect_exit(std::uint64_t value) const
{
    EXPECT_FALSE(vm().failure) << describe(run());
    EXPECT_EQ(vm().exit_status, debug_exit_status(value)) << describe(run());
    EXPECT_EQ(run().exit_code, static_cast<int>(debug_exit_status(value) & 0xff));
}

void Scenario_fixture::expect_simulated_time(std::uint64_t timers_ns) const
{
    EXPECT_GE(run().simulated_ns, timers_ns) << describe(run());
    EXPECT_LE(run().simulated_ns, timers_ns + time_allowance(run(), timers_ns)) << describe(run());
}

} // namespace scenario_test
