// An object dies exactly when its last capability and its last reference go.
#include "kernel_fixture.hpp"
#include "sim/env.hpp"
#include "sim/userland.hpp"

#include <pthread.h>

#include <utility>

namespace novatest {
namespace {

class Lifetime : public Kernel_test {
  protected:
    void revoke_cap(mword sel, Pd* pd = nullptr)
    {
        kernel().revoke(pd != nullptr ? *pd : root(), Crd{Crd::Type::obj, sel, 0, perm::all}, true);
        expect_invariants();
    }
    usize live(Object_type t) { return kernel().live_objects(t); }
};

TEST_F(Lifetime, AnObjectDiesWithItsOnlyCapability)
{
    ASSERT_EQ(create_sm(64), Status::success);
    usize before = live(Object_type::sm);
    revoke_cap(64);
    EXPECT_EQ(live(Object_type::sm), before - 1);
    EXPECT_EQ(object_at<Sm>(64), nullptr);
}

TEST_F(Lifetime, AnObjectLivesWhileAnyDelegatedCopyRemains)
{
    ASSERT_EQ(create_sm(64), Status::success);
    ASSERT_EQ(create_pd(65, Crd{Crd::Type::obj, 64, 0, perm::all}), Status::success);
    Sm* sm = object_at<Sm>(64);
    EXPECT_EQ(sm->refcount(), 2u);
    kernel().revoke(root(), Crd{Crd::Type::obj, 64, 0, perm::all}, false);
    EXPECT_EQ(object_at<Sm>(0, object_at<Pd>(65)), nullptr) << "revoke removed the copy";
    EXPECT_EQ(sm->refcount(), 1u);
    EXPECT_EQ(object_at<Sm>(64), sm);
}

TEST_F(Lifetime, RevokingTheOriginalInvalidatesDelegatedCopies)
{
    ASSERT_EQ(create_sm(64), Status::success);
    ASSERT_EQ(create_pd(65, Crd{Crd::Type::obj, 64, 0, perm::all}), Status::success);
    usize before = live(Object_type::sm);
    revoke_cap(64);
    EXPECT_EQ(object_at<Sm>(0, object_at<Pd>(65)), nullptr);
    EXPECT_EQ(live(Object_type::sm), before - 1);
}

TEST_F(Lifetime, AnEcOutlivesItsCapabilityWhileAnScIsBoundToIt)
{
    ASSERT_EQ(create_ec(64, 0x10000, 0, true), Status::success);
    ASSERT_EQ(create_sc(65, 64), Status::success);
    Ec* ec = object_at<Ec>(64);
    usize ecs = live(Object_type::ec);
    revoke_cap(64);
    EXPECT_EQ(live(Object_type::ec), ecs) << "the SC still references the EC";
    EXPECT_EQ(ec->refcount(), 1u);
    EXPECT_NE(root().mem.lookup(0x10000 >> page_bits), nullptr) << "UTCB stays while EC lives";
    revoke_cap(65);
    EXPECT_EQ(live(Object_type::ec), ecs - 1);
    EXPECT_EQ(root().mem.lookup(0x10000 >> page_bits), nullptr) << "UTCB went with the EC";
}

TEST_F(Lifetime, APortalKeepsItsEcAlive)
{
    ASSERT_EQ(create_ec(64, 0x10000, 0, false), Status::success);
    ASSERT_EQ(create_pt(65, 64), Status::success);
    usize ecs = live(Object_type::ec);
    revoke_cap(64);
    EXPECT_EQ(live(Object_type::ec), ecs);
    revoke_cap(65);
    EXPECT_EQ(live(Object_type::ec), ecs - 1);
}

TEST_F(Lifetime, APdDiesWithItsLastCapabilityAndTakesItsSpacesAlong)
{
    ASSERT_EQ(create_sm(70), Status::success);
    ASSERT_EQ(create_pd(64, Crd{Crd::Type::obj, 70, 0, perm::all}), Status::success);
    usize pds = live(Object_type::pd);
    usize nodes = kernel().live_nodes();
    revoke_cap(64);
    EXPECT_EQ(live(Object_type::pd), pds - 1);
    EXPECT_EQ(kernel().live_nodes(), nodes - 2) << "the PD's cap and its copy of the SM went";
    EXPECT_EQ(object_at<Sm>(70)->refcount(), 1u);
}

TEST_F(Lifetime, AnEcPinsItsPd)
{
    ASSERT_EQ(create_pd(64), Status::success);
    Pd* child = object_at<Pd>(64);
    ASSERT_EQ(hypercall(Hypercall::create_ec, 65, {.rsi = 64, .rdx = 0x10000}), Status::success);
    usize pds = live(Object_type::pd);
    revoke_cap(64);
    EXPECT_EQ(live(Object_type::pd), pds) << "the EC still references its PD";
    EXPECT_NE(child->mem.lookup(0x10000 >> page_bits), nullptr);
    revoke_cap(65);
    EXPECT_EQ(live(Object_type::pd), pds - 1);
}

// PD n holds the only capabilities of PD n+1 and of the EC and portal that serve it. Revoking the
// first PD must dissolve the whole chain through the kernel's work list. The teardown runs on a
// thread with a 128 KiB stack: a teardown that recursed once per level would overflow it.
//
// The chain is built through IPC: the handler of level n (a local EC in PD n, whose selector 0
// names the root PD) creates PD n+1, its EC and portal, and replies the portal to the root as a
// typed delegate item; the root calls it to build the next level.
class Lifetime_chain : public Kernel_test {
  protected:
    static constexpr mword levels = 3000;
    static constexpr mword portal_sel = 500; // the root's copies of the newest level's portal
    Lifetime_chain()
        : Kernel_test{sim::Machine_config{
              .ram_bytes = 256ull << 20, .kernel_bytes = 192ull << 20, .sel_bits = 10}}
    {
    }

    static void grow(sim::Env& h)
    {
        ASSERT_EQ(h.create_pd(2, Crd{Crd::Type::obj, 0, 0, perm::all}, 0), Status::success);
        ASSERT_EQ(h.create_ec({.sel = 3, .utcb = 0x10000, .owner = 2}), Status::success);
        ASSERT_EQ(h.create_pt(4, 3, h.ec().regs.rip, 0, 0), Status::success);
        h.set_words({});
        h.add_delegate(Crd{Crd::Type::obj, 4, 0, perm::all});
    }
};

void* revoke_on_small_stack(void* arg)
{
    auto* k = static_cast<Kernel*>(arg);
    k->revoke(k->root_pd(), Crd{Crd::Type::obj, 64, 1, perm::all}, true); // PD 1 and its EC
    return nullptr;
}

TEST_F(Lifetime_chain, ALongChainOfPdsDiesWithoutRecursion)
{
    sim::Env root{machine_, kernel().root_ec()};
    mword handler = root.userland().portal([](sim::Env& h, mword) { grow(h); });
    ASSERT_EQ(root.create_pd(64, Crd{Crd::Type::obj, root_pd_sel, 0, perm::all}), Status::success);
    ASSERT_EQ(root.create_ec({.sel = 65, .utcb = 0x10000, .owner = 64}), Status::success);
    ASSERT_EQ(root.create_pt(portal_sel, 65, handler), Status::success);
    // Two selectors in turn: the reply cannot overmap the portal that is being called.
    for (mword level = 0; level < levels; ++level) {
        mword current = portal_sel + level % 2, next = portal_sel + (level + 1) % 2;
        root.set_receive_window(Crd{Crd::Type::obj, next, 0, perm::all});
        ASSERT_EQ(root.call(current), Status::success) << "level " << level;
        ASSERT_NE(object_at<Pt>(next), nullptr) << "level " << level;
        root.revoke(Crd{Crd::Type::obj, current, 0, perm::all}, true);
    }
    expect_invariants();
    usize pds = kernel().live_objects(Object_type::pd);
    ASSERT_GE(pds, levels + 1);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 128 * 1024);
    pthread_t thread;
    ASSERT_EQ(pthread_create(&thread, &attr, revoke_on_small_stack, &kernel()), 0);
    pthread_join(thread, nullptr);
    pthread_attr_destroy(&attr);
    expect_invariants();
    EXPECT_EQ(kernel().live_objects(Object_type::pd), pds - levels - 1);
}

} // namespace
} // namespace novatest
