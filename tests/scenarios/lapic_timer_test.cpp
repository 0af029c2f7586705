// The lapic_timer scenario (label kvm): the boot processor's LAPIC timer, ten periods at 10 ms
// and then a one-shot that expires while the guest has interrupts off, so the VMM asks for the
// interrupt window and injects the vector when the guest enables interrupts.
#include "nova/vmx.hpp"
#include "scenario_run.hpp"

namespace {

using namespace scenario_test;
namespace vmx = nova::vmx;

constexpr unsigned periods = 10;
constexpr std::uint64_t periods_ns = periods * 10 * ms;

using LapicTimer = Scenario_suite<"lapic_timer.toml">;

TEST_F(LapicTimer, TheGuestExitsWithEveryTimerInterruptItTook)
{
    expect_exit(periods + 1);
}

TEST_F(LapicTimer, ItReportsThePeriodicAndTheOneShotInterrupts)
{
    EXPECT_EQ(vm().serial,
              "lapic_timer: 10 periodic interrupts at vector 0x30\n"
              "lapic_timer: one-shot at vector 0x31 taken when interrupts were enabled\n");
}

TEST_F(LapicTimer, TheRunTakesTenPeriodsOfSimulatedTime)
{
    EXPECT_GE(run().simulated_ns, periods_ns) << describe(run());
    EXPECT_LE(run().simulated_ns, periods_ns + time_allowance(run(), periods_ns))
        << describe(run());
}

// The LAPIC is MMIO (EPT violations: set-up, an EOI for each interrupt, the polled count); each
// period wakes the halted vCPU; the one-shot waits for the window.
TEST_F(LapicTimer, TheOneShotIsInjectedAtTheInterruptWindow)
{
    EXPECT_GE(exits(0, vmx::ept_violation), periods + 1);
    EXPECT_GE(exits(0, vmx::recall), periods);
    EXPECT_GE(exits(0, vmx::intr_window), 1u);
}

} // namespace
