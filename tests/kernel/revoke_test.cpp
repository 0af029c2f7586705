// The mapping database: revoke and lookup ([C14] §3.5), one test per rule.
#include "capability_fixture.hpp"

namespace novatest {
namespace {

class Revoke_rules : public Capability_test {
  protected:
    // root:70 -> a:1 -> b:2, all with every right of a semaphore.
    void chain()
    {
        ASSERT_EQ(create_sm(70), Status::success);
        delegate(root(), *a, obj(70), obj(1));
        delegate(*a, *b, obj(1), obj(2));
        ASSERT_EQ(rights(*b, obj(2)), initial_perm::sm);
    }
};

TEST_F(Revoke_rules, RevokeRemovesRightsFromEveryDescendantAcrossPds)
{
    chain();
    revoke(root(), obj(70, 0, perm::sm_dn), false);
    EXPECT_EQ(rights(root(), obj(70)), initial_perm::sm) << "without self the own copy stays";
    EXPECT_EQ(rights(*a, obj(1)), perm::sm_up);
    EXPECT_EQ(rights(*b, obj(2)), perm::sm_up) << "recursively";
}

TEST_F(Revoke_rules, SelfRemovesTheRightsFromTheOwnCopyToo)
{
    chain();
    revoke(root(), obj(70, 0, perm::sm_dn), true);
    EXPECT_EQ(rights(root(), obj(70)), perm::sm_up);
    EXPECT_EQ(rights(*b, obj(2)), perm::sm_up);
}

TEST_F(Revoke_rules, NodesWithoutRightsDisappear)
{
    chain();
    usize nodes = kernel().live_nodes();
    revoke(*a, obj(1), false);
    EXPECT_EQ(lookup(*b, obj(2)), Crd{});
    EXPECT_EQ(kernel().live_nodes(), nodes - 1);
    EXPECT_EQ(rights(*a, obj(1)), initial_perm::sm);
}

TEST_F(Revoke_rules, RevokingAnIntermediateCutsOffItsSubtreeOnly)
{
    chain();
    delegate(root(), *b, obj(70), obj(3));
    revoke(*a, obj(1), true);
    EXPECT_EQ(lookup(*a, obj(1)), Crd{});
    EXPECT_EQ(lookup(*b, obj(2)), Crd{});
    EXPECT_NE(lookup(*b, obj(3)), Crd{}) << "a sibling branch is untouched";
}

TEST_F(Revoke_rules, AnObjectDiesWhenItsLastCapabilityGoes)
{
    chain();
    usize sms = kernel().live_objects(Object_type::sm);
    revoke(root(), obj(70), true);
    EXPECT_EQ(kernel().live_objects(Object_type::sm), sms - 1);
}

TEST_F(Revoke_rules, RevokeWorksOnMemoryAndPortsToo)
{
    give_root(mem(0x100, 2));
    give_root(pio(0x60, 2));
    delegate(root(), *a, mem(0x100, 2), mem(0x10, 2));
    delegate(*a, *b, mem(0x10, 2), mem(0x20, 2));
    delegate(root(), *a, pio(0x60, 2), pio(0x60, 2));
    delegate(*a, *b, pio(0x60, 2), pio(0x60, 2));
    revoke(root(), mem(0x100, 2, perm::mem_w), false);
    EXPECT_EQ(rights(*b, mem(0x20)), perm::mem_r | perm::mem_x);
    revoke(root(), pio(0x60, 2), false);
    EXPECT_EQ(lookup(*b, pio(0x61)), Crd{});
    EXPECT_EQ(lookup(*a, pio(0x61)), Crd{});
    EXPECT_NE(lookup(root(), pio(0x61)), Crd{});
}

TEST_F(Revoke_rules, RevokingMemoryRemovesItsGuestAndDmaViews)
{
    give_root(mem(0x100));
    delegate(root(), *a, mem(0x100), mem(0x10), {.dma = true, .guest = true});
    using V = Kernel::View;
    ASSERT_NE(kernel().view_lookup(*a, Crd::Type::mem, V::guest, 0x10), nullptr);
    revoke(root(), mem(0x100), false);
    EXPECT_EQ(kernel().view_lookup(*a, Crd::Type::mem, V::guest, 0x10), nullptr);
    EXPECT_EQ(kernel().view_lookup(*a, Crd::Type::mem, V::dma, 0x10), nullptr);
    EXPECT_EQ(kernel().view_lookup(*a, Crd::Type::mem, V::host, 0x10), nullptr);
}

TEST_F(Revoke_rules, RevokingPartOfAMappingTouchesOnlyChildrenThatMapThatPart)
{
    give_root(mem(0x100, 4));
    delegate(root(), *a, mem(0x100, 2), mem(0x10, 2)); // frames 0x100..0x103
    delegate(root(), *b, mem(0x108, 2), mem(0x10, 2)); // frames 0x108..0x10b
    revoke(root(), mem(0x108, 2), false);
    EXPECT_NE(lookup(*a, mem(0x10)), Crd{});
    EXPECT_EQ(lookup(*b, mem(0x10)), Crd{});
    EXPECT_EQ(lookup(root(), mem(0x100)), mem(0x100, 4, 0x7));
}

TEST_F(Revoke_rules, RevokeThroughTheHypercallNeverFails)
{
    ASSERT_EQ(create_sm(70), Status::success);
    EXPECT_EQ(hypercall(Hypercall::revoke, 0, {.rsi = obj(5000, 4).raw()}), Status::success);
    EXPECT_EQ(hypercall(Hypercall::revoke, 0, {.rsi = 0}), Status::success);
    EXPECT_EQ(hypercall(Hypercall::revoke, 0, {.rsi = obj(70, 0, perm::sm_up).raw(), .flags = 1}),
              Status::success);
    EXPECT_EQ(rights(root(), obj(70)), perm::sm_dn);
}

TEST_F(Revoke_rules, LookupReturnsTheFullCrdOfTheMappingInEverySpace)
{
    give_root(mem(0x100, 4));
    give_root(pio(0x3f8, 3));
    ASSERT_EQ(create_sm(70), Status::success);
    for (auto [query, expected] : {std::pair{mem(0x10a), mem(0x100, 4, 0x7)},
                                   std::pair{pio(0x3fb), pio(0x3f8, 3, perm::pio_a)},
                                   std::pair{obj(70), obj(70, 0, initial_perm::sm)}}) {
        EXPECT_EQ(hypercall(Hypercall::lookup, 0, {.rsi = query.raw()}), Status::success);
        EXPECT_EQ(Crd{regs_.rsi}, expected);
    }
    EXPECT_EQ(hypercall(Hypercall::lookup, 0, {.rsi = mem(0x110).raw()}), Status::success);
    EXPECT_EQ(regs_.rsi, 0u);
}

} // namespace
} // namespace novatest
