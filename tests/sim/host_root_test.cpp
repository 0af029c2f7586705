// The root EC driven from the host thread (Machine::hypercall_as_root, or an Env on the host
// thread): a blocking hypercall runs the rest of the machine until the root gets its CPU back.
#include "scenario.hpp"

namespace simtest {
namespace {

constexpr mword sm = 50;

TEST(HostRoot, BlockingHypercallRunsTheRestOfTheMachine)
{
    sim::Machine m{config(2)};
    Env root{m, m.kernel().root_ec()};
    Starter starter{root};
    starter.prepare_cpu(1);
    ASSERT_EQ(root.create_sm(sm), Status::success);
    bool ran = false;
    starter.start(0, 1, 1, [&](Env& g) {
        g.charge(5000);
        ran = true;
        EXPECT_EQ(g.sm_up(sm), Status::success);
    });
    EXPECT_EQ(root.sm_down(sm), Status::success);
    EXPECT_TRUE(ran);
    expect_invariants(m);
}

TEST(HostRoot, RunStopsWhenTheRootGetsItsCpu)
{
    sim::Machine m{config(1)};
    Env root{m, m.kernel().root_ec()};
    Starter starter{root};
    starter.prepare_cpu(0);
    bool ran = false;
    // Below the root's priority the global EC waits until the root blocks or yields its CPU.
    starter.start(0, 0, 1, [&](Env&) { ran = true; });
    EXPECT_FALSE(ran);
    // A higher priority preempts on the return from the hypercall that made it ready, as
    // [C14] reschedules on the way out of the kernel.
    starter.start(1, 0, 2, [&](Env&) { ran = true; });
    EXPECT_TRUE(ran);
    EXPECT_EQ(m.run().stop, sim::Stop::root);
    expect_invariants(m);
}

TEST(HostRoot, BlockingWithNothingLeftToRunIsAnError)
{
    sim::Machine m{config(1)};
    Env root{m, m.kernel().root_ec()};
    ASSERT_EQ(root.create_sm(sm), Status::success);
    EXPECT_THROW(root.sm_down(sm), sim::Simulation_error);
}

TEST(HostRoot, HypercallsBeforeTheRootComponentStartsAreTheRootsOwn)
{
    sim::Machine m{config(1)};
    Env root{m, m.kernel().root_ec()};
    ASSERT_EQ(root.create_sm(sm, 1), Status::success);
    bool took = false;
    EXPECT_EQ(m.run([&](Env& env) { took = env.sm_down(sm) == Status::success; }).stop,
              sim::Stop::idle);
    EXPECT_TRUE(took);
    EXPECT_THROW(m.run([](Env&) {}), sim::Simulation_error); // the root component runs once
}

} // namespace
} // namespace simtest
