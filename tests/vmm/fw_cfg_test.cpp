// fw_cfg on the bus alone, read the way kvm-unit-tests and SeaBIOS read it.
#include "vmm/devices/fw_cfg.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace vmm;

struct Fw_cfg_test : ::testing::Test {
    Bus bus;
    Fw_cfg fw_cfg{bus};

    // lib/x86/fwcfg.c: select with outw, then inb the bytes, little-endian.
    u64 read_number(u16 key, unsigned bytes)
    {
        bus.io_out(0x510, 2, key);
        u64 value = 0;
        for (unsigned i = 0; i < bytes; ++i)
            value |= u64{static_cast<u8>(bus.io_in(0x511, 1))} << (8 * i);
        return value;
    }
    std::string read_bytes(u16 key, std::size_t n)
    {
        bus.io_out(0x510, 2, key);
        std::string out;
        for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<char>(bus.io_in(0x511, 1)));
        return out;
    }
};

TEST_F(Fw_cfg_test, SignatureAndInterfaceId)
{
    EXPECT_EQ(read_bytes(Fw_cfg::signature, 4), "QEMU");
    EXPECT_EQ(read_number(Fw_cfg::id, 4), 1u);
}

TEST_F(Fw_cfg_test, NumbersAreLittleEndianAndReadsPastTheEndAreZero)
{
    fw_cfg.set_u16(Fw_cfg::nb_cpus, 2);
    fw_cfg.set_u64(Fw_cfg::ram_size, u64{3} << 30);
    EXPECT_EQ(read_number(Fw_cfg::nb_cpus, 2), 2u);
    EXPECT_EQ(read_number(Fw_cfg::ram_size, 8), u64{3} << 30);
    EXPECT_EQ(read_number(Fw_cfg::nb_cpus, 8), 2u); // bytes 2-7 are past the end
    EXPECT_EQ(read_number(0x1234, 4), 0u);          // an item nobody set
}

TEST_F(Fw_cfg_test, CommandLineSizeCountsTheNul)
{
    fw_cfg.set_cmdline("console=ttyS0");
    EXPECT_EQ(read_number(Fw_cfg::cmdline_size, 4), 14u);
    EXPECT_EQ(read_bytes(Fw_cfg::cmdline_data, 14), std::string("console=ttyS0", 14));
}

TEST_F(Fw_cfg_test, SelectingAgainRestartsAndTheWriteBitSelectsTheSameItem)
{
    EXPECT_EQ(read_bytes(Fw_cfg::signature, 2), "QE");
    EXPECT_EQ(read_bytes(Fw_cfg::signature | Fw_cfg::write_channel, 4), "QEMU");
    bus.io_out(0x511, 1, 0x42); // data writes are ignored
    EXPECT_EQ(read_bytes(Fw_cfg::signature, 4), "QEMU");
    EXPECT_EQ(bus.io_in(0x510, 2), 0xffffu); // not an access fw_cfg takes
}

TEST_F(Fw_cfg_test, FileDirectoryIsBigEndianAndSortedByName)
{
    u16 const zebra = fw_cfg.add_file("opt/zebra", {1, 2, 3});
    u16 const apple = fw_cfg.add_file("etc/apple", std::vector<u8>(300, 7));
    EXPECT_EQ(zebra, 0x20);
    EXPECT_EQ(apple, 0x21);
    bus.io_out(0x510, 2, Fw_cfg::file_dir);
    auto byte = [&] { return static_cast<u8>(bus.io_in(0x511, 1)); };
    auto big = [&](unsigned n) {
        u32 v = 0;
        for (unsigned i = 0; i < n; ++i) v = v << 8 | byte();
        return v;
    };
    EXPECT_EQ(big(4), 2u);
    struct Entry {
        u32 size;
        u16 select;
        std::string name;
    };
    auto entry = [&] {
        Entry e{big(4), static_cast<u16>(big(2)), {}};
        big(2);
        for (int i = 0; i < 56; ++i)
            if (char const c = static_cast<char>(byte())) e.name.push_back(c);
        return e;
    };
    Entry const first = entry(), second = entry();
    EXPECT_EQ(first.name, "etc/apple");
    EXPECT_EQ(first.size, 300u);
    EXPECT_EQ(first.select, apple);
    EXPECT_EQ(second.name, "opt/zebra");
    EXPECT_EQ(second.select, zebra);
    EXPECT_EQ(read_number(zebra, 3), 0x030201u);
}

TEST_F(Fw_cfg_test, BadFileNamesAreRefused)
{
    EXPECT_THROW(fw_cfg.add_file("", {}), Config_error);
    EXPECT_THROW(fw_cfg.add_file(std::string(56, 'x'), {}), Config_error);
    EXPECT_NO_THROW(fw_cfg.add_file(std::string(55, 'x'), {}));
    EXPECT_THROW(fw_cfg.add_file(std::string(55, 'x'), {}), Config_error);
}

TEST_F(Fw_cfg_test, StateDumpShowsTheSelectionAndTheFiles)
{
    fw_cfg.add_file("etc/boot-order", {1, 2, 3});
    read_bytes(Fw_cfg::first_file, 2);
    EXPECT_EQ(fw_cfg.describe_state(), "access: selector=0x0020 offset=2 size=3 items=4\n"
                                       "file: selector=0x0020 size=3 name=etc/boot-order\n");
}

} // namespace
