// The smp scenario (label kvm), beyond guest_scenarios_test.cpp: four vCPUs on two simulated
// CPUs; the boot processor starts the three APs with INIT and SIPI through its LAPIC, and each
// AP checks in with an IPI.
#include "nova/vmx.hpp"
#include "scenario_run.hpp"

namespace {

using namespace scenario_test;
namespace vmx = nova::vmx;

constexpr unsigned aps = 3;

using Smp = Scenario_suite<"smp.toml">;

// Each AP starts once (STARTUP, then the SIPI), reaches its LAPIC (ID, SVR, ICR: MMIO) and
// halts for good.
TEST_F(Smp, EveryApStartsFromItsSipiAndReachesItsLapic)
{
    for (unsigned v = 1; v <= aps; ++v) {
        EXPECT_EQ(exits(v, vmx::startup), 1u) << "vCPU " << v;
        EXPECT_GE(exits(v, vmx::ept_violation), 4u) << "vCPU " << v;
        EXPECT_GE(exits(v, vmx::hlt), 1u) << "vCPU " << v;
    }
}

} // namespace
