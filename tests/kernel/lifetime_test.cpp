// An object dies exactly when its last capability and its last reference go.
#include "kernel_fixture.hpp"

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

// PD n holds the only capabilities of PD n+1 and of an EC in it. Revoking the first PD must
// dissolve the whole chain through the kernel's work list. The teardown runs on a thread with a
// 128 KiB stack: a teardown that recursed once per level would overflow it.
class Lifetime_chain : public Kernel_test {
  protected:
    static constexpr mword levels = 3000;
    Lifetime_chain()
        : Kernel_test{sim::Machine_config{.ram_bytes = 256ull << 20,
                                          .kernel_bytes = 192ull << 20,
                                          .sel_bits = 10}}
    {
    }

    // As `ec` (in PD n, which holds a capability of the root PD at selector 1): create PD n+1
    // at selector 2 and a local EC in it at selector 3.
    Ec* grow(Ec& ec)
    {
        Sys_regs r{};
        r.rdi = Sys_regs::word(Hypercall::create_pd, 0, 2);
        r.rsi = 1;
        kernel().syscall(ec, r);
        if (r.status() != Status::success) return nullptr;
        Pd* next = object_at<Pd>(2, ec.pd);
        kernel().delegate(root(), *next, Delegation{Crd{Crd::Type::obj, root_pd_sel, 0, 0x1f},
                                                    Crd{Crd::Type::obj, 1, 0, 0x1f}});
        r = Sys_regs{};
        r.rdi = Sys_regs::word(Hypercall::create_ec, 0, 3);
        r.rsi = 2;
        r.rdx = 0x10000;
        kernel().syscall(ec, r);
        return r.status() == Status::success ? object_at<Ec>(3, ec.pd) : nullptr;
    }
};

void* revoke_on_small_stack(void* arg)
{
    auto* test = static_cast<std::pair<Kernel*, Pd*>*>(arg);
    test->first->revoke(*test->second, Crd{Crd::Type::obj, 64, 0, perm::all}, true);
    return nullptr;
}

TEST_F(Lifetime_chain, ALongChainOfPdsDiesWithoutRecursion)
{
    ASSERT_EQ(create_pd(64), Status::success);
    Pd* first = object_at<Pd>(64);
    kernel().delegate(root(), *first, Delegation{Crd{Crd::Type::obj, root_pd_sel, 0, 0x1f},
                                                 Crd{Crd::Type::obj, 1, 0, 0x1f}});
    ASSERT_EQ(hypercall(Hypercall::create_ec, 65, {.rsi = 64, .rdx = 0x10000}), Status::success);
    Ec* ec = object_at<Ec>(65);
    for (mword i = 0; i < levels; ++i) {
        ec = grow(*ec);
        ASSERT_NE(ec, nullptr) << "level " << i;
    }
    usize pds = kernel().live_objects(Object_type::pd);
    ASSERT_GE(pds, levels + 1);
    kernel().revoke(root(), Crd{Crd::Type::obj, 65, 0, perm::all}, true);
    std::pair<Kernel*, Pd*> arg{&kernel(), &root()};
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 128 * 1024);
    pthread_t thread;
    ASSERT_EQ(pthread_create(&thread, &attr, revoke_on_small_stack, &arg), 0);
    pthread_join(thread, nullptr);
    pthread_attr_destroy(&attr);
    expect_invariants();
    EXPECT_EQ(kernel().live_objects(Object_type::pd), pds - levels - 1);
}

} // namespace
} // namespace novatest
