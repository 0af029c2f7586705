// Local APICs on the bus alone: their pages, priorities, IPIs between two of them, INIT and
// SIPI reaching a fake Vcpu_control, the timer on a manual clock, the base MSR.
#include "vmm/devices/lapic.hpp"

#include <gtest/gtest.h>

#include "vmm_fixture.hpp"

namespace {

using namespace vmm;
using vmm_test::Fake_vcpu_control;

constexpr u64 page = Lapic::default_base;

enum : u32 {
    id = 0x20,
    ver = 0x30,
    tpr = 0x80,
    apr = 0x90,
    ppr = 0xa0,
    eoi = 0xb0,
    ldr = 0xd0,
    dfr = 0xe0,
    svr = 0xf0,
    isr0 = 0x100,
    tmr0 = 0x180,
    irr0 = 0x200,
    esr = 0x280,
    icr_low = 0x300,
    icr_high = 0x310,
    lvt_timer = 0x320,
    lvt_lint0 = 0x350,
    lvt_lint1 = 0x360,
    lvt_error = 0x370,
    initial_count = 0x380,
    current_count = 0x390,
    divide = 0x3e0,
};

struct Lapic_test : ::testing::Test {
    Manual_clock clock;
    Timer_queue timers{clock};
    Bus bus;
    Fake_vcpu_control control;
    Apic_bus apics{control};
    Lapic bsp{bus, timers, apics, 0};
    Lapic ap{bus, timers, apics, 1};

    void write(Vcpu_id vcpu, u32 reg, u32 value) { bus.mmio_write(vcpu, page + reg, 4, value); }
    u32 read(Vcpu_id vcpu, u32 reg) { return static_cast<u32>(bus.mmio_read(vcpu, page + reg, 4)); }
    void enable(Vcpu_id vcpu) { write(vcpu, svr, 0x1ff); } // kvm-unit-tests enable_apic()
    void ipi(Vcpu_id from, u32 low, u8 destination = 0)
    {
        write(from, icr_high, u32{destination} << 24);
        write(from, icr_low, low);
    }
    u32 latched_esr(Vcpu_id vcpu)
    {
        write(vcpu, esr, 0);
        return read(vcpu, esr);
    }
    void expect_sound()
    {
        EXPECT_EQ(bsp.broken_invariant(), std::nullopt);
        EXPECT_EQ(ap.broken_invariant(), std::nullopt);
    }
};

TEST_F(Lapic_test, ResetStateAsAfterTheBios)
{
    EXPECT_EQ(read(0, id), 0u);
    EXPECT_EQ(read(1, id), 0x0100'0000u);
    EXPECT_EQ(read(1, ver), 0x0005'0014u);
    EXPECT_EQ(read(0, svr), 0xffu);
    EXPECT_EQ(read(0, dfr), 0xffff'ffffu);
    EXPECT_EQ(read(0, lvt_timer), 0x1'0000u);
    EXPECT_EQ(read(0, lvt_lint0), 0x700u); // virtual wire on the BSP only
    EXPECT_EQ(read(1, lvt_lint0), 0x1'0000u);
    EXPECT_EQ(bsp.apic_base(), 0xfee0'0900u);
    EXPECT_EQ(ap.apic_base(), 0xfee0'0800u);
    expect_sound();
}

TEST_F(Lapic_test, EachVcpuReachesOnlyItsOwnPage)
{
    write(0, tpr, 0x20);
    EXPECT_EQ(read(0, tpr), 0x20u);
    EXPECT_EQ(read(1, tpr), 0u);
    EXPECT_FALSE(bus.claims_mmio(2, page)); // no LAPIC for vCPU 2
}

TEST_F(Lapic_test, HighestClassAbovePprIsDelivered)
{
    enable(0);
    bsp.accept(0x40, false);
    EXPECT_TRUE(control.recalled(0));
    EXPECT_EQ(bsp.deliverable(), 0x40);
    EXPECT_EQ(read(0, irr0 + 0x20), 0x1u); // IRR bits 32–63, vector 0x40
    EXPECT_EQ(bsp.acknowledge(), 0x40);
    EXPECT_EQ(read(0, isr0 + 0x20), 0x1u);
    EXPECT_EQ(read(0, ppr), 0x40u);
    bsp.accept(0x45, false);
    EXPECT_EQ(bsp.deliverable(), std::nullopt); // same priority class as the one in service
    bsp.accept(0x51, false);
    EXPECT_EQ(bsp.acknowledge(), 0x51);
    write(0, eoi, 0); // clears 0x51, the highest in service
    EXPECT_TRUE(bsp.isr(0x40));
    EXPECT_FALSE(bsp.isr(0x51));
    write(0, eoi, 0);
    EXPECT_EQ(bsp.acknowledge(), 0x45);
    expect_sound();
}

TEST_F(Lapic_test, TprHoldsBackLowerClassesAndLoweringItRecalls)
{
    enable(0);
    write(0, tpr, 0x50);
    bsp.accept(0x50, false);
    EXPECT_EQ(bsp.deliverable(), std::nullopt);
    EXPECT_EQ(read(0, apr), 0x50u);
    control.recalls.clear();
    write(0, tpr, 0x40);
    EXPECT_EQ(bsp.deliverable(), 0x50);
    EXPECT_TRUE(control.recalled(0));
    bsp.set_tpr(0xff);
    EXPECT_EQ(bsp.deliverable(), std::nullopt);
}

TEST_F(Lapic_test, SoftwareDisabledHoldsInterruptsAndMasksLvts)
{
    bsp.accept(0x60, false);
    EXPECT_TRUE(bsp.irr(0x60));
    EXPECT_EQ(bsp.deliverable(), std::nullopt);
    write(0, lvt_timer, 0xec); // the mask cannot be cleared while disabled
    EXPECT_EQ(read(0, lvt_timer), 0x1'00ecu);
    enable(0);
    EXPECT_EQ(bsp.deliverable(), 0x60);
    write(0, lvt_timer, 0xec);
    EXPECT_EQ(read(0, lvt_timer), 0xecu);
    write(0, svr, 0xff); // disabling masks every entry
    EXPECT_EQ(read(0, lvt_timer), 0x1'00ecu);
    EXPECT_EQ(read(0, lvt_lint0), 0x1'0700u);
}

TEST_F(Lapic_test, IllegalVectorsAreErrorsWithAnErrorInterrupt)
{
    enable(0);
    write(0, lvt_error, 0xfe);
    bsp.accept(5, false);
    EXPECT_FALSE(bsp.irr(5));
    EXPECT_TRUE(bsp.irr(0xfe));
    ipi(0, 0x4003, 1); // fixed IPI with vector 3
    EXPECT_FALSE(ap.irr(3));
    EXPECT_EQ(read(0, esr), 0u); // nothing until a write latches the errors
    EXPECT_EQ(latched_esr(0), 0x60u);
    EXPECT_EQ(latched_esr(0), 0u);
    read(0, 0x040); // reserved
    EXPECT_EQ(latched_esr(0), 0x80u);
    write(0, lvt_error, 0x05); // an illegal error vector does not loop
    bsp.accept(1, false);
    EXPECT_EQ(latched_esr(0), 0x40u);
}

TEST_F(Lapic_test, FixedIpiInPhysicalMode)
{
    enable(1);
    ipi(0, 0x4041, 1);
    EXPECT_TRUE(ap.irr(0x41));
    EXPECT_FALSE(bsp.irr(0x41));
    EXPECT_TRUE(control.recalled(1));
    EXPECT_EQ(read(0, icr_low), 0x4041u); // delivery status idle
    EXPECT_EQ(read(0, icr_high), 0x0100'0000u);
    ipi(1, 0x4042, 0xff); // broadcast
    EXPECT_TRUE(bsp.irr(0x42));
    EXPECT_TRUE(ap.irr(0x42));
}

TEST_F(Lapic_test, LogicalDestinationsInFlatAndClusterModels)
{
    write(0, ldr, 0x0100'0000);
    write(1, ldr, 0x0200'0000);
    ipi(0, 0x4850, 0x03);
    EXPECT_TRUE(bsp.irr(0x50));
    EXPECT_TRUE(ap.irr(0x50));
    ipi(0, 0x4851, 0x02);
    EXPECT_FALSE(bsp.irr(0x51));
    EXPECT_TRUE(ap.irr(0x51));
    write(0, dfr, 0x0fff'ffff), write(1, dfr, 0x0fff'ffff); // cluster model
    write(0, ldr, 0x1100'0000), write(1, ldr, 0x2100'0000);
    EXPECT_EQ(read(1, dfr), 0x0fff'ffffu);
    ipi(0, 0x4852, 0x21);
    EXPECT_FALSE(bsp.irr(0x52));
    EXPECT_TRUE(ap.irr(0x52));
}

TEST_F(Lapic_test, Shorthands)
{
    ipi(0, 0x44060); // self
    EXPECT_TRUE(bsp.irr(0x60));
    EXPECT_FALSE(ap.irr(0x60));
    ipi(0, 0xc4061); // all but self
    EXPECT_FALSE(bsp.irr(0x61));
    EXPECT_TRUE(ap.irr(0x61));
    ipi(1, 0x84062); // all including self
    EXPECT_TRUE(bsp.irr(0x62));
    EXPECT_TRUE(ap.irr(0x62));
    ipi(0, 0x44500); // INIT to self: not a valid combination, dropped
    EXPECT_TRUE(control.inits.empty());
}

TEST_F(Lapic_test, InitSipiSipiStartsTheApThroughVcpuControl)
{
    enable(1);
    write(1, tpr, 0x30);
    ap.accept(0x70, false);
    ipi(0, 0x000c'4500); // INIT assert to all but self, as kvm-unit-tests and Linux do
    ipi(0, 0x000c'8500); // INIT de-assert: nothing
    ipi(0, 0x000c'4600 | 0x9f);
    ipi(0, 0x000c'4600 | 0x9f);
    EXPECT_EQ(control.inits, (std::vector<Vcpu_id>{1}));
    using Startup = Fake_vcpu_control::Startup;
    EXPECT_EQ(control.startups, (std::vector<Startup>{{1, 0x9f}, {1, 0x9f}}));
    EXPECT_EQ(read(1, tpr), 0u); // INIT reset the AP's LAPIC...
    EXPECT_FALSE(ap.irr(0x70));
    EXPECT_EQ(read(1, id), 0x0100'0000u); // ...but kept its ID
    EXPECT_EQ(read(1, svr), 0xffu);
    expect_sound();
}

TEST_F(Lapic_test, NmiIpiAndLint1Nmi)
{
    ipi(0, 0x4400, 1);
    EXPECT_TRUE(ap.nmi_pending());
    EXPECT_TRUE(ap.take_nmi());
    EXPECT_FALSE(ap.take_nmi());
    enable(0);
    write(0, lvt_lint1, 0x400);
    bsp.set_lint(1, true);
    EXPECT_TRUE(bsp.take_nmi());
}

TEST_F(Lapic_test, LowestPriorityGoesToTheLowestPpr)
{
    write(0, tpr, 0x40);
    write(1, tpr, 0x20);
    ipi(0, 0x4953, 0x03 /* logical, both */);
    write(0, ldr, 0x0100'0000), write(1, ldr, 0x0200'0000);
    ipi(0, 0x4954, 0x03);
    EXPECT_TRUE(ap.irr(0x54));
    EXPECT_FALSE(bsp.irr(0x54));
}

TEST_F(Lapic_test, LevelTriggeredIpiSetsTmrAndItsEoiIsBroadcast)
{
    enable(1);
    ipi(0, 0xc071, 1);
    EXPECT_TRUE(ap.tmr(0x71));
    EXPECT_EQ(ap.acknowledge(), 0x71);
    write(1, eoi, 0);
    EXPECT_EQ(apics.level_eois(), 1u);
}

TEST_F(Lapic_test, OneShotTimerCountsDownAndFiresOnce)
{
    enable(0);
    write(0, divide, 0x3);         // divide by 16: 62.5 MHz at the 1 GHz bus
    write(0, lvt_timer, 0xec);     // one-shot
    write(0, initial_count, 1000); // 16 µs
    clock.advance_to(8000);
    EXPECT_EQ(read(0, current_count), 500u);
    run_until(clock, timers, 15'999);
    EXPECT_FALSE(bsp.irr(0xec));
    run_until(clock, timers, 16'000);
    EXPECT_TRUE(bsp.irr(0xec));
    EXPECT_EQ(read(0, current_count), 0u);
    EXPECT_EQ(bsp.acknowledge(), 0xec);
    write(0, eoi, 0);
    run_until(clock, timers, 1'000'000);
    EXPECT_FALSE(bsp.irr(0xec));
    EXPECT_EQ(timers.armed_count(), 0u);
    expect_sound();
}

TEST_F(Lapic_test, PeriodicTimerInterruptsEveryPeriod)
{
    enable(0);
    write(0, divide, 0xb); // divide by 1
    write(0, lvt_timer, 0x2'00ec);
    write(0, initial_count, 1'000'000); // 1 ms
    std::vector<Nanoseconds> at;
    while (at.size() < 10) {
        run_until(clock, timers, timers.next_deadline());
        if (bsp.acknowledge() != 0xec) continue;
        at.push_back(clock.now());
        write(0, eoi, 0);
    }
    for (std::size_t k = 0; k < at.size(); ++k) EXPECT_EQ(at[k], (k + 1) * 1'000'000) << k;
    clock.advance_by(250'000);
    EXPECT_EQ(read(0, current_count), 750'000u);
}

TEST_F(Lapic_test, AMaskedTimerCountsOnWithoutArmingAndUnmaskingArms)
{
    enable(0);
    write(0, divide, 0xb);
    write(0, lvt_timer, 0x3'00ec); // periodic, masked
    write(0, initial_count, 1000);
    EXPECT_EQ(timers.armed_count(), 0u);
    clock.advance_to(2400);
    EXPECT_EQ(read(0, current_count), 600u);
    write(0, lvt_timer, 0x2'00ec);
    EXPECT_EQ(timers.next_deadline(), 3000u);
}

TEST_F(Lapic_test, ADivideChangeGoesOnFromTheCurrentCount)
{
    enable(0);
    write(0, divide, 0xb);
    write(0, lvt_timer, 0xec);
    write(0, initial_count, 1000);
    clock.advance_to(400);
    write(0, divide, 0x0); // divide by 2: the remaining 600 ticks take 1200 ns
    EXPECT_EQ(read(0, current_count), 600u);
    EXPECT_EQ(timers.next_deadline(), 1600u);
}

TEST_F(Lapic_test, PeriodicTimerIsClampedToTheMinimumPeriod)
{
    enable(0);
    write(0, divide, 0xb);
    write(0, lvt_timer, 0x2'00ec);
    write(0, initial_count, 10); // 10 ns asked for
    unsigned interrupts = 0;
    while (clock.now() < 1'000'000) {
        run_until(clock, timers, timers.next_deadline());
        if (bsp.acknowledge()) ++interrupts, write(0, eoi, 0);
    }
    EXPECT_LE(interrupts, 11u);
    EXPECT_GE(interrupts, 9u);
}

TEST_F(Lapic_test, InitialCountZeroStopsTheTimer)
{
    enable(0);
    write(0, lvt_timer, 0x2'00ec);
    write(0, initial_count, 100);
    write(0, initial_count, 0);
    EXPECT_EQ(timers.armed_count(), 0u);
    EXPECT_EQ(read(0, current_count), 0u);
}

TEST_F(Lapic_test, TheBaseMsrDisablesAndReenables)
{
    enable(1);
    ap.accept(0x80, false);
    EXPECT_TRUE(ap.set_apic_base(0xfee0'0000));
    EXPECT_FALSE(ap.hardware_enabled());
    EXPECT_EQ(read(1, id), 0xffff'ffffu);
    ipi(0, 0x4081, 1);
    EXPECT_FALSE(ap.irr(0x81));
    EXPECT_TRUE(ap.set_apic_base(0xfee0'0800));
    EXPECT_EQ(read(1, svr), 0xffu); // back as after power-up
    EXPECT_FALSE(ap.irr(0x80));
    EXPECT_FALSE(ap.set_apic_base(0xfee0'0c00)); // x2APIC
    EXPECT_FALSE(ap.set_apic_base(0xfed0'0800)); // another base
    EXPECT_FALSE(ap.set_apic_base(0xfee0'0900)); // the AP is not the BSP
    EXPECT_TRUE(bsp.set_apic_base(0xfee0'0900));
}

TEST_F(Lapic_test, PartialAccesses)
{
    write(1, ldr, 0xab00'0000);
    EXPECT_EQ(bus.mmio_read(1, page + ldr + 3, 1), 0xabu);
    EXPECT_EQ(bus.mmio_read(1, page + ldr + 4, 4), 0u); // the unused part of the slot
    bus.mmio_write(1, page + tpr, 2, 0x30);             // not a whole register: ignored
    EXPECT_EQ(read(1, tpr), 0u);
    EXPECT_EQ(bus.mmio_read(1, page + id, 8), 0x0100'0000u); // 8 bytes come as single bytes
}

TEST_F(Lapic_test, StateDumpShowsPrioritiesAndVectorSets)
{
    using vmm_test::has_fields;
    using vmm_test::state_field;
    enable(0), enable(1);
    write(0, tpr, 0x20);
    ipi(0, 0xc071, 1);        // level-triggered
    ipi(0, 0x4000 | 0x51, 1); // edge
    EXPECT_EQ(ap.acknowledge(), 0x71);
    std::string const bsp_state = bsp.describe_state();
    EXPECT_TRUE(has_fields(
        bsp_state, "registers",
        {{"TPR", "0x20"}, {"PPR", "0x20"}, {"SVR", "0x1ff"}, {"ICR", "0x0100000000004051"}}));
    EXPECT_EQ(state_field(bsp_state, "lvt", "LINT0"), "0x00700");
    EXPECT_EQ(state_field(bsp_state, "vectors", "IRR"), "-");
    std::string const ap_state = ap.describe_state();
    EXPECT_TRUE(has_fields(ap_state, "registers", {{"ID", "0x01"}, {"PPR", "0x70"}}));
    EXPECT_TRUE(
        has_fields(ap_state, "vectors", {{"ISR", "0x71"}, {"IRR", "0x51"}, {"TMR", "0x71"}}));
    EXPECT_EQ(state_field(ap_state, "lvt", "LINT0"), "0x10000");
}

TEST_F(Lapic_test, StateDumpShowsTheTimersModeCountsAndDeadline)
{
    using vmm_test::has_fields;
    using vmm_test::state_field;
    std::string state = bsp.describe_state();
    EXPECT_TRUE(has_fields(state, "timer", {{"masked", "1"}, {"deadline", "never"}}));
    enable(0);
    write(0, divide, 0x3);         // divide by 16
    write(0, lvt_timer, 0x2'00ec); // periodic
    write(0, initial_count, 1000); // 16 µs a period
    clock.advance_to(8000);
    state = bsp.describe_state();
    EXPECT_TRUE(has_fields(state, "timer",
                           {{"mode", "periodic"},
                            {"vector", "0xec"},
                            {"masked", "0"},
                            {"initial", "1000"},
                            {"current", "500"},
                            {"divide", "16"},
                            {"deadline", "16000ns"}}));
    EXPECT_EQ(state_field(state, "lvt", "timer"), "0x200ec");
}

} // namespace
