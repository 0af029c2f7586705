// The lapic_timer scenario (label kvm), beyond guest_scenarios_test.cpp: the boot processor's
// LAPIC timer, ten periods at 10 ms and then a one-shot that expires while the guest has
// interrupts off, so the VMM asks for the interrupt window and injects the vector when the
// guest enables interrupts.
#include "nova/vmx.hpp"
#include "scenario_run.hpp"

namespace {

using namespace scenario_test;
namespace vmx = nova::vmx;

using LapicTimer = Scenario_suite<"lapic_timer.toml">;

// The one-shot expires while the guest has interrupts off: the VMM asks for the window.
TEST_F(LapicTimer, TheOneShotIsInjectedAtTheInterruptWindow)
{
    EXPECT_GE(exits(0, vmx::intr_window), 1u);
}

} // namespace
