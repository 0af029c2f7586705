// The invariant checker must notice broken invariants, or it proves nothing.
#include "kernel_fixture.hpp"

#include <string>

namespace novatest {
namespace {

class Checker_detects : public Kernel_test {
  protected:
    std::string broken()
    {
        Check_result c = kernel().check();
        return c.ok() ? "" : c.invariant;
    }
};

TEST_F(Checker_detects, AReferenceCountThatDoesNotMatchTheReferences)
{
    ASSERT_EQ(create_sm(64), Status::success);
    Sm* sm = object_at<Sm>(64);
    sm->acquire();
    EXPECT_EQ(broken(), "refcount equals references");
    EXPECT_FALSE(sm->release());
    EXPECT_EQ(broken(), "");
}

TEST_F(Checker_detects, RightsWiderThanTheSource)
{
    ASSERT_EQ(create_sm(64), Status::success);
    copy_cap(64, 65, perm::sm_up);
    Mdb_node* copy = root().obj.lookup(65);
    copy->set_perms(perm::sm_up | perm::sm_dn | perm::all);
    EXPECT_EQ(broken(), "delegated rights are a subset of the source's");
    copy->set_perms(perm::sm_up);
    EXPECT_EQ(broken(), "");
}

TEST_F(Checker_detects, ALocalEcWithAnSc)
{
    ASSERT_EQ(create_ec(64, 0x10000, 0, false), Status::success);
    Ec* ec = object_at<Ec>(64);
    ++ec->bound_scs;
    EXPECT_EQ(broken(), "a local EC never owns an SC");
    --ec->bound_scs;
}

TEST_F(Checker_detects, AnScWithAnInvalidPriority)
{
    ASSERT_EQ(create_ec(64, 0x10000, 0, true), Status::success);
    ASSERT_EQ(create_sc(65, 64), Status::success);
    Sc* sc = object_at<Sc>(65);
    sc->budget_tsc = sc->quantum_tsc + 1;
    EXPECT_EQ(broken(), "budget never exceeds the quantum");
    sc->budget_tsc = sc->quantum_tsc;
}

TEST_F(Checker_detects, ANodeWithoutRights)
{
    ASSERT_EQ(create_sm(64), Status::success);
    Mdb_node* n = root().obj.lookup(64);
    n->set_perms(0);
    EXPECT_EQ(broken(), "a node has rights");
    n->set_perms(initial_perm::sm);
}

} // namespace
} // namespace novatest
