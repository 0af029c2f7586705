// The small PC devices on the bus alone: port 0x80, the debug-exit port, port 0x92 and the
// i8042, with a fake Machine_control hearing exits and resets.
#include "vmm/devices/debug_exit.hpp"
#include "vmm/devices/i8042.hpp"
#include "vmm/devices/port80.hpp"
#include "vmm/devices/port92.hpp"

#include <gtest/gtest.h>

#include "vmm_fixture.hpp"

namespace {

using namespace vmm;
using vmm_test::Fake_machine_control;

struct Glue_test : ::testing::Test {
    Bus bus;
    Fake_machine_control machine;

    void out(u16 port, u8 value) { bus.io_out(port, 1, value); }
    u8 in(u16 port) { return static_cast<u8>(bus.io_in(port, 1)); }
};

TEST_F(Glue_test, Port80KeepsTheLastPostCode)
{
    Port80 post{bus};
    out(0x80, 0x55);
    out(0x80, 0xaa);
    EXPECT_EQ(post.last_code(), 0xaa);
    EXPECT_EQ(post.writes(), 2u);
    EXPECT_EQ(in(0x80), 0xff);
    EXPECT_EQ(bus.stats().unclaimed_writes, 0u);
}

TEST_F(Glue_test, DebugExitEndsTheRunWithTwiceTheValuePlusOne)
{
    Debug_exit exit_port{bus, machine};
    bus.io_out(0xf4, 4, 0); // kvm-unit-tests exit(0): a pass
    bus.io_out(0xf4, 1, 1);
    bus.io_out(0xf4, 2, 38); // 77: skipped
    bus.io_out(0xf4, 4, 0xffff'ffff);
    bus.io_out(0xf7, 1, 2); // anywhere in its four ports
    EXPECT_EQ(machine.exits, (std::vector<u64>{1, 3, 77, 0x1'ffff'ffff, 5}));
    EXPECT_EQ(bus.io_in(0xf4, 4), 0u);
}

TEST_F(Glue_test, Port92ResetsOnARisingBit0AndKeepsA20)
{
    Port92 port{bus, machine};
    EXPECT_EQ(in(0x92), 0x02);
    EXPECT_TRUE(port.a20());
    out(0x92, 0x00);
    EXPECT_FALSE(port.a20());
    out(0x92, 0x03);
    out(0x92, 0x03); // still high: no second reset
    EXPECT_EQ(machine.resets, (std::vector<Reset_source>{Reset_source::port_92}));
    EXPECT_EQ(in(0x92), 0x03);
}

struct I8042_test : Glue_test {
    I8042 kbc{bus, machine};
    bool irq1() const { return bus.irq_lines().level(1); }
};

TEST_F(I8042_test, RebootCommandPulsesReset)
{
    out(0x64, 0xfe); // Linux reboot=k, kvm-unit-tests, every BIOS
    EXPECT_EQ(machine.resets, (std::vector<Reset_source>{Reset_source::keyboard_controller}));
    out(0x64, 0xff); // pulses nothing
    EXPECT_EQ(machine.resets.size(), 1u);
}

TEST_F(I8042_test, SelfTestAndCommandByteAsLinuxProbes)
{
    EXPECT_EQ(in(0x64) & 0x01, 0);
    out(0x64, 0xaa);
    EXPECT_EQ(in(0x64) & 0x05, 0x05); // output full, system flag
    EXPECT_TRUE(irq1());
    EXPECT_EQ(in(0x60), 0x55);
    EXPECT_FALSE(irq1());
    out(0x64, 0x20);
    u8 const ctr = in(0x60);
    out(0x64, 0x60);
    out(0x60, static_cast<u8>(ctr & ~0x03)); // interrupts off
    EXPECT_EQ(kbc.command_byte(), ctr & ~0x03);
    out(0x64, 0xab);
    EXPECT_FALSE(irq1()); // the byte is there but the interrupt is off
    EXPECT_EQ(in(0x64) & 0x09, 0x09);
    EXPECT_EQ(in(0x60), 0x00);
}

TEST_F(I8042_test, OutputPortCarriesResetAndA20)
{
    out(0x64, 0xd0);
    EXPECT_EQ(in(0x60), 0x03);
    out(0x64, 0xd1);
    out(0x60, 0x01); // A20 off, not in reset
    EXPECT_FALSE(kbc.a20());
    EXPECT_TRUE(machine.resets.empty());
    out(0x64, 0xdf);
    EXPECT_TRUE(kbc.a20());
    out(0x64, 0xd1);
    out(0x60, 0x02); // reset line low
    EXPECT_EQ(machine.resets.size(), 1u);
}

TEST_F(I8042_test, WritesToTheBuffersComeBackAsDeviceBytes)
{
    out(0x64, 0xd2);
    out(0x60, 0x1c);
    EXPECT_TRUE(irq1());
    EXPECT_EQ(in(0x60), 0x1c);
    out(0x64, 0xd3);
    out(0x60, 0x08);
    EXPECT_EQ(in(0x64) & 0x21, 0x21); // aux output full
    EXPECT_TRUE(bus.irq_lines().level(12));
    EXPECT_EQ(in(0x60), 0x08);
    out(0x60, 0xf2); // to the keyboard, which is not there
    EXPECT_EQ(in(0x64) & 0x01, 0);
}

TEST_F(Glue_test, StateDumpsOfPort80AndPort92)
{
    Port80 post{bus};
    Port92 port{bus, machine};
    out(0x80, 0x55), out(0x80, 0xaa);
    EXPECT_EQ(post.describe_state(), "post: last-code=0xaa writes=2\n");
    EXPECT_EQ(port.describe_state(), "control-a: value=0x02 a20=1\n");
    out(0x92, 0x00);
    EXPECT_EQ(port.describe_state(), "control-a: value=0x00 a20=0\n");
}

TEST_F(I8042_test, StateDumpShowsStatusCommandByteAndOutputBuffer)
{
    using vmm_test::has_fields;
    using vmm_test::state_field;
    out(0x64, 0xaa); // self test: 0x55 waits in the output buffer
    std::string state = kbc.describe_state();
    EXPECT_TRUE(has_fields(state, "controller",
                           {{"status", "0x1d"},
                            {"command-byte", "0x07"},
                            {"output", "0x55"},
                            {"output-full", "1"},
                            {"irq1", "1"}}));
    out(0x64, 0x60);
    EXPECT_EQ(state_field(kbc.describe_state(), "controller", "data-to"), "command-byte");
    out(0x60, 0x00);
    state = kbc.describe_state();
    EXPECT_TRUE(has_fields(state, "controller",
                           {{"data-to", "keyboard"}, {"command-byte", "0x00"}, {"irq1", "0"}}));
}

} // namespace
