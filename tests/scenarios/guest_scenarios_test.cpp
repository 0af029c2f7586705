// What each interrupt guest's scenario must do end to end (label kvm), one table row a scenario:
// the status its guest exits with after checking what it counted, everything it prints, how
// often at least it halts and is recalled by an interrupt (its timer's or the APs' IPIs), what
// its EOIs cost, and the simulated time its timers take. The guests differ in the interrupt
// path, not in what a test asks of the run, so one table serves them all and a new guest is a
// row; the facts only one scenario has are in its own file.
#include "nova/vmx.hpp"
#include "scenario_run.hpp"

#include <optional>
#include <ostream>
#include <vector>

namespace {

using namespace scenario_test;
namespace vmx = nova::vmx;

struct Expected_run {
    std::string name;                       // scenarios/NAME.toml, and the test's name
    std::uint64_t status;                   // what the guest writes to the debug-exit port
    std::string serial;                     // everything it prints
    std::uint64_t wakeups;                  // HLT exits, and RECALLs that ended them, at least
    nova::mword eoi_exit;                   // an EOI's exit: port I/O at a PIC, MMIO at a LAPIC
    std::uint64_t eois;                     // how many of those exits at least
    std::optional<std::uint64_t> timers_ns; // the simulated time its timers need
};

// Names the row in a failing test's output and in ctest's list, instead of its bytes.
void PrintTo(Expected_run const& run, std::ostream* out)
{
    *out << run.name;
}

std::vector<Expected_run> const guests = {
    {"pit_ticks", 20,
     "pit_ticks: PIC at vector 0x20, PIT channel 0 at 100 Hz\n"
     "pit_ticks: 20 ticks of IRQ 0\n",
     20, vmx::io, 20, 20 * 10 * ms},
    {"lapic_timer", 11,
     "lapic_timer: 10 periodic interrupts at vector 0x30\n"
     "lapic_timer: one-shot at vector 0x31 taken when interrupts were enabled\n",
     10, vmx::ept_violation, 11, 10 * 10 * ms},
    {"smp", 3,
     "smp: 4 CPUs\n"
     "smp: AP 1 checked in\n"
     "smp: AP 2 checked in\n"
     "smp: AP 3 checked in\n"
     "smp: 3 of 3 APs checked in\n",
     1, vmx::ept_violation, 3, std::nullopt},
    // IRQ 8 only reaches the CPU through the slave PIC; the guest checks both ISRs for it.
    {"rtc_periodic", 16,
     "rtc_periodic: PIC at vector 0x20, RTC periodic interrupt at 64 Hz\n"
     "rtc_periodic: 16 interrupts of IRQ 8 through the slave PIC\n",
     16, vmx::io, 2 * 16, 16 * 15'625'000},
};

std::vector<Expected_run> timed(std::vector<Expected_run> const& runs)
{
    std::vector<Expected_run> out;
    for (Expected_run const& r : runs)
        if (r.timers_ns) out.push_back(r);
    return out;
}

class GuestScenario : public Scenario_fixture, public ::testing::WithParamInterface<Expected_run> {
  protected:
    GuestScenario() : Scenario_fixture{GetParam().name + ".toml"} {}
};
class TimedGuestScenario : public GuestScenario {};

TEST_P(GuestScenario, ExitsWithTheStatusItsGuestChecked)
{
    expect_exit(GetParam().status);
}

TEST_P(GuestScenario, PrintsExactlyWhatItsGuestFound)
{
    EXPECT_EQ(vm().serial, GetParam().serial);
}

// The guest waits in HLT: the VMM parks the vCPU, and the interrupt recalls it.
TEST_P(GuestScenario, EachInterruptWakesTheHaltedBootProcessor)
{
    EXPECT_GE(exits(0, vmx::hlt), GetParam().wakeups);
    EXPECT_GE(exits(0, vmx::recall), GetParam().wakeups);
}

// Each interrupt the guest took it acknowledged, so the controller would deliver the next.
TEST_P(GuestScenario, EachInterruptIsAcknowledgedByAnEoi)
{
    EXPECT_GE(exits(0, GetParam().eoi_exit), GetParam().eois);
}

TEST_P(TimedGuestScenario, TakesTheSimulatedTimeItsTimersNeed)
{
    expect_simulated_time(*GetParam().timers_ns);
}

auto const name_of = [](auto const& row) { return row.param.name; };
INSTANTIATE_TEST_SUITE_P(Scenario, GuestScenario, ::testing::ValuesIn(guests), name_of);
INSTANTIATE_TEST_SUITE_P(Scenario, TimedGuestScenario, ::testing::ValuesIn(timed(guests)), name_of);

} // namespace
