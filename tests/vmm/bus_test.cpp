// The bus on its own: routing by range and width, splitting, stray accesses, registration
// errors, per-vCPU MMIO and the interrupt lines.
#include "vmm/bus.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace {

using namespace vmm;

struct Access {
    u64 address;
    unsigned size;
    u64 value;
    bool operator==(Access const&) const = default;
};

// Answers reads with the low bytes of its address plus a tag, records every access.
struct Recorder : Io_device, Mmio_device {
    explicit Recorder(u64 tag = 0) : tag(tag) {}
    u64 tag;
    std::vector<Access> reads, writes;

    u64 answer(u64 address) const { return (address & 0xff) | tag; }
    u32 io_read(u16 port, unsigned size) override
    {
        reads.push_back({port, size, 0});
        return static_cast<u32>(answer(port));
    }
    void io_write(u16 port, unsigned size, u32 value) override
    {
        writes.push_back({port, size, value});
    }
    u64 mmio_read(u64 address, unsigned size) override
    {
        reads.push_back({address, size, 0});
        return answer(address);
    }
    void mmio_write(u64 address, unsigned size, u64 value) override
    {
        writes.push_back({address, size, value});
    }
};

TEST(Bus, AnAccessThatFitsReachesTheDeviceWhole)
{
    Bus bus;
    Recorder device;
    bus.add_io({0x510, 2}, device, "fw_cfg", Widths{1 | 2});
    bus.io_out(0x510, 2, 0xabcd);
    EXPECT_EQ(device.writes, (std::vector<Access>{{0x510, 2, 0xabcd}}));
    EXPECT_EQ(bus.io_in(0x511, 1), 0x11u);
    EXPECT_EQ(bus.stats().unclaimed_reads + bus.stats().unclaimed_writes, 0u);
}

TEST(Bus, AWiderAccessReachesAByteDeviceAsBytesInLittleEndianOrder)
{
    Bus bus;
    Recorder uart;
    bus.add_io({0x3f8, 8}, uart, "com1", Widths{1});
    bus.io_out(0x3f8, 2, 0x1234);
    EXPECT_EQ(uart.writes, (std::vector<Access>{{0x3f8, 1, 0x34}, {0x3f9, 1, 0x12}}));
    EXPECT_EQ(bus.io_in(0x3fc, 4), 0xfffefdfcu);
}

TEST(Bus, AnAccessAcrossTwoClaimsIsSplitBetweenThem)
{
    Bus bus;
    Recorder low{0x100}, high{0x200};
    bus.add_mmio({0x1000, 4}, low, "low", Widths{1 | 4});
    bus.add_mmio({0x1004, 4}, high, "high", Widths{1 | 4});
    u64 const value = bus.mmio_read(0, 0x1002, 4);
    EXPECT_EQ(value, 0x05040302u); // tags vanish: each byte is truncated to 8 bits
    EXPECT_EQ(low.reads, (std::vector<Access>{{0x1002, 1, 0}, {0x1003, 1, 0}}));
    EXPECT_EQ(high.reads, (std::vector<Access>{{0x1004, 1, 0}, {0x1005, 1, 0}}));
}

TEST(Bus, UnclaimedAccessesReadAllOnesAndAreCounted)
{
    Bus bus;
    EXPECT_EQ(bus.io_in(0x1234, 1), 0xffu);
    EXPECT_EQ(bus.io_in(0x1234, 2), 0xffffu);
    EXPECT_EQ(bus.io_in(0x1234, 4), 0xffffffffu);
    EXPECT_EQ(bus.mmio_read(3, 0xe000'0000, 8), ~u64{0});
    bus.io_out(0x80, 1, 0);
    EXPECT_EQ(bus.stats().unclaimed_reads, 1u + 2 + 4 + 8);
    EXPECT_EQ(bus.stats().unclaimed_writes, 1u);
    ASSERT_TRUE(bus.stats().last_stray);
    EXPECT_EQ(bus.stats().last_stray->address, 0x80u);
    EXPECT_TRUE(bus.stats().last_stray->write);
    EXPECT_EQ(bus.stats().last_stray->space, Space::io);
}

TEST(Bus, AWidthTheDeviceRefusesIsCountedNotDelivered)
{
    Bus bus;
    Recorder selector;
    bus.add_io({0x510, 2}, selector, "selector", Widths{2});
    EXPECT_EQ(bus.io_in(0x510, 1), 0xffu);
    bus.io_out(0x510, 4, 1); // splits into bytes: two it does not take, two nobody claims
    EXPECT_TRUE(selector.reads.empty());
    EXPECT_TRUE(selector.writes.empty());
    EXPECT_EQ(bus.stats().refused, 3u);
    EXPECT_EQ(bus.stats().unclaimed_writes, 2u);
}

TEST(Bus, SizesThatNoInstructionMakesAreRefused)
{
    Bus bus;
    Recorder device;
    bus.add_io({0, 0x10000}, device, "everything", Widths{1 | 2 | 4});
    EXPECT_EQ(bus.io_in(0, 8), ~u32{0});
    bus.io_out(0, 3, 0);
    bus.mmio_write(0, 0, 16, 0);
    EXPECT_EQ(bus.stats().refused, 3u);
    EXPECT_TRUE(device.writes.empty());
}

TEST(Bus, WritesAreTruncatedToTheirSize)
{
    Bus bus;
    Recorder device;
    bus.add_mmio({0xfed0'0000, 0x1000}, device, "hpet", Widths{1 | 2 | 4 | 8});
    bus.mmio_write(0, 0xfed0'0010, 2, 0x1234'5678);
    EXPECT_EQ(device.writes, (std::vector<Access>{{0xfed0'0010, 2, 0x5678}}));
}

TEST(Bus, OverlappingClaimsAreRefusedNamingBoth)
{
    Bus bus;
    Recorder a, b;
    bus.add_io({0x3f8, 8}, a, "com1", Widths{1});
    try {
        bus.add_io({0x3fc, 8}, b, "com-odd", Widths{1});
        FAIL() << "overlap accepted";
    } catch (Config_error const& e) {
        EXPECT_STREQ(e.what(),
                     "port range 0x3fc-0x403 for 'com-odd' overlaps 0x3f8-0x3ff of 'com1'");
    }
    EXPECT_NO_THROW(bus.add_io({0x400, 1}, b, "next door", Widths{1}));
    EXPECT_THROW(bus.add_io({0x2f8, 0}, b, "empty", Widths{1}), Config_error);
    EXPECT_THROW(bus.add_io({0xfffe, 4}, b, "beyond", Widths{1}), Config_error);
}

TEST(Bus, EachVcpuReachesItsOwnLocalPage)
{
    Bus bus;
    Recorder apic0{0x1000}, apic1{0x2000}, global;
    bus.add_local_mmio(0, {0xfee0'0000, 0x1000}, apic0, "lapic0", Widths{4});
    bus.add_local_mmio(1, {0xfee0'0000, 0x1000}, apic1, "lapic1", Widths{4});
    bus.add_mmio({0xfec0'0000, 0x1000}, global, "ioapic", Widths{4});
    EXPECT_EQ(bus.mmio_read(0, 0xfee0'0020, 4), 0x1020u);
    EXPECT_EQ(bus.mmio_read(1, 0xfee0'0020, 4), 0x2020u);
    EXPECT_EQ(bus.mmio_read(2, 0xfee0'0020, 4), 0xffffffffu); // vCPU 2 has no LAPIC
    EXPECT_EQ(bus.mmio_read(1, 0xfec0'0000, 4), 0u);
    EXPECT_TRUE(bus.claims_mmio(1, 0xfee0'0fff));
    EXPECT_FALSE(bus.claims_mmio(2, 0xfee0'0000));
    EXPECT_TRUE(bus.claims_mmio(2, 0xfec0'0000));
}

TEST(Bus, LocalAndGlobalClaimsMayNotOverlap)
{
    Bus bus;
    Recorder a, b;
    bus.add_local_mmio(1, {0xfee0'0000, 0x1000}, a, "lapic1", Widths{4});
    EXPECT_THROW(bus.add_mmio({0xfee0'0800, 0x1000}, b, "global", Widths{4}), Config_error);
    EXPECT_THROW(bus.add_local_mmio(1, {0xfee0'0000, 4}, b, "again", Widths{4}), Config_error);
    bus.add_mmio({0xfec0'0000, 0x1000}, b, "ioapic", Widths{4});
    EXPECT_THROW(bus.add_local_mmio(0, {0xfec0'0000, 4}, a, "local", Widths{4}), Config_error);
}

struct Pins : Irq_sink {
    std::vector<std::pair<unsigned, bool>> changes;
    void irq_level(unsigned pin, bool level) override { changes.emplace_back(pin, level); }
};

TEST(Irq_lines, EverySinkSeesEachChangeOnce)
{
    Bus bus;
    Pins pic, ioapic;
    bus.irq_lines().connect(4, pic, 4);
    bus.irq_lines().connect(4, ioapic, 20);
    Irq_line com1{bus.irq_lines(), 4};
    com1.raise();
    com1.raise(); // no change, no edge
    com1.lower();
    using Changes = std::vector<std::pair<unsigned, bool>>;
    EXPECT_EQ(pic.changes, (Changes{{4, true}, {4, false}}));
    EXPECT_EQ(ioapic.changes, (Changes{{20, true}, {20, false}}));
}

TEST(Irq_lines, APulseIsOneRisingEdgeEvenFromAHighLine)
{
    Bus bus;
    Pins pic;
    bus.irq_lines().connect(0, pic, 0);
    Irq_line pit{bus.irq_lines(), 0};
    pit.pulse();
    pit.raise();
    pit.pulse();
    using Changes = std::vector<std::pair<unsigned, bool>>;
    EXPECT_EQ(pic.changes,
              (Changes{{0, true}, {0, false}, {0, true}, {0, false}, {0, true}, {0, false}}));
    EXPECT_FALSE(pit.level());
}

TEST(Irq_lines, ALateSinkSeesAHighLineAndBadLinesAreRefused)
{
    Bus bus;
    Pins late;
    Irq_line line{bus.irq_lines(), 9};
    line.raise();
    bus.irq_lines().connect(9, late, 1);
    EXPECT_EQ(late.changes.size(), 1u);
    EXPECT_THROW(Irq_line(bus.irq_lines(), Irq_lines::count), Config_error);
    EXPECT_THROW(bus.irq_lines().connect(99, late, 0), Config_error);
    bus.irq_lines().set(99, true); // a line that does not exist is a no-op, not a crash
    EXPECT_FALSE(bus.irq_lines().level(99));
}

} // namespace
