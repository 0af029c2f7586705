// A whole PC on the bus with a manual clock, driven as the vCPU side will drive it: exits become
// bus accesses, recalls lead to the injection step, and guests' start-up sequences run through.
#include "vmm/pc_board.hpp"
#include "vmm/serial_lines.hpp"

#include <gtest/gtest.h>

#include "vmm_fixture.hpp"

namespace {

using namespace vmm;
using vmm_test::Fake_machine_control;
using vmm_test::Fake_vcpu_control;

Pc_config two_cpus()
{
    Pc_config config;
    config.cpus = 2;
    config.ram_below_4g = u64{256} << 20;
    config.cmdline = "console=ttyS0";
    return config;
}

struct Board_test : ::testing::Test {
    Manual_clock clock;
    Fake_vcpu_control vcpus;
    Fake_machine_control machine;
    std::vector<std::string> console_lines;
    Serial_lines console{[this](std::string_view line) { console_lines.emplace_back(line); }};
    Pc_board board;

    explicit Board_test(Pc_config const& config = two_cpus())
        : board(config, clock, vcpus, machine, console)
    {
    }

    void out(u16 port, u32 value, unsigned size = 1) { board.bus().io_out(port, size, value); }
    u32 in(u16 port, unsigned size = 1) { return board.bus().io_in(port, size); }
    void apic_write(Vcpu_id vcpu, u32 reg, u32 value)
    {
        board.bus().mmio_write(vcpu, 0xfee0'0000 + reg, 4, value);
    }
    u32 apic_read(Vcpu_id vcpu, u32 reg)
    {
        return static_cast<u32>(board.bus().mmio_read(vcpu, 0xfee0'0000 + reg, 4));
    }
    // The vCPU side's injection step for a vCPU whose guest has interrupts enabled.
    std::optional<u8> inject(Vcpu_id vcpu)
    {
        if (!board.interrupts().interrupt_pending(vcpu)) return std::nullopt;
        return board.interrupts().acknowledge(vcpu);
    }
    void linux_pic_init()
    {
        for (u8 v : {0x11, 0x30, 0x04, 0x01}) out(v == 0x11 ? 0x20 : 0x21, v);
        for (u8 v : {0x11, 0x38, 0x02, 0x01}) out(v == 0x11 ? 0xa0 : 0xa1, v);
        out(0x21, 0xfe), out(0xa1, 0xff); // only the timer
    }
    void print(std::string const& text)
    {
        for (char c : text) {
            while (!(in(0x3fd) & 0x20)) {
            }
            out(0x3f8, static_cast<u8>(c));
        }
    }
    u64 fw_cfg_number(u16 key, unsigned bytes)
    {
        out(0x510, key, 2);
        u64 value = 0;
        for (unsigned i = 0; i < bytes; ++i) value |= u64{in(0x511)} << (8 * i);
        return value;
    }
    void expect_sound() { EXPECT_EQ(board.broken_invariant(), std::nullopt); }
};

TEST_F(Board_test, LinuxPicAndPitTickThroughTheVirtualWire)
{
    linux_pic_init();
    out(0x43, 0x34), out(0x40, 11932 & 0xff), out(0x40, 11932 >> 8);
    unsigned ticks = 0;
    for (Nanoseconds next = board.timers().next_deadline(); next <= 100'000'000;
         next = board.timers().next_deadline()) {
        vcpus.recalls.clear();
        run_until(clock, board.timers(), next);
        ASSERT_EQ(vcpus.recalls, (std::vector<Vcpu_id>{0})) << "the timer recalls the BSP";
        ASSERT_EQ(inject(0), 0x30);
        EXPECT_EQ(inject(1), std::nullopt);
        out(0x20, 0x20);
        ++ticks;
    }
    EXPECT_EQ(ticks, Tick_rate{Pit8254::frequency_hz}.ticks_in(100'000'000) / 11932);
    expect_sound();
}

TEST_F(Board_test, KvmUnitTestsStartUp)
{
    EXPECT_EQ(fw_cfg_number(Fw_cfg::nb_cpus, 2), 2u);
    EXPECT_EQ(fw_cfg_number(Fw_cfg::ram_size, 8), u64{256} << 20);
    EXPECT_EQ(fw_cfg_number(Fw_cfg::cmdline_size, 4), 14u);
    EXPECT_EQ(apic_read(0, 0x20), 0u);
    EXPECT_EQ(apic_read(1, 0x20), 0x0100'0000u);
    apic_write(0, 0xf0, 0x1ff);
    apic_write(0, 0x300, 0x000c'4500); // INIT to all but self
    apic_write(0, 0x300, 0x000c'4600 | 0x08);
    EXPECT_EQ(vcpus.inits, (std::vector<Vcpu_id>{1}));
    EXPECT_EQ(vcpus.startups, (std::vector<Fake_vcpu_control::Startup>{{1, 0x08}}));
    apic_write(1, 0xf0, 0x1ff);
    apic_write(0, 0x310, 0x0100'0000);
    apic_write(0, 0x300, 0x4000 | 0xf0); // on_cpu(): a fixed IPI
    EXPECT_TRUE(vcpus.recalled(1));
    EXPECT_EQ(inject(1), 0xf0);
    apic_write(1, 0xb0, 0);
    print("PASS: smptest\nSUMMARY: 1 tests\n");
    EXPECT_EQ(console_lines, (std::vector<std::string>{"PASS: smptest", "SUMMARY: 1 tests"}));
    out(0xf4, 0, 4);
    EXPECT_EQ(machine.exits, (std::vector<u64>{1}));
    expect_sound();
}

TEST_F(Board_test, LapicTimerOnAnApRecallsThatAp)
{
    apic_write(1, 0xf0, 0x1ff);
    apic_write(1, 0x3e0, 0xb);
    apic_write(1, 0x320, 0x2'0040);
    apic_write(1, 0x380, 500'000);
    vcpus.recalls.clear();
    run_until(clock, board.timers(), 500'000);
    EXPECT_EQ(vcpus.recalls, (std::vector<Vcpu_id>{1}));
    EXPECT_EQ(inject(1), 0x40);
    EXPECT_EQ(inject(0), std::nullopt);
}

TEST_F(Board_test, StrayAccessesReadAllOnesAndResetsReachTheMachine)
{
    EXPECT_EQ(in(0x1234, 2), 0xffffu);
    EXPECT_EQ(board.bus().mmio_read(0, 0xfebf'0000, 4), 0xffff'ffffu);
    EXPECT_EQ(board.bus().stats().unclaimed_reads, 2u + 4);
    out(0x80, 0x12); // io_delay is not stray
    EXPECT_EQ(board.bus().stats().unclaimed_writes, 0u);
    out(0x64, 0xfe);
    EXPECT_EQ(machine.resets, (std::vector<Reset_source>{Reset_source::keyboard_controller}));
}

TEST_F(Board_test, FirmwareSeesTheMemoryLayout)
{
    out(0x70, 0x34);
    u32 const low = in(0x71);
    out(0x70, 0x35);
    EXPECT_EQ((in(0x71) << 8 | low), (256u - 16) * 16);
    std::vector<u8> const* e820 = board.fw_cfg().item(Fw_cfg::first_file);
    ASSERT_NE(e820, nullptr);
    EXPECT_EQ(e820->size(), 20u);
    EXPECT_EQ((*e820)[8 + 3], 0x10); // length 256 MiB, little-endian
}

struct Board_without_lapics : Board_test {
    static Pc_config config()
    {
        Pc_config c;
        c.lapics = false;
        return c;
    }
    Board_without_lapics() : Board_test(config()) {}
};

TEST_F(Board_without_lapics, ThePicGoesStraightToTheBspAndThereIsNoApicPage)
{
    linux_pic_init();
    out(0x21, 0xfd); // IRQ 1
    out(0x64, 0xaa); // the i8042 answers its self test on IRQ 1
    EXPECT_TRUE(vcpus.recalled(0));
    EXPECT_EQ(inject(0), 0x31);
    EXPECT_FALSE(board.bus().claims_mmio(0, 0xfee0'0000));
}

TEST(Pc_config, ImpossibleMachinesAreRefused)
{
    Manual_clock clock;
    Fake_vcpu_control vcpus;
    Fake_machine_control machine;
    Serial_lines console{[](std::string_view) {}};
    auto make = [&](Pc_config config) { Pc_board board(config, clock, vcpus, machine, console); };
    Pc_config config;
    config.cpus = 0;
    EXPECT_THROW(make(config), Config_error);
    config.cpus = 256;
    EXPECT_THROW(make(config), Config_error);
    config.cpus = 1;
    config.ram_below_4g = u64{3584} << 20 | 1;
    EXPECT_THROW(make(config), Config_error);
    config.ram_below_4g = 4096;
    EXPECT_THROW(make(config), Config_error);
}

} // namespace
