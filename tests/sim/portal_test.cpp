// Portal calls on the caller's flow: a local EC's handler runs nested in the call, sees the PID
// and the caller's words, and its return is the reply.
#include "sim_fixture.hpp"

namespace simtest {
namespace {

constexpr mword handler_ec = 40, portal = 41;

// The root creates a local EC with one portal whose handler is `handler`.
void make_portal(Env& env, sim::Userland::Handler handler, mword pid = 0)
{
    mword ip = env.userland().portal(std::move(handler));
    ASSERT_EQ(env.create_ec({.sel = handler_ec, .utcb = utcb_at(0)}), Status::success);
    ASSERT_EQ(env.create_pt(portal, handler_ec, ip), Status::success);
    if (pid != 0) {
        ASSERT_EQ(env.pt_ctrl(portal, pid), Status::success);
    }
}

TEST(Portal, HandlerSeesPidAndWordsAndRepliesWords)
{
    sim::Machine m{config()};
    std::vector<mword> seen;
    auto result = m.run([&](Env& env) {
        make_portal(
            env,
            [&](Env& h, mword pid) {
                seen = {pid, h.words(), h.word(0), h.word(1)};
                h.set_words({h.word(0) + h.word(1), 42, 43});
            },
            0x1234);
        env.set_words({3, 4});
        EXPECT_EQ(env.call(portal), Status::success);
        ASSERT_EQ(env.words(), 3u);
        EXPECT_EQ(env.word(0), 7u);
        EXPECT_EQ(env.word(1), 42u);
        EXPECT_EQ(env.word(2), 43u);
    });
    EXPECT_EQ(result.stop, sim::Stop::idle);
    EXPECT_EQ(seen, (std::vector<mword>{0x1234, 2, 3, 4}));
    expect_invariants(m);
}

TEST(Portal, HandlerRunsOnTheCallersFlowAndTime)
{
    sim::Machine m{config()};
    std::uint64_t in_handler = 0, after = 0;
    m.run([&](Env& env) {
        make_portal(env, [&](Env& h, mword) {
            h.charge(10'000);
            in_handler = h.tsc();
        });
        std::uint64_t before = env.tsc();
        EXPECT_EQ(env.call(portal), Status::success);
        after = env.tsc();
        EXPECT_GE(in_handler, before + 10'000);
    });
    EXPECT_GE(after, in_handler);
    // One flow only: the root's. The handler never got a dispatch of its own.
    auto dispatches = events_of(m, sim::Event::Kind::dispatch);
    for (auto const& d : dispatches) EXPECT_TRUE(d.a == 0 || d.a == 1) << sim::to_string(d);
}

TEST(Portal, NonblockingCallToAnIdleHandlerSucceeds)
{
    sim::Machine m{config()};
    m.run([&](Env& env) {
        make_portal(env, [](Env&, mword) {});
        EXPECT_EQ(env.call(portal, true), Status::success);
    });
    expect_invariants(m);
}

TEST(Portal, NestedCallsUnwindInOrder)
{
    sim::Machine m{config()};
    std::vector<std::string> trace;
    m.run([&](Env& env) {
        mword inner_ip = env.userland().portal([&](Env&, mword) { trace.push_back("inner"); });
        mword outer_ip = env.userland().portal([&](Env& h, mword) {
            trace.push_back("outer in");
            EXPECT_EQ(h.call(51), Status::success);
            trace.push_back("outer out");
        });
        ASSERT_EQ(env.create_ec({.sel = 40, .utcb = utcb_at(0)}), Status::success);
        ASSERT_EQ(env.create_ec({.sel = 41, .utcb = utcb_at(1)}), Status::success);
        ASSERT_EQ(env.create_pt(50, 40, outer_ip), Status::success);
        ASSERT_EQ(env.create_pt(51, 41, inner_ip), Status::success);
        EXPECT_EQ(env.call(50), Status::success);
        trace.push_back("root");
    });
    EXPECT_EQ(trace, (std::vector<std::string>{"outer in", "inner", "outer out", "root"}));
    expect_invariants(m);
}

TEST(Portal, UnknownPortalIpKillsTheHandlerAndAbortsTheCall)
{
    sim::Machine m{config()};
    m.run([&](Env& env) {
        ASSERT_EQ(env.create_ec({.sel = handler_ec, .utcb = utcb_at(0)}), Status::success);
        ASSERT_EQ(env.create_pt(portal, handler_ec, 0xdead'0000), Status::success);
        EXPECT_EQ(env.call(portal), Status::aborted);
    });
    expect_invariants(m);
}

TEST(Portal, HandlerKilledByAnUnhandledFaultUnwindsWithoutReply)
{
    sim::Machine m{config()};
    bool after_fault = false;
    m.run([&](Env& env) {
        make_portal(env, [&](Env& h, mword) {
            (void)h.load<std::uint64_t>(0x5000'0000); // no mapping, no exception portal
            after_fault = true;
        });
        EXPECT_EQ(env.call(portal), Status::aborted);
        // The dead handler's portal does not serve again.
        EXPECT_NE(env.call(portal), Status::success);
    });
    EXPECT_FALSE(after_fault);
    auto ends = events_of(m, sim::Event::Kind::handler_end);
    ASSERT_FALSE(ends.empty());
    EXPECT_EQ(ends.front().b, 0u); // killed, no reply
    expect_invariants(m);
}

} // namespace
} // namespace simtest
