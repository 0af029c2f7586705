// What the scenario tests share: the scenario files of scenarios/, one run of each per test
// binary (its tests check different facts of the same run), the skip when KVM is unusable, and
// what a test reads from a Run_report.
#pragma once

#include "nova/types.hpp"
#include "require_kvm.hpp"
#include "scenarios/runner.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

namespace scenario_test {

// scenarios/NAME in the source tree.
std::string scenario_file(std::string const& name);

// The report of scenarios/NAME, run once per test binary; its one VM is vms[0].
scenarios::Run_report const& run_of(std::string const& name);

// The VM's outcome in words, for a failing assertion: how the run ended and what it printed.
std::string describe(scenarios::Run_report const& report);

// How often the VM's vCPU `vcpu` exited with `event` (nova/vmx.hpp).
std::uint64_t exits(scenarios::Vm_outcome const& vm, unsigned vcpu, nova::mword event);

// The status a guest that writes `value` to the debug-exit port ends with.
constexpr std::uint64_t debug_exit_status(std::uint64_t value)
{
    return value << 1 | 1;
}

constexpr std::uint64_t ms = 1'000'000; // simulated nanoseconds

// A test suite over one scenario's run: each test skips without usable KVM, and checks one fact
// of the run (scenarios/NAME, run once per binary) or of its one VM.
class Scenario_fixture : public ::testing::Test {
  protected:
    explicit Scenario_fixture(std::string file) : file_{std::move(file)} {}
    void SetUp() override;

    scenarios::Run_report const& run() const { return run_of(file_); }
    scenarios::Vm_outcome const& vm() const { return run().vms.at(0); }
    std::uint64_t exits(unsigned vcpu, nova::mword event) const
    {
        return scenario_test::exits(vm(), vcpu, event);
    }
    // The VM exited with the status the guest wrote to the debug-exit port, and did not fail.
    void expect_exit(std::uint64_t value) const;
    // The run took the simulated time its guest's timers needed, `timers_ns`, and not much more:
    // a timer cannot fire early, and one that fired late would show.
    void expect_simulated_time(std::uint64_t timers_ns) const;

  private:
    std::string file_;
};

// A scenario file's name as a template argument.
template <std::size_t N> struct File_name {
    char text[N];
    constexpr File_name(char const (&name)[N]) { std::copy_n(name, N, text); }
};

// `using PitTicks = Scenario_suite<"pit_ticks.toml">;` names the test suite of that scenario.
template <File_name file> class Scenario_suite : public Scenario_fixture {
  protected:
    Scenario_suite() : Scenario_fixture{file.text} {}
};

} // namespace scenario_test
