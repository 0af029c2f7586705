// The smp scenario (label kvm): four vCPUs on two simulated CPUs; the boot processor starts the
// three APs with INIT and SIPI through its LAPIC, and each AP checks in with an IPI.
#include "nova/vmx.hpp"
#include "scenario_run.hpp"

namespace {

using namespace scenario_test;
namespace vmx = nova::vmx;

constexpr unsigned aps = 3;

using Smp = Scenario_suite<"smp.toml">;

TEST_F(Smp, TheBootProcessorExitsWithTheNumberOfApsThatCheckedIn)
{
    expect_exit(aps);
}

TEST_F(Smp, EachApCheckedInByCounterTableAndIpi)
{
    EXPECT_EQ(vm().serial, "smp: 4 CPUs\n"
                           "smp: AP 1 checked in\n"
                           "smp: AP 2 checked in\n"
                           "smp: AP 3 checked in\n"
                           "smp: 3 of 3 APs checked in\n");
}

// Each AP starts once (STARTUP, then the SIPI), reaches its LAPIC (ID, SVR, ICR: MMIO) and
// halts for good; the boot processor is recalled for the IPIs.
TEST_F(Smp, EveryApStartsFromItsSipiAndReachesItsLapic)
{
    for (unsigned v = 1; v <= aps; ++v) {
        EXPECT_EQ(exits(v, vmx::startup), 1u) << "vCPU " << v;
        EXPECT_GE(exits(v, vmx::ept_violation), 4u) << "vCPU " << v;
        EXPECT_GE(exits(v, vmx::hlt), 1u) << "vCPU " << v;
    }
    EXPECT_GE(exits(0, vmx::recall), 1u);
}

} // namespace
