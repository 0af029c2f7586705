// Translate ([C14] §3.4) and the cases of Genode's test-nova that apply to [C14].
#include "capability_fixture.hpp"

namespace novatest {
namespace {

class Translate_rules : public Capability_test {
  protected:
    // The session capability of test-nova: root:70 (the server's) -> a:10 -> b:20.
    void session_chain()
    {
        ASSERT_EQ(create_sm(70), Status::success);
        delegate(root(), *a, obj(70), obj(10));
        delegate(*a, *b, obj(10), obj(20));
    }
    Crd translate(Pd& from, Pd& to, Crd crd, Crd window)
    {
        return kernel().translate(from, to, crd, window);
    }
};

TEST_F(Translate_rules, FindsTheReceiversOwnSelectorUpTheChain)
{
    session_chain();
    EXPECT_EQ(translate(*b, root(), obj(20), obj(0, 26)), obj(70, 0, initial_perm::sm));
    EXPECT_EQ(translate(*b, *a, obj(20), obj(0, 26)), obj(10, 0, initial_perm::sm));
    EXPECT_EQ(translate(*a, root(), obj(10), obj(0, 26)), obj(70, 0, initial_perm::sm));
}

TEST_F(Translate_rules, OnlyMappingsInsideTheTranslateWindowCount)
{
    session_chain();
    EXPECT_EQ(translate(*b, root(), obj(20), obj(64, 3)), obj(70, 0, initial_perm::sm));
    EXPECT_EQ(translate(*b, root(), obj(20), obj(80, 3)), Crd{});
}

TEST_F(Translate_rules, IsNullWithoutAnAncestorInTheReceiver)
{
    session_chain();
    EXPECT_EQ(translate(root(), *b, obj(70), obj(0, 26)), Crd{}) << "descendants do not count";
    EXPECT_EQ(translate(*b, root(), obj(21), obj(0, 26)), Crd{}) << "an empty selector";
    EXPECT_EQ(translate(*b, root(), obj(20), mem(0, 26)), Crd{}) << "a window of another type";
}

TEST_F(Translate_rules, CarriesTheSendersRights)
{
    ASSERT_EQ(create_sm(70), Status::success);
    delegate(root(), *a, obj(70, 0, perm::sm_up), obj(10));
    EXPECT_EQ(translate(*a, root(), obj(10), obj(0, 26)), obj(70, 0, perm::sm_up));
}

TEST_F(Translate_rules, TranslatesMemoryWithItsOffset)
{
    give_root(mem(0x100, 4));
    delegate(root(), *a, mem(0x104, 2), mem(0x40, 2));
    EXPECT_EQ(translate(*a, root(), mem(0x42), mem(0, 20)), mem(0x106, 0, 0x7));
}

TEST_F(Translate_rules, TranslatesPortsToTheSamePort)
{
    give_root(pio(0x3f8, 3));
    delegate(root(), *a, pio(0x3fc, 2), pio(0x3fc, 2));
    EXPECT_EQ(translate(*a, root(), pio(0x3fd), pio(0, 16)), pio(0x3fd, 0, perm::pio_a));
}

TEST_F(Translate_rules, RevokeChainsFollowTheDerivationTree)
{
    session_chain();
    delegate(*a, *b, obj(10), obj(21));
    revoke(*a, obj(10), false);
    EXPECT_EQ(lookup(*b, obj(20)), Crd{});
    EXPECT_EQ(lookup(*b, obj(21)), Crd{});
    EXPECT_EQ(lookup(*a, obj(10)), obj(10, 0, initial_perm::sm));
}

TEST_F(Translate_rules, LookupShowsEachCopyWithItsRights)
{
    ASSERT_EQ(create_sm(70), Status::success);
    delegate(root(), *a, obj(70, 0, perm::sm_up), obj(10));
    delegate(root(), *a, obj(70), obj(11));
    EXPECT_EQ(lookup(*a, obj(10)), obj(10, 0, perm::sm_up));
    EXPECT_EQ(lookup(*a, obj(11)), obj(11, 0, initial_perm::sm));
}

TEST_F(Translate_rules, ASelectorIsReusableAfterRevoke)
{
    session_chain();
    ASSERT_EQ(create_sm(71), Status::success);
    revoke(*b, obj(20), true);
    EXPECT_EQ(lookup(*b, obj(20)), Crd{});
    delegate(root(), *b, obj(71), obj(20));
    EXPECT_EQ(object_at<Sm>(20, b), object_at<Sm>(71));
}

TEST_F(Translate_rules, DissolvingTheOriginalInvalidatesAllDelegatedCopies)
{
    session_chain();
    usize sms = kernel().live_objects(Object_type::sm);
    revoke(root(), obj(70), true);
    EXPECT_EQ(lookup(*a, obj(10)), Crd{});
    EXPECT_EQ(lookup(*b, obj(20)), Crd{});
    EXPECT_EQ(kernel().live_objects(Object_type::sm), sms - 1);
}

} // namespace
} // namespace novatest
