// The radix table and the slab allocator on their own, over the host platform.
#include "nova/abi.hpp"
#include "nova/mdb.hpp"
#include "nova/radix.hpp"
#include "nova/slab.hpp"
#include "sim/host_platform.hpp"
#include "test_seed.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <map>
#include <random>
#include <vector>

namespace {

using namespace nova;

class Radix_table : public ::testing::Test {
  protected:
    Mdb_node* node(mword base, u8 order)
    {
        return &nodes_.emplace_back(nullptr, base, order, base, perm::all, u8{0});
    }
    sim::Physical_memory memory_{16 << 20, 8 << 20};
    sim::Host_platform platform_{memory_};
    Radix radix_{26};
    std::deque<Mdb_node> nodes_;
};

TEST_F(Radix_table, FindsNodesOfEveryOrderAtBothEnds)
{
    for (u8 order : {0, 1, 8, 9, 10, 17, 18, 19, 26}) {
        Radix r{26};
        mword base = order == 26 ? 0 : mword{3} << order;
        Mdb_node* n = node(base, order);
        ASSERT_TRUE(r.insert(platform_, n)) << int{order};
        EXPECT_EQ(r.lookup(base), n) << int{order};
        EXPECT_EQ(r.lookup(base + n->size() - 1), n) << int{order};
        if (base > 0) {
            EXPECT_EQ(r.lookup(base - 1), nullptr) << int{order};
        }
        if (n->end() < r.key_limit()) {
            EXPECT_EQ(r.lookup(n->end()), nullptr) << int{order};
        }
        r.remove(n);
        EXPECT_EQ(r.lookup(base), nullptr);
        r.release(platform_);
        EXPECT_EQ(r.table_pages(), 0u);
    }
}

// The last changes are logged with their keys; older ones, and a change that names no key, make
// the log useless to whoever looked before them.
TEST_F(Radix_table, LogsTheKeysOfItsLastChanges)
{
    u64 start = radix_.version();
    Mdb_node* a = node(0x40, 0);
    Mdb_node* b = node(0x200, 9);
    ASSERT_TRUE(radix_.insert(platform_, a));
    ASSERT_TRUE(radix_.insert(platform_, b));
    radix_.rights_changed(*a);
    radix_.remove(b);
    ASSERT_TRUE(radix_.changes_logged_since(start));
    ASSERT_EQ(radix_.version(), start + 4);
    mword const keys[] = {0x40, 0x200, 0x40, 0x200};
    i64 const nodes[] = {1, 1, 0, -1};
    for (u64 i = 0; i < 4; ++i) {
        EXPECT_EQ(radix_.change_after(start + i).key, keys[i]) << i;
        EXPECT_EQ(radix_.change_after(start + i).nodes, nodes[i]) << i;
        EXPECT_EQ(radix_.change_after(start + i).resource, keys[i]) << i;
    }
    EXPECT_FALSE(radix_.changes_logged_since(radix_.version() + 1));
    for (unsigned i = 0; i < Radix::logged_changes - 4; ++i) radix_.rights_changed(*a);
    EXPECT_TRUE(radix_.changes_logged_since(start));
    radix_.rights_changed(*a);
    EXPECT_FALSE(radix_.changes_logged_since(start)) << "the oldest change fell out of the log";
    u64 before_touch = radix_.version();
    radix_.touch();
    EXPECT_FALSE(radix_.changes_logged_since(before_touch));
    EXPECT_TRUE(radix_.changes_logged_since(radix_.version()));
    radix_.remove(a);
    radix_.release(platform_);
}

TEST_F(Radix_table, FirstInSkipsEmptyRangesAndFindsOverlaps)
{
    Mdb_node* low = node(5, 0);
    Mdb_node* big = node(1 << 20, 18);
    ASSERT_TRUE(radix_.insert(platform_, low));
    ASSERT_TRUE(radix_.insert(platform_, big));
    EXPECT_EQ(radix_.first_in(0, radix_.key_limit()), low);
    EXPECT_EQ(radix_.first_in(6, radix_.key_limit()), big);
    EXPECT_EQ(radix_.first_in((1 << 20) + 77, (1 << 20) + 78), big) << "inside a large node";
    EXPECT_EQ(radix_.first_in(6, 1 << 20), nullptr);
    EXPECT_FALSE(radix_.range_free(0, 3));
    EXPECT_TRUE(radix_.range_free(8, 3));
    EXPECT_FALSE(radix_.range_free(0, 26));
}

// A node of a large order fills many entries; a visit sees it once, and a visit that returns
// false ends the walk there.
TEST_F(Radix_table, VisitsEachNodeOnceInOrderUntilTheVisitStops)
{
    Mdb_node* low = node(5, 0);
    Mdb_node* big = node(1 << 20, 18);
    Mdb_node* high = node((1 << 20) + (1 << 18), 3);
    for (Mdb_node* n : {high, low, big}) ASSERT_TRUE(radix_.insert(platform_, n));
    std::vector<Mdb_node*> visited;
    auto all = [&](Mdb_node& n, mword) {
        visited.push_back(&n);
        return true;
    };
    EXPECT_TRUE(radix_.for_each_node(all));
    EXPECT_EQ(visited, (std::vector<Mdb_node*>{low, big, high}));
    visited.clear();
    EXPECT_FALSE(radix_.for_each_node([&](Mdb_node& n, mword) {
        visited.push_back(&n);
        return &n != big;
    }));
    EXPECT_EQ(visited, (std::vector<Mdb_node*>{low, big}));
}

TEST_F(Radix_table, ALargeNodeReplacesAnEmptyTableLeftBehind)
{
    Mdb_node* small = node(512, 0);
    ASSERT_TRUE(radix_.insert(platform_, small));
    usize tables = radix_.table_pages();
    radix_.remove(small);
    Mdb_node* large = node(512, 9);
    ASSERT_TRUE(radix_.insert(platform_, large));
    EXPECT_EQ(radix_.table_pages(), tables - 1) << "the empty leaf table was freed";
    EXPECT_EQ(radix_.lookup(1000), large);
}

TEST_F(Radix_table, InsertFailsCleanlyWhenNoTableCanBeAllocated)
{
    platform_.limit_pages(1);
    Mdb_node* n = node(12345, 0);
    EXPECT_FALSE(radix_.insert(platform_, n));
    EXPECT_EQ(radix_.lookup(12345), nullptr);
    EXPECT_EQ(radix_.nodes(), 0u);
    platform_.limit_pages(SIZE_MAX);
    EXPECT_TRUE(radix_.insert(platform_, n));
    EXPECT_EQ(radix_.lookup(12345), n);
    EXPECT_EQ(radix_.nodes(), 1u);
}

// A walk scans each table once, a group of entries at a time; after any mix of inserts and removes
// it finds exactly the nodes a plain map holds, and the radix counts as many.
TEST_F(Radix_table, WalksFindEveryNodeAfterRandomInsertsAndRemoves)
{
    std::mt19937_64 random{novasim_test::seed()};
    std::map<mword, Mdb_node*> held;
    for (int step = 0; step < 3000; ++step) {
        u8 order = std::array<u8, 4>{0, 3, 6, 9}[random() % 4];
        // Keys cluster in a few tables so that segments fill up and empty again.
        mword base =
            (random() % 4 * (mword{1} << 18) + random() % 4096) & ~((mword{1} << order) - 1);
        if (auto found = held.find(base); found != held.end() && random() % 2 == 0) {
            radix_.remove(found->second);
            held.erase(found);
        } else if (radix_.range_free(base, order)) {
            Mdb_node* n = node(base, order);
            ASSERT_TRUE(radix_.insert(platform_, n));
            held.emplace(base, n);
        }
    }
    std::vector<Mdb_node*> walked;
    for (Mdb_node* n = radix_.first_in(0, radix_.key_limit()); n != nullptr;
         n = radix_.first_in(n->end(), radix_.key_limit())) {
        walked.push_back(n);
    }
    std::vector<Mdb_node*> expected;
    for (auto const& [base, n] : held) expected.push_back(n);
    EXPECT_EQ(walked, expected) << novasim_test::seed_note();
    std::vector<Mdb_node*> visited;
    usize keys_not_bases = 0;
    EXPECT_TRUE(radix_.for_each_node([&](Mdb_node& n, mword first_key) {
        visited.push_back(&n);
        keys_not_bases += first_key != n.base();
        return true;
    }));
    EXPECT_EQ(visited, expected) << "for_each_node, " << novasim_test::seed_note();
    EXPECT_EQ(keys_not_bases, 0u) << "a node's first entry starts at its base, "
                                  << novasim_test::seed_note();
    EXPECT_EQ(radix_.nodes(), held.size()) << novasim_test::seed_note();
}

TEST(Slab, HandsOutDistinctObjectsAndReturnsEmptyPages)
{
    sim::Physical_memory memory{16 << 20, 8 << 20};
    sim::Host_platform platform{memory};
    Slab_cache cache{platform, 56};
    std::vector<void*> objects;
    for (usize i = 0; i < 3 * cache.objects_per_page(); ++i) objects.push_back(cache.alloc());
    EXPECT_EQ(cache.pages_in_use(), 3u);
    std::sort(objects.begin(), objects.end());
    EXPECT_EQ(std::adjacent_find(objects.begin(), objects.end()), objects.end());
    for (void* o : objects) cache.free(o);
    EXPECT_EQ(cache.objects_in_use(), 0u);
    EXPECT_EQ(cache.pages_in_use(), 1u) << "one empty page is kept";
}

TEST(Slab, ReportsExhaustionAsNull)
{
    sim::Physical_memory memory{16 << 20, 8 << 20};
    sim::Host_platform platform{memory};
    Slab_cache cache{platform, 56};
    platform.limit_pages(1);
    for (usize i = 0; i < cache.objects_per_page(); ++i) ASSERT_NE(cache.alloc(), nullptr);
    EXPECT_EQ(cache.alloc(), nullptr);
}

} // namespace
