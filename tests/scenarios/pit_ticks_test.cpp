// The pit_ticks scenario (label kvm): the 8254's channel 0 at 100 Hz raises IRQ 0, the 8259A
// pair passes it to the halted boot processor, the VMM recalls the vCPU and injects the PIC's
// vector, and the guest's IDT handler counts 20 ticks.
#include "nova/vmx.hpp"
#include "scenario_run.hpp"

namespace {

using namespace scenario_test;
namespace vmx = nova::vmx;

constexpr unsigned ticks = 20;
constexpr std::uint64_t ticks_ns = ticks * 10 * ms; // at 100 Hz

using PitTicks = Scenario_suite<"pit_ticks.toml">;

TEST_F(PitTicks, TheGuestExitsWithTheNumberOfTicksItCounted)
{
    expect_exit(ticks);
}

TEST_F(PitTicks, ItPrintsItsSetUpAndTheCount)
{
    EXPECT_EQ(vm().serial, "pit_ticks: PIC at vector 0x20, PIT channel 0 at 100 Hz\n"
                           "pit_ticks: 20 ticks of IRQ 0\n");
}

// The ticks are simulated time: the run cannot be shorter than 20 periods, and what it takes
// beyond them is the guest's own code.
TEST_F(PitTicks, TheRunTakesTwentyPeriodsOfSimulatedTime)
{
    EXPECT_GE(run().simulated_ns, ticks_ns) << describe(run());
    EXPECT_LE(run().simulated_ns, ticks_ns + time_allowance(run(), ticks_ns)) << describe(run());
}

// The guest waits for each tick in HLT: the VMM parks the vCPU, and the PIC's INTR recalls it.
TEST_F(PitTicks, EachTickWakesTheHaltedVcpuThroughARecall)
{
    EXPECT_GE(exits(0, vmx::hlt), ticks);
    EXPECT_GE(exits(0, vmx::recall), ticks);
    EXPECT_GE(exits(0, vmx::io), ticks); // an EOI for each tick
}

} // namespace
