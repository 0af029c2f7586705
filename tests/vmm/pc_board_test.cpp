// A whole PC on the bus with a manual clock, driven as the vCPU side will drive it: exits become
// bus accesses, recalls lead to the injection step, and guests' start-up sequences run through.
#include "vmm/pc_board.hpp"
#include "vmm/serial_lines.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

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

// A board with its clock and fakes, and the accesses the tests make; a test may hold two.
struct Board_rig {
    Manual_clock clock;
    Fake_vcpu_control vcpus;
    Fake_machine_control machine;
    std::vector<std::string> console_lines;
    Serial_lines console{[this](std::string_view line) { console_lines.emplace_back(line); }};
    Pc_board board;

    explicit Board_rig(Pc_config const& config = two_cpus())
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

struct Board_test : ::testing::Test, Board_rig {
    explicit Board_test(Pc_config const& config = two_cpus()) : Board_rig(config) {}
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

// A guest's start-up that leaves every stateful device in a state of its own: the PIC and PIT
// as Linux sets them up, COM1 after printing, the BSP's TPR, a periodic timer on the AP, the
// RTC's periodic interrupt, a POST code, and 3 ms of simulated time with timers firing.
void bring_up(Board_rig& rig)
{
    rig.linux_pic_init();
    rig.out(0x43, 0x34), rig.out(0x40, 11932 & 0xff), rig.out(0x40, 11932 >> 8);
    rig.out(0x3fb, 0x03), rig.out(0x3fc, 0x0b);
    rig.print("hello\n");
    rig.apic_write(0, 0xf0, 0x1ff), rig.apic_write(0, 0x80, 0x20);
    rig.apic_write(1, 0xf0, 0x1ff), rig.apic_write(1, 0x3e0, 0xb);
    rig.apic_write(1, 0x320, 0x2'0040), rig.apic_write(1, 0x380, 500'000);
    rig.out(0x70, 0x0b), rig.out(0x71, 0x42);
    rig.out(0x80, 0x12);
    run_until(rig.clock, rig.board.timers(), 3'000'000);
}

std::vector<std::string> section_titles(std::string const& dump)
{
    std::istringstream lines(dump);
    std::vector<std::string> titles;
    for (std::string line; std::getline(lines, line);)
        if (!line.empty() && line[0] == '[') titles.push_back(line);
    return titles;
}

TEST_F(Board_test, StateDumpHasOneSectionPerDeviceInAFixedOrder)
{
    std::string const dump = board.describe_state();
    EXPECT_EQ(section_titles(dump),
              (std::vector<std::string>{"[memory]", "[time]", "[interrupts]", "[pic]", "[pit]",
                                        "[rtc]", "[com1]", "[lapic 0]", "[lapic 1]", "[i8042]",
                                        "[port80]", "[port92]", "[fw_cfg]", "[bus]"}));
    std::ostringstream streamed;
    board.describe_state(streamed);
    EXPECT_EQ(streamed.str(), dump);
    EXPECT_NE(dump.find("[port80]\n  post: last-code=0x00 writes=0\n"), std::string::npos);
}

TEST_F(Board_without_lapics, StateDumpHasNoLapicSections)
{
    std::vector<std::string> const titles = section_titles(board.describe_state());
    EXPECT_EQ(std::count(titles.begin(), titles.end(), "[lapic 0]"), 0);
    EXPECT_EQ(titles.size(), 12u);
}

TEST_F(Board_test, StateDumpShowsEachDeviceInItsSection)
{
    using vmm_test::has_fields;
    using vmm_test::state_field;
    using vmm_test::state_section;
    bring_up(*this);
    out(0x21, 0xfb);
    in(0x1234, 2);
    std::string const dump = board.describe_state();
    EXPECT_NE(state_section(dump, "pic").find("  master: IRR="), std::string::npos);
    EXPECT_NE(state_section(dump, "pic").find(" IMR=0xfb "), std::string::npos);
    EXPECT_TRUE(has_fields(state_section(dump, "memory"), "ram",
                           {{"below-4g", "0x10000000"}, {"total-mib", "256"}}));
    EXPECT_EQ(state_field(state_section(dump, "time"), "timers", "now-ns"), "3000000");
    EXPECT_EQ(state_field(state_section(dump, "time"), "timers", "armed"),
              std::to_string(board.timers().armed_count()));
    EXPECT_EQ(state_field(state_section(dump, "pit"), "ch0", "reload"), "11932");
    EXPECT_EQ(state_field(state_section(dump, "com1"), "registers", "LCR"), "0x03");
    EXPECT_EQ(state_field(state_section(dump, "lapic 0"), "registers", "TPR"), "0x20");
    EXPECT_EQ(state_field(state_section(dump, "lapic 0"), "timer", "deadline"), "never");
    EXPECT_TRUE(has_fields(state_section(dump, "lapic 1"), "timer",
                           {{"mode", "periodic"}, {"deadline", "3500000ns"}}));
    EXPECT_EQ(state_field(state_section(dump, "rtc"), "registers", "B"), "0x42");
    EXPECT_EQ(state_field(state_section(dump, "port80"), "post", "last-code"), "0x12");
    EXPECT_EQ(state_field(state_section(dump, "fw_cfg"), "file", "name"), "etc/e820");
    EXPECT_EQ(state_field(state_section(dump, "bus"), "last-stray", "address"), "0x1235");
    EXPECT_EQ(state_field(state_section(dump, "interrupts"), "pic", "path"), "lint0-extint");
}

TEST_F(Board_test, TwoBoardsInTheSameStateDescribeItTheSameWay)
{
    using vmm_test::state_section;
    Board_rig other;
    bring_up(*this), bring_up(other);
    std::string const dump = board.describe_state();
    ASSERT_EQ(other.board.describe_state(), dump);
    other.out(0x21, 0xfb);
    std::string const changed = other.board.describe_state();
    for (std::string const& title : section_titles(dump)) {
        std::string const name = title.substr(1, title.size() - 2);
        bool const pic = name == "pic";
        EXPECT_EQ(state_section(changed, name) != state_section(dump, name), pic) << name;
    }
}

// Dumping reads no register the way a guest does: register C, LSR, a PIT count switch and the
// LAPIC count read the same afterwards on a board that was dumped and one that was not.
TEST_F(Board_test, DescribingChangesNothingTheGuestSees)
{
    Board_rig quiet;
    bring_up(*this), bring_up(quiet);
    out(0x40, 0xe8), out(0x40, 0x03), quiet.out(0x40, 0xe8), quiet.out(0x40, 0x03);
    quiet.out(0x3f8, 'x'), out(0x3f8, 'x');
    for (Nanoseconds t : {3'010'000, 3'020'000}) {
        clock.advance_to(t), quiet.clock.advance_to(t);
        EXPECT_FALSE(board.describe_state().empty());
    }
    auto guest_reads = [](Board_rig& rig) {
        std::vector<u32> reads;
        rig.out(0x70, 0x0c), reads.push_back(rig.in(0x71));
        reads.push_back(rig.in(0x3fd)), reads.push_back(rig.in(0x3fa));
        rig.out(0x43, 0x00), reads.push_back(rig.in(0x40)), reads.push_back(rig.in(0x40));
        reads.push_back(rig.apic_read(1, 0x390));
        return reads;
    };
    EXPECT_EQ(guest_reads(*this), guest_reads(quiet));
    EXPECT_EQ(board.describe_state(), quiet.board.describe_state());
    expect_sound();
}

} // namespace
