// The 8259A pair on the bus alone, programmed the way Linux and SeaBIOS program it.
#include "vmm/devices/pic8259.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "vmm_fixture.hpp"

namespace {

using namespace vmm;

// The master's INT output as the vCPU side would see it.
struct Intr_pin : Irq_sink {
    std::vector<bool> changes;
    void irq_level(unsigned, bool level) override { changes.push_back(level); }
};

struct Pic_test : ::testing::Test {
    Bus bus;
    Intr_pin intr;
    Pic_pair pic{bus, intr};

    void out(u16 port, u8 value) { bus.io_out(port, 1, value); }
    u8 in(u16 port) { return static_cast<u8>(bus.io_in(port, 1)); }
    void raise(unsigned irq) { bus.irq_lines().set(irq, true); }
    void lower(unsigned irq) { bus.irq_lines().set(irq, false); }
    void pulse(unsigned irq) { raise(irq), lower(irq); }

    // arch/x86/kernel/i8259.c init_8259A: vectors 0x30/0x38, cascade on IR2, 8086 mode.
    void linux_init(bool auto_eoi = false)
    {
        out(0x21, 0xff), out(0xa1, 0xff);
        out(0x20, 0x11), out(0x21, 0x30), out(0x21, 0x04), out(0x21, auto_eoi ? 0x03 : 0x01);
        out(0xa0, 0x11), out(0xa1, 0x38), out(0xa1, 0x02), out(0xa1, 0x01);
        out(0x21, 0x00), out(0xa1, 0x00);
    }
    u8 read_isr(u16 command_port)
    {
        out(command_port, 0x0b);
        return in(command_port);
    }
    u8 read_irr(u16 command_port)
    {
        out(command_port, 0x0a);
        return in(command_port);
    }
    void eoi_master() { out(0x20, 0x20); }
    void eoi_slave() { out(0xa0, 0x20); }
    void expect_sound() { EXPECT_EQ(pic.broken_invariant(), std::nullopt); }
};

TEST_F(Pic_test, LinuxInitialisationSetsVectorsAndLeavesNothingPending)
{
    linux_init();
    EXPECT_EQ(pic.vector_base(0), 0x30);
    EXPECT_EQ(pic.vector_base(1), 0x38);
    EXPECT_FALSE(pic.initialising(0));
    EXPECT_FALSE(pic.initialising(1));
    EXPECT_EQ(in(0x21), 0x00);
    EXPECT_FALSE(pic.intr());
    expect_sound();
}

TEST_F(Pic_test, SeabiosInitialisationWithoutIcw4WaitsOnlyForIcw3)
{
    out(0x20, 0x10); // ICW1 without IC4: ICW2 and ICW3 follow, no ICW4
    out(0x21, 0x08);
    EXPECT_TRUE(pic.initialising(0));
    out(0x21, 0x04);
    EXPECT_FALSE(pic.initialising(0));
    out(0x21, 0xfe); // now OCW1
    EXPECT_EQ(pic.imr(0), 0xfe);
    EXPECT_EQ(pic.vector_base(0), 0x08);
}

TEST_F(Pic_test, SingleModeSkipsIcw3)
{
    out(0x20, 0x13);
    out(0x21, 0x20);
    out(0x21, 0x01); // ICW4 straight after ICW2
    EXPECT_FALSE(pic.initialising(0));
    EXPECT_EQ(pic.imr(0), 0x00);
}

TEST_F(Pic_test, AnEdgeIsDeliveredOnceAndBlocksItselfUntilEoi)
{
    linux_init();
    pulse(0);
    EXPECT_TRUE(pic.intr());
    EXPECT_EQ(pic.acknowledge(), 0x30);
    EXPECT_FALSE(pic.intr());
    EXPECT_EQ(read_isr(0x20), 0x01);
    EXPECT_EQ(read_irr(0x20), 0x00);
    pulse(0); // latched, but IR0 is in service
    EXPECT_FALSE(pic.intr());
    eoi_master();
    EXPECT_TRUE(pic.intr());
    EXPECT_EQ(pic.acknowledge(), 0x30);
    EXPECT_EQ(intr.changes, (std::vector<bool>{true, false, true, false}));
    expect_sound();
}

TEST_F(Pic_test, HigherPrioritiesNestAndLowerOnesWait)
{
    linux_init();
    pulse(3);
    pulse(1);
    EXPECT_EQ(pic.acknowledge(), 0x31);
    EXPECT_FALSE(pic.intr()); // IRQ 3 waits behind IRQ 1
    pulse(0);
    EXPECT_TRUE(pic.intr()); // IRQ 0 outranks IRQ 1
    EXPECT_EQ(pic.acknowledge(), 0x30);
    EXPECT_EQ(pic.isr(0), 0x03);
    eoi_master(); // non-specific: the highest in service, IRQ 0
    EXPECT_EQ(pic.isr(0), 0x02);
    EXPECT_FALSE(pic.intr());
    eoi_master();
    EXPECT_EQ(pic.acknowledge(), 0x33);
    expect_sound();
}

TEST_F(Pic_test, AMaskedRequestIsLatchedAndDeliveredWhenUnmasked)
{
    linux_init();
    out(0x21, 0x10);
    pulse(4);
    EXPECT_FALSE(pic.intr());
    EXPECT_EQ(read_irr(0x20), 0x10);
    out(0x21, 0x00);
    EXPECT_TRUE(pic.intr());
    EXPECT_EQ(pic.acknowledge(), 0x34);
}

TEST_F(Pic_test, ALineHeldHighNeedsANewEdge)
{
    linux_init();
    raise(4);
    EXPECT_EQ(pic.acknowledge(), 0x34);
    eoi_master();
    EXPECT_FALSE(pic.intr());
    lower(4);
    raise(4);
    EXPECT_TRUE(pic.intr());
}

TEST_F(Pic_test, SlaveRequestsArriveThroughTheCascade)
{
    linux_init();
    pulse(12);
    EXPECT_EQ(read_irr(0x20), 0x04);
    EXPECT_TRUE(pic.intr());
    EXPECT_EQ(pic.acknowledge(), 0x3c);
    EXPECT_EQ(pic.isr(0), 0x04);
    EXPECT_EQ(pic.isr(1), 0x10);
    pulse(8);
    EXPECT_FALSE(pic.intr()); // IR2 is in service on the master (not special fully nested)
    eoi_slave();
    eoi_master();
    EXPECT_TRUE(pic.intr());
    EXPECT_EQ(pic.acknowledge(), 0x38);
    expect_sound();
}

TEST_F(Pic_test, SpecialFullyNestedModeLetsTheSlaveNest)
{
    out(0x20, 0x11), out(0x21, 0x30), out(0x21, 0x04), out(0x21, 0x11); // ICW4 with SFNM
    out(0xa0, 0x11), out(0xa1, 0x38), out(0xa1, 0x02), out(0xa1, 0x01);
    out(0x21, 0), out(0xa1, 0);
    pulse(12);
    EXPECT_EQ(pic.acknowledge(), 0x3c);
    pulse(8);
    EXPECT_TRUE(pic.intr());
    EXPECT_EQ(pic.acknowledge(), 0x38);
    EXPECT_EQ(pic.isr(1), 0x11);
}

TEST_F(Pic_test, LevelTriggeredLinesFollowTheLine)
{
    linux_init();
    out(0x4d0, 0x20); // IRQ 5 and IRQ 10 level-triggered
    out(0x4d1, 0x04);
    raise(5);
    EXPECT_EQ(pic.acknowledge(), 0x35);
    eoi_master();
    EXPECT_TRUE(pic.intr()); // still asserted: interrupts again
    lower(5);
    EXPECT_FALSE(pic.intr()); // deasserted before INTA: gone
    EXPECT_EQ(pic.irr(0), 0x00);
    raise(10);
    lower(10); // gone on the slave, but the master latched IR2's edge: spurious IRQ 15
    EXPECT_EQ(pic.irr(1), 0x00);
    EXPECT_EQ(pic.acknowledge(), 0x3f);
    expect_sound();
}

TEST_F(Pic_test, TheElcrKeepsTheIsaEdgeLinesAtEdge)
{
    out(0x4d0, 0xff);
    out(0x4d1, 0xff);
    EXPECT_EQ(in(0x4d0), 0xf8);
    EXPECT_EQ(in(0x4d1), 0xde);
}

TEST_F(Pic_test, InitialisationNeedsNewEdgesForLinesAlreadyHigh)
{
    linux_init();
    raise(5);
    linux_init();
    EXPECT_EQ(pic.irr(0), 0x00);
    EXPECT_FALSE(pic.intr());
}

TEST_F(Pic_test, AVanishedRequestGivesSpuriousIrq7WithoutService)
{
    linux_init();
    EXPECT_EQ(pic.acknowledge(), 0x37);
    EXPECT_EQ(pic.isr(0), 0x00);
}

TEST_F(Pic_test, ASlaveRequestMaskedAfterItReachedTheMasterIsSpuriousIrq15)
{
    linux_init();
    pulse(10);
    out(0xa1, 0x04); // masked on the slave while the master holds IR2
    EXPECT_TRUE(pic.intr());
    EXPECT_EQ(pic.acknowledge(), 0x3f);
    EXPECT_EQ(pic.isr(1), 0x00);
    EXPECT_EQ(pic.isr(0), 0x04); // the master still wants its EOI
    expect_sound();
}

TEST_F(Pic_test, AutoEoiLeavesNothingInService)
{
    linux_init(true);
    pulse(1);
    pulse(6);
    EXPECT_EQ(pic.acknowledge(), 0x31);
    EXPECT_EQ(pic.isr(0), 0x00);
    EXPECT_TRUE(pic.intr());
    EXPECT_EQ(pic.acknowledge(), 0x36);
}

TEST_F(Pic_test, TwoSlaveRequestsInAutoEoiModeAreBothDelivered)
{
    out(0x20, 0x11), out(0x21, 0x30), out(0x21, 0x04), out(0x21, 0x03);
    out(0xa0, 0x11), out(0xa1, 0x38), out(0xa1, 0x02), out(0xa1, 0x03);
    out(0x21, 0), out(0xa1, 0);
    pulse(9);
    pulse(11);
    EXPECT_EQ(pic.acknowledge(), 0x39);
    EXPECT_TRUE(pic.intr());
    EXPECT_EQ(pic.acknowledge(), 0x3b);
    EXPECT_FALSE(pic.intr());
}

TEST_F(Pic_test, SpecificEoiClearsOnlyItsLevel)
{
    linux_init();
    pulse(5);
    EXPECT_EQ(pic.acknowledge(), 0x35);
    pulse(3);
    EXPECT_EQ(pic.acknowledge(), 0x33);
    out(0x20, 0x65); // specific EOI for IR5
    EXPECT_EQ(pic.isr(0), 0x08);
}

TEST_F(Pic_test, SetPriorityAndRotationMoveTheLowestLevel)
{
    linux_init();
    out(0x20, 0xc3); // IR3 lowest: IR4 is now the highest
    pulse(0);
    pulse(4);
    EXPECT_EQ(pic.acknowledge(), 0x34);
    out(0x20, 0xa0); // rotate on non-specific EOI: IR4 becomes the lowest
    EXPECT_EQ(pic.acknowledge(), 0x30);
    pulse(4);
    pulse(5);
    out(0x20, 0x20);
    EXPECT_EQ(pic.acknowledge(), 0x35); // IR5 outranks IR4 after the rotation
}

TEST_F(Pic_test, RotationInAutoEoiModeTakesTurns)
{
    linux_init(true);
    out(0x20, 0x80); // rotate in automatic EOI mode
    pulse(1);
    EXPECT_EQ(pic.acknowledge(), 0x31); // IR1 becomes the lowest
    pulse(1);
    pulse(3);
    EXPECT_EQ(pic.acknowledge(), 0x33);
    EXPECT_EQ(pic.acknowledge(), 0x31);
}

TEST_F(Pic_test, SpecialMaskModeLetsLowerLevelsThrough)
{
    linux_init();
    pulse(1);
    EXPECT_EQ(pic.acknowledge(), 0x31);
    pulse(5);
    EXPECT_FALSE(pic.intr());
    out(0x21, 0x02); // mask the level in service
    out(0x20, 0x68); // set special mask mode
    EXPECT_TRUE(pic.intr());
    EXPECT_EQ(pic.acknowledge(), 0x35);
    out(0x20, 0x48); // reset special mask mode
    pulse(6);
    EXPECT_FALSE(pic.intr());
}

TEST_F(Pic_test, PollCommandAcknowledgesByReading)
{
    linux_init();
    pulse(6);
    out(0x20, 0x0c);
    EXPECT_EQ(in(0x20), 0x86);
    EXPECT_EQ(pic.isr(0), 0x40);
    out(0x20, 0x0c);
    EXPECT_EQ(in(0x20), 0x00); // nothing left to poll
    pulse(7);
    EXPECT_EQ(in(0x20), 0x80); // the poll flag lasted one read: this is IRR again
}

TEST_F(Pic_test, WiderAccessesReachBothPortsAsBytes)
{
    linux_init();
    bus.io_out(0x20, 2, 0xff0b); // OCW3 "read ISR" to 0x20, IMR 0xff to 0x21
    EXPECT_EQ(pic.imr(0), 0xff);
    EXPECT_EQ(bus.io_in(0x20, 2), 0xff00u);
}

// The dump names each chip's registers, vector base and modes on its own line.
TEST_F(Pic_test, StateDumpOfLinuxSetUpReadsAsDocumented)
{
    linux_init(true);
    EXPECT_EQ(pic.describe_state(),
              "master: IRR=0x00 ISR=0x00 IMR=0x00 ELCR=0x00 pins=0x00 base=0x30 lowest=7 "
              "ICW3=0x04 next=OCW1 read=IRR modes=icw4,aeoi\n"
              "slave: IRR=0x00 ISR=0x00 IMR=0x00 ELCR=0x00 pins=0x00 base=0x38 lowest=7 "
              "ICW3=0x02 next=OCW1 read=IRR modes=icw4\n"
              "output: INTR=0\n");
}

TEST_F(Pic_test, StateDumpFollowsMasksRequestsServiceAndInitialisation)
{
    using vmm_test::has_fields;
    using vmm_test::state_field;
    linux_init();
    out(0x21, 0xfb); // only the cascade
    raise(8);
    std::string state = pic.describe_state();
    EXPECT_TRUE(has_fields(state, "master", {{"IMR", "0xfb"}, {"IRR", "0x04"}}));
    EXPECT_EQ(state_field(state, "slave", "IRR"), "0x01");
    EXPECT_EQ(state_field(state, "output", "INTR"), "1");
    EXPECT_EQ(pic.acknowledge(), 0x38);
    state = pic.describe_state();
    EXPECT_EQ(state_field(state, "master", "ISR"), "0x04");
    EXPECT_EQ(state_field(state, "slave", "ISR"), "0x01");
    EXPECT_EQ(state_field(state, "output", "INTR"), "0");
    out(0xa0, 0x0b); // OCW3: read ISR
    out(0x20, 0x11); // ICW1 again: the master waits for ICW2
    state = pic.describe_state();
    EXPECT_EQ(state_field(state, "slave", "read"), "ISR");
    EXPECT_TRUE(has_fields(state, "master", {{"next", "ICW2"}, {"ISR", "0x00"}}));
    expect_sound();
}

} // namespace
