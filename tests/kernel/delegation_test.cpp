// Delegation of capability ranges ([C14] §3.4), one test per rule.
#include "capability_fixture.hpp"

#include <cstring>

namespace novatest {
namespace {

class Delegation_rules : public Capability_test {};

TEST_F(Delegation_rules, APdHasThreeIndependentSpaces)
{
    give_root(mem(0x100));
    give_root(pio(0x100));
    ASSERT_EQ(create_sm(0x100), Status::success);
    EXPECT_EQ(lookup(root(), obj(0x100)), obj(0x100, 0, initial_perm::sm));
    EXPECT_EQ(lookup(root(), mem(0x100)), mem(0x100, 0, 0x7));
    EXPECT_EQ(lookup(root(), pio(0x100)), pio(0x100, 0, perm::pio_a));
    revoke(root(), mem(0x100), true);
    EXPECT_EQ(lookup(root(), mem(0x100)), Crd{});
    EXPECT_NE(lookup(root(), obj(0x100)), Crd{}) << "the other spaces are untouched";
}

TEST_F(Delegation_rules, RightsAreSourceAndSenderMaskAndWindowMask)
{
    ASSERT_EQ(create_sm(70), Status::success); // rights up|dn
    Crd got = delegate(root(), *a, obj(70, 0, perm::sm_dn | 0x10), obj(5, 0, perm::sm_dn | 0x8));
    EXPECT_EQ(got, obj(5, 0, perm::sm_dn));
    EXPECT_EQ(rights(*a, obj(5)), perm::sm_dn);
}

TEST_F(Delegation_rules, NothingIsDelegatedWhenTheRightsAreEmpty)
{
    ASSERT_EQ(create_sm(70), Status::success);
    EXPECT_EQ(delegate(root(), *a, obj(70, 0, perm::sm_up), obj(5, 0, perm::sm_dn)), Crd{});
    EXPECT_EQ(lookup(*a, obj(5)), Crd{});
    // Masks that meet, but on a right the source does not hold.
    EXPECT_EQ(delegate(root(), *a, obj(70, 0, 0x10), obj(5, 0, 0x10)).type(), Crd::Type::obj);
    EXPECT_EQ(lookup(*a, obj(5)), Crd{});
}

TEST_F(Delegation_rules, DifferentTypesOfRangeAndWindowDelegateNothing)
{
    ASSERT_EQ(create_sm(70), Status::success);
    EXPECT_EQ(delegate(root(), *a, obj(70), mem(5)), Crd{});
    EXPECT_EQ(delegate(root(), *a, obj(70), Crd{}), Crd{});
    EXPECT_EQ(lookup(*a, obj(5)), Crd{});
}

TEST_F(Delegation_rules, HotspotPlacesASmallRangeInsideALargerWindow)
{
    ASSERT_EQ(create_sm(70), Status::success);
    Crd got = delegate(root(), *a, obj(70), obj(16, 4), {.hotspot = 21});
    EXPECT_EQ(got, obj(21, 0, perm::all)) << "the returned CRD carries the combined mask";
    EXPECT_EQ(rights(*a, obj(21)), initial_perm::sm);
    EXPECT_EQ(object_at<Sm>(21, a), object_at<Sm>(70));
}

TEST_F(Delegation_rules, HotspotPicksPartOfALargerRangeForASmallWindow)
{
    for (mword s = 66; s < 72; ++s) ASSERT_EQ(create_sm(s), Status::success);
    Crd got = delegate(root(), *b, obj(64, 3), obj(200), {.hotspot = 0x43});
    EXPECT_EQ(got.base(), 200u);
    EXPECT_EQ(got.order(), 0);
    EXPECT_EQ(object_at<Sm>(200, b), object_at<Sm>(67)) << "hotspot bits 2:0 pick selector 67";
}

TEST_F(Delegation_rules, AnOccupiedSlotIsNeverOvermapped)
{
    for (mword s = 80; s < 84; ++s) ASSERT_EQ(create_sm(s), Status::success);
    ASSERT_EQ(create_sm(90), Status::success);
    delegate(root(), *a, obj(90), obj(2));
    delegate(root(), *a, obj(80, 2), obj(0, 2));
    EXPECT_EQ(object_at<Sm>(2, a), object_at<Sm>(90)) << "slot 2 kept its capability";
    EXPECT_EQ(object_at<Sm>(0, a), object_at<Sm>(80));
    EXPECT_EQ(object_at<Sm>(1, a), object_at<Sm>(81));
    EXPECT_EQ(object_at<Sm>(3, a), object_at<Sm>(83));
}

TEST_F(Delegation_rules, PortsAreAlwaysDelegatedIdentically)
{
    give_root(pio(0x3f8, 3));
    EXPECT_EQ(delegate(root(), *a, pio(0x3f8, 3), pio(0x2f8, 3)), Crd{}) << "disjoint window";
    EXPECT_EQ(lookup(*a, pio(0x2f8)), Crd{});
    EXPECT_EQ(delegate(root(), *a, pio(0x3f8, 3), pio(0x3fc, 2)), pio(0x3fc, 2, perm::all));
    EXPECT_EQ(lookup(*a, pio(0x3fd)), pio(0x3fc, 2, perm::pio_a));
    EXPECT_EQ(lookup(*a, pio(0x3f8)), Crd{}) << "only the intersection";
    EXPECT_EQ(delegate(root(), *b, pio(0x3fa), pio(0, 16)), pio(0x3fa, 0, perm::all));
}

TEST_F(Delegation_rules, TheHFlagTakesFromTheKernelForTheRootOnly)
{
    Crd got = delegate(root(), root(), mem(0x200, 2), mem(0x200, 2), {.from_kernel = true});
    EXPECT_EQ(got, mem(0x200, 2, perm::all));
    EXPECT_EQ(lookup(root(), mem(0x203)), mem(0x200, 2, 0x7));
    delegate(*a, *a, mem(0x300, 2), mem(0x300, 2), {.from_kernel = true});
    EXPECT_EQ(lookup(*a, mem(0x300)), Crd{}) << "H is ignored for a PD other than the root";
}

TEST_F(Delegation_rules, TheKernelOffersAllMemoryAllPortsIdleScsAndInterruptSemaphores)
{
    give_root(pio(0, 16));
    EXPECT_EQ(lookup(root(), pio(0xffff)), pio(0, 16, perm::pio_a));
    give_root(mem(0, 12));
    EXPECT_EQ(lookup(root(), mem(0xfff)).order(), 12);
    delegate(root(), root(), obj(0, 2), obj(1000, 2), {.from_kernel = true});
    EXPECT_NE(object_at<Sc>(1003), nullptr) << "idle SC of CPU 3";
    // Interrupt semaphores sit at 64..191: two aligned ranges of 64.
    delegate(root(), root(), obj(128, 6), obj(1088, 6), {.from_kernel = true});
    EXPECT_EQ(object_at<Sm>(1088 + 63), object_at<Sm>(Hip::max_cpus + 127, &kernel().kernel_pd()))
        << "interrupt semaphore of GSI 127";
}

TEST_F(Delegation_rules, DAndGEnterTheDmaAndGuestViews)
{
    give_root(mem(0x100, 2));
    delegate(root(), *a, mem(0x100), mem(0x10), {.dma = true});
    delegate(root(), *a, mem(0x101), mem(0x11), {.guest = true});
    delegate(root(), *a, mem(0x102), mem(0x12));
    using V = Kernel::View;
    EXPECT_NE(kernel().view_lookup(*a, Crd::Type::mem, V::dma, 0x10), nullptr);
    EXPECT_EQ(kernel().view_lookup(*a, Crd::Type::mem, V::guest, 0x10), nullptr);
    EXPECT_NE(kernel().view_lookup(*a, Crd::Type::mem, V::guest, 0x11), nullptr);
    EXPECT_EQ(kernel().view_lookup(*a, Crd::Type::mem, V::dma, 0x11), nullptr);
    EXPECT_NE(kernel().view_lookup(*a, Crd::Type::mem, V::host, 0x12), nullptr);
    EXPECT_EQ(kernel().view_lookup(*a, Crd::Type::mem, V::guest, 0x12), nullptr);
}

TEST_F(Delegation_rules, GuestMemoryAboveUserAddrIsInTheGuestViewOnly)
{
    give_root(mem(0x100));
    mword high = user_addr >> page_bits;
    delegate(root(), *a, mem(0x100), mem(high), {.guest = true});
    using V = Kernel::View;
    EXPECT_NE(kernel().view_lookup(*a, Crd::Type::mem, V::guest, high), nullptr);
    EXPECT_EQ(kernel().view_lookup(*a, Crd::Type::mem, V::host, high), nullptr);
}

TEST_F(Delegation_rules, PortsEnterTheGuestViewWithG)
{
    give_root(pio(0x60, 2));
    delegate(root(), *a, pio(0x60, 2), pio(0x60, 2), {.guest = true});
    EXPECT_NE(kernel().view_lookup(*a, Crd::Type::pio, Kernel::View::guest, 0x61), nullptr);
    EXPECT_EQ(kernel().view_lookup(root(), Crd::Type::pio, Kernel::View::guest, 0x61), nullptr);
}

TEST_F(Delegation_rules, MappedFramesAreReadAndWrittenThroughTheSpace)
{
    give_root(mem(0x100, 1));
    ASSERT_FALSE(memory(root()).write(0x100'010, "novasim", 8));
    delegate(root(), *a, mem(0x100, 1), mem(0x40, 1));
    char seen[8] = {};
    ASSERT_FALSE(memory(*a).read(0x40'010, seen, 8));
    EXPECT_STREQ(seen, "novasim") << "the same frame through another PD";
    EXPECT_EQ(std::memcmp(machine_.memory().frame(0x100) + 0x10, "novasim", 8), 0);
    auto fault = memory(*a).read(0x42'000, seen, 1);
    ASSERT_TRUE(fault.has_value());
    EXPECT_EQ(fault->addr, 0x42'000u);
}

TEST_F(Delegation_rules, ReadOnlyMappingsRefuseWrites)
{
    give_root(mem(0x100));
    delegate(root(), *a, mem(0x100, 0, perm::mem_r), mem(0x40));
    auto fault = memory(*a).write(0x40'000, "x", 1);
    ASSERT_TRUE(fault.has_value());
    EXPECT_TRUE(fault->write);
    char c;
    EXPECT_FALSE(memory(*a).read(0x40'000, &c, 1).has_value());
}

TEST_F(Delegation_rules, CreatePdUsesTheSameEngine)
{
    ASSERT_EQ(create_sm(70), Status::success);
    ASSERT_EQ(create_pd(66, obj(70, 0, perm::sm_dn)), Status::success);
    EXPECT_EQ(lookup(*object_at<Pd>(66), obj(0)), obj(0, 0, perm::sm_dn));
}

} // namespace
} // namespace novatest
