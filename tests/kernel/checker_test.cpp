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

// After a few changes the check of the changes looks at the changed nodes only: one bent there
// is found, and the figures it keeps for the space are those a walk of the space finds.
TEST_P(Checker_detects, ABentLinkInANodeThatChanged)
{
    ASSERT_EQ(create_sm(64), Status::success);
    ASSERT_EQ(create_sm(65), Status::success);
    ASSERT_EQ(create_sm(66), Status::success);
    settled();
    Mdb_node* n = root().obj.lookup(66);
    Mdb_node* saved = n->next;
    n->next = root().obj.lookup(64);
    n->set_perms(n->perms()); // logged: the check of the changes looks at this node
    EXPECT_EQ(broken(), "derivation links are symmetric");
    n->next = saved;
    EXPECT_EQ(broken(), "");
}

using Checker_figures = Kernel_test;

TEST_F(Checker_figures, OfASpaceAfterLoggedChangesAreThoseOfAWalk)
{
    Space& obj = root().obj;
    ASSERT_TRUE(kernel().check_changes().ok());
    for (mword sel : {64, 65, 66}) ASSERT_EQ(create_sm(sel), Status::success);
    copy_cap(64, 67, perm::sm_up);
    ASSERT_TRUE(obj.radix.changes_logged_since(obj.checked.version));
    ASSERT_TRUE(kernel().check_changes().ok());
    Space::Checked logged = obj.checked;
    obj.radix.touch(); // the next check walks the space
    ASSERT_TRUE(kernel().check_changes().ok());
    EXPECT_EQ(logged.nodes, obj.checked.nodes);
    EXPECT_EQ(logged.references, obj.checked.references);
    EXPECT_EQ(logged.nodes, obj.radix.nodes());
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
                         [](auto const& scope) {
                             return scope.param == Scope::everything ? "Everything" : "Changes";
                         });

} // namespace
} // namespace novatest
