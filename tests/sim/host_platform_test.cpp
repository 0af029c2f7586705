// The kernel's pages on a host: from the kernel region of the simulated memory, bottom up,
// cleared, each page given back handed out again, and none once the region is used up.
#include "sim/host_platform.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <set>

namespace simtest {
namespace {

constexpr std::uint64_t page = 4096;

class Kernel_pages : public testing::Test {
  protected:
    sim::Physical_memory memory_{16 * page, 4 * page}; // the top four frames are the kernel's
    sim::Host_platform platform_{memory_};
};

TEST_F(Kernel_pages, ComeFromTheKernelRegionBottomUpAndCleared)
{
    EXPECT_EQ(platform_.total_pages(), 4u);
    for (std::uint64_t frame = 12; frame < 16; ++frame) {
        void* p = platform_.alloc_page();
        ASSERT_EQ(p, memory_.frame(frame));
        auto const* bytes = static_cast<unsigned char const*>(p);
        EXPECT_TRUE(std::all_of(bytes, bytes + page, [](unsigned char b) { return b == 0; }));
    }
    EXPECT_EQ(platform_.free_pages(), 0u);
    EXPECT_EQ(platform_.alloc_page(), nullptr) << "the region is used up";
}

TEST_F(Kernel_pages, APageGivenBackIsHandedOutAgainCleared)
{
    void* first = platform_.alloc_page();
    void* second = platform_.alloc_page();
    std::memset(second, 0xa5, page);
    platform_.free_page(second);
    EXPECT_EQ(platform_.free_pages(), 3u);
    void* again = platform_.alloc_page();
    EXPECT_EQ(again, second);
    EXPECT_EQ(static_cast<unsigned char const*>(again)[page - 1], 0);
    std::set<void*> rest{first, again, platform_.alloc_page(), platform_.alloc_page()};
    EXPECT_EQ(rest.size(), 4u) << "four distinct pages";
    EXPECT_EQ(platform_.alloc_page(), nullptr);
}

TEST_F(Kernel_pages, ALimitStarvesTheKernelUntilLifted)
{
    platform_.limit_pages(1);
    EXPECT_NE(platform_.alloc_page(), nullptr);
    EXPECT_EQ(platform_.alloc_page(), nullptr);
    platform_.limit_pages(SIZE_MAX);
    EXPECT_NE(platform_.alloc_page(), nullptr);
}

} // namespace
} // namespace simtest
