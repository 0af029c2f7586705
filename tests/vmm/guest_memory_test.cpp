// Guest RAM with holes: every copy lands inside one region or not at all.
#include "vmm/guest_memory.hpp"

#include <gtest/gtest.h>

namespace {

using namespace vmm;

struct Guest_ram_test : ::testing::Test {
    Guest_ram ram;
    Guest_ram_test()
    {
        ram.add_owned_region(0x100000, 0x10000);
        ram.add_owned_region(0, 0xa0000);
    }
};

TEST_F(Guest_ram_test, RegionsAreSortedAndCopiesRoundTrip)
{
    std::vector<Address_range> const regions = ram.regions();
    ASSERT_EQ(regions.size(), 2u);
    EXPECT_EQ(regions[0].base, 0u);
    EXPECT_EQ(regions[1].base, 0x100000u);
    u8 const bytes[] = {1, 2, 3, 4};
    EXPECT_TRUE(ram.write(0x10fffc, bytes));
    u8 back[4] = {};
    EXPECT_TRUE(ram.read(0x10fffc, back));
    EXPECT_EQ(std::vector<u8>(back, back + 4), std::vector<u8>(bytes, bytes + 4));
    EXPECT_TRUE(ram.fill(0x1000, 0xcc, 16));
    EXPECT_EQ(*ram.host(0x100f, 1), 0xcc);
}

TEST_F(Guest_ram_test, NothingSpansAHoleOrLeavesRam)
{
    u8 const bytes[] = {1, 2, 3, 4};
    EXPECT_FALSE(ram.write(0x9fffe, bytes)); // runs into the hole at 640 KiB
    EXPECT_EQ(*ram.host(0x9fffe, 1), 0);     // and wrote nothing
    EXPECT_FALSE(ram.write(0x10fffd, bytes));
    EXPECT_FALSE(ram.fill(0xa0000, 0, 1));
    EXPECT_FALSE(ram.contains(~u64{0}, 2));
    EXPECT_TRUE(ram.contains(0xdead'0000, 0)); // nothing is always inside
    EXPECT_EQ(ram.host(0, 0), nullptr);
}

TEST_F(Guest_ram_test, OverlappingEmptyAndWrappingRegionsAreRefused)
{
    EXPECT_THROW(ram.add_owned_region(0x9f000, 0x2000), Config_error);
    EXPECT_THROW(ram.add_owned_region(0x200000, 0), Config_error);
    u8 buffer[16];
    EXPECT_THROW(ram.add_region(~u64{0} - 7, buffer), Config_error);
    EXPECT_NO_THROW(ram.add_region(0xc0000, buffer));
}

} // namespace
