// How interrupts reach a vCPU: the PIC through the BSP's LINT0 (virtual wire) or directly, the
// LAPIC's own vectors, NMIs, and the recalls the vCPU side hears.
#include "vmm/interrupt_router.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "vmm_fixture.hpp"

namespace {

using namespace vmm;
using vmm_test::Fake_vcpu_control;

struct Router_test : ::testing::Test {
    Manual_clock clock;
    Timer_queue timers{clock};
    Bus bus;
    Fake_vcpu_control control;
    Apic_bus apics{control};
    Interrupt_router router{apics, control};
    Pic_pair pic{bus, router};
    std::unique_ptr<Lapic> bsp, ap;

    explicit Router_test(bool with_lapics = true)
    {
        router.connect_pic(pic);
        if (with_lapics) {
            bsp = std::make_unique<Lapic>(bus, timers, apics, 0);
            ap = std::make_unique<Lapic>(bus, timers, apics, 1);
        }
        u8 const init[] = {0x11, 0x30, 0x04, 0x01};
        for (u8 i = 0; i < 4; ++i) bus.io_out(i == 0 ? 0x20 : 0x21, 1, init[i]);
        u8 const slave[] = {0x11, 0x38, 0x02, 0x01};
        for (u8 i = 0; i < 4; ++i) bus.io_out(i == 0 ? 0xa0 : 0xa1, 1, slave[i]);
    }
    void lapic_write(Vcpu_id vcpu, u32 reg, u32 value)
    {
        bus.mmio_write(vcpu, Lapic::default_base + reg, 4, value);
    }
    void pulse(unsigned irq) { bus.irq_lines().set(irq, true), bus.irq_lines().set(irq, false); }
};

TEST_F(Router_test, ThePicReachesTheBspThroughVirtualWire)
{
    pulse(0);
    EXPECT_EQ(control.recalls, (std::vector<Vcpu_id>{0}));
    EXPECT_TRUE(router.interrupt_pending(0));
    EXPECT_FALSE(router.interrupt_pending(1)); // never an AP
    EXPECT_EQ(router.acknowledge(1), std::nullopt);
    EXPECT_EQ(router.acknowledge(0), 0x30);
    EXPECT_FALSE(router.interrupt_pending(0));
    EXPECT_EQ(router.acknowledge(0), std::nullopt);
    EXPECT_EQ(pic.isr(0), 0x01);
}

TEST_F(Router_test, AMaskedLint0KeepsThePicOut)
{
    lapic_write(0, 0xf0, 0x1ff);
    lapic_write(0, 0x350, 0x1'0700);
    pulse(1);
    EXPECT_TRUE(pic.intr());
    EXPECT_FALSE(router.interrupt_pending(0));
    lapic_write(0, 0x350, 0x700);
    EXPECT_TRUE(router.interrupt_pending(0));
    EXPECT_TRUE(control.recalled(0)); // unmasking with INTR high recalls
}

TEST_F(Router_test, Lint0InFixedModeTurnsThePicEdgeIntoALapicVector)
{
    lapic_write(0, 0xf0, 0x1ff);
    lapic_write(0, 0x350, 0x0080);
    pulse(3);
    EXPECT_TRUE(bsp->irr(0x80));
    EXPECT_EQ(router.acknowledge(0), 0x80);
}

TEST_F(Router_test, LapicVectorsComeBeforeThePics)
{
    lapic_write(0, 0xf0, 0x1ff);
    bsp->accept(0x90, false);
    pulse(4);
    EXPECT_EQ(router.acknowledge(0), 0x90);
    EXPECT_EQ(router.acknowledge(0), 0x34);
}

TEST_F(Router_test, AHardwareDisabledLapicLetsThePicThroughDirectly)
{
    lapic_write(0, 0x350, 0x1'0700); // LINT0 masked: would block the PIC if the LAPIC were on
    ASSERT_TRUE(bsp->set_apic_base(0xfee0'0100));
    control.recalls.clear();
    pulse(0);
    EXPECT_EQ(control.recalls, (std::vector<Vcpu_id>{0}));
    EXPECT_EQ(router.acknowledge(0), 0x30);
}

TEST_F(Router_test, NmisComeThroughTheRouter)
{
    ap->accept_nmi();
    EXPECT_FALSE(router.take_nmi(0));
    EXPECT_TRUE(router.take_nmi(1));
    EXPECT_FALSE(router.take_nmi(1));
}

struct Router_without_lapics : Router_test {
    Router_without_lapics() : Router_test(false) {}
};

TEST_F(Router_without_lapics, ThePicGoesStraightToTheBsp)
{
    pulse(5);
    EXPECT_TRUE(control.recalled(0));
    EXPECT_TRUE(router.interrupt_pending(0));
    EXPECT_EQ(router.acknowledge(0), 0x35);
    EXPECT_FALSE(router.take_nmi(0));
}

TEST_F(Router_test, StateDumpShowsThePicsPathToTheBspAndWhatWaits)
{
    using vmm_test::has_fields;
    using vmm_test::state_field;
    pulse(0);
    std::string state = router.describe_state(2);
    EXPECT_TRUE(
        has_fields(state, "pic", {{"path", "lint0-extint"}, {"INTR", "1"}, {"reaches-bsp", "1"}}));
    EXPECT_EQ(state_field(state, "vcpu0", "interrupt-pending"), "1");
    EXPECT_EQ(state_field(state, "vcpu1", "interrupt-pending"), "0");
    lapic_write(0, 0xf0, 0x1ff);
    lapic_write(0, 0x350, 0x1'0700); // LINT0 masked
    lapic_write(1, 0xf0, 0x1ff);
    lapic_write(0, 0x310, 0x0100'0000);
    lapic_write(0, 0x300, 0x4400); // NMI to vCPU 1
    state = router.describe_state(2);
    EXPECT_TRUE(has_fields(state, "pic", {{"path", "blocked-at-lint0"}, {"reaches-bsp", "0"}}));
    EXPECT_EQ(state_field(state, "vcpu0", "interrupt-pending"), "0");
    EXPECT_EQ(state_field(state, "vcpu1", "nmi-pending"), "1");
}

TEST_F(Router_without_lapics, StateDumpShowsTheDirectPath)
{
    EXPECT_EQ(vmm_test::state_field(router.describe_state(1), "pic", "path"), "direct");
}

} // namespace
