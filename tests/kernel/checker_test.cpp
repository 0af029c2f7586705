// The invariant checker must notice broken invariants, or it proves nothing.
#include "kernel_fixture.hpp"

#include <string>

namespace novatest {
namespace {

// Each case runs with the whole check and with the check of the changes, which walks only the
// spaces whose version moved since it last walked them; `settled` checks the sound state first,
// so that the check of the changes has walked everything once before the damage.
enum class Scope { everything, changes };

class Checker_detects : public Kernel_test, public ::testing::WithParamInterface<Scope> {
  protected:
    std::string broken()
    {
        Check_result c =
            GetParam() == Scope::everything ? kernel().check() : kernel().check_changes();
        return c.ok() ? "" : c.invariant;
    }

    void settled() { ASSERT_EQ(broken(), ""); }
};

TEST_P(Checker_detects, AReferenceCountThatDoesNotMatchTheReferences)
{
    ASSERT_EQ(create_sm(64), Status::success);
    Sm* sm = object_at<Sm>(64);
    settled();
    sm->acquire();
    EXPECT_EQ(broken(), "refcount equals references");
    EXPECT_FALSE(sm->release());
    EXPECT_EQ(broken(), "");
}

TEST_P(Checker_detects, RightsWiderThanTheSource)
{
    ASSERT_EQ(create_sm(64), Status::success);
    copy_cap(64, 65, perm::sm_up);
    Mdb_node* copy = root().obj.lookup(65);
    settled();
    copy->set_perms(perm::sm_up | perm::sm_dn | perm::all);
    EXPECT_EQ(broken(), "delegated rights are a subset of the source's");
    copy->set_perms(perm::sm_up);
    EXPECT_EQ(broken(), "");
}

TEST_P(Checker_detects, ALocalEcWithAnSc)
{
    ASSERT_EQ(create_ec(64, 0x10000, 0, false), Status::success);
    Ec* ec = object_at<Ec>(64);
    settled();
    ++ec->bound_scs;
    EXPECT_EQ(broken(), "a local EC never owns an SC");
    --ec->bound_scs;
}

TEST_P(Checker_detects, AnScWithAnInvalidPriority)
{
    ASSERT_EQ(create_ec(64, 0x10000, 0, true), Status::success);
    ASSERT_EQ(create_sc(65, 64), Status::success);
    Sc* sc = object_at<Sc>(65);
    settled();
    sc->budget_tsc = sc->quantum_tsc + 1;
    EXPECT_EQ(broken(), "budget never exceeds the quantum");
    sc->budget_tsc = sc->quantum_tsc;
}

TEST_P(Checker_detects, ANodeWithoutRights)
{
    ASSERT_EQ(create_sm(64), Status::success);
    Mdb_node* n = root().obj.lookup(64);
    settled();
    n->set_perms(0);
    EXPECT_EQ(broken(), "a node has rights");
    n->set_perms(initial_perm::sm);
}

// A derivation link bent behind the radix table's back moves no version: only the whole check
// walks the space and sees it. Once anything in that space changes, the check of the changes
// walks it all again and finds the bent link too.
TEST_P(Checker_detects, ABentLinkOnlyWhenItWalksTheSpace)
{
    ASSERT_EQ(create_sm(64), Status::success);
    ASSERT_EQ(create_sm(65), Status::success);
    settled();
    Mdb_node* n = root().obj.lookup(64);
    Mdb_node* saved = n->next;
    n->next = root().obj.lookup(65);
    EXPECT_EQ(broken(), GetParam() == Scope::everything ? "derivation links are symmetric" : "");
    root().obj.radix.touch(); // as any insert, removal or change of rights there does
    EXPECT_EQ(broken(), "derivation links are symmetric");
    n->next = saved;
    EXPECT_EQ(broken(), "");
}

// A space that did not change still counts: its references, taken from the last walk, match
// the refcounts of the objects it names.
TEST_P(Checker_detects, AReferenceDroppedFromAnObjectInAnUnchangedSpace)
{
    ASSERT_EQ(create_sm(64), Status::success);
    copy_cap(64, 65, perm::sm_up);
    Sm* sm = object_at<Sm>(64);
    settled();
    EXPECT_FALSE(sm->release());
    EXPECT_EQ(broken(), "refcount equals references");
    sm->acquire();
    EXPECT_EQ(broken(), "");
}

INSTANTIATE_TEST_SUITE_P(Scopes, Checker_detects,
                         ::testing::Values(Scope::everything, Scope::changes),
                         [](auto const& info) {
                             return info.param == Scope::everything ? "Everything" : "Changes";
                         });

} // namespace
} // namespace novatest
