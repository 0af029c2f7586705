// Determinism (design.md §3): one scenario, one configuration, one seed — one schedule, byte for
// byte, as the event log's hash shows. Randomness (IPI jitter) comes only from the seed.
#include "scenario.hpp"

namespace simtest {
namespace {

constexpr mword ping = 50, pong = 51, done = 52, never_up = 53;

// Root on CPU 0 ping-pongs with a global EC on CPU 1 while a global EC on CPU 2 sleeps in
// semaphore timeouts; every step charges some work.
void ping_pong(Env& env)
{
    Starter starter{env};
    for (mword sm : {ping, pong, done, never_up}) ASSERT_EQ(env.create_sm(sm), Status::success);
    starter.prepare_cpu(1);
    starter.prepare_cpu(2);
    starter.start(0, 1, 1, [](Env& g) {
        for (int i = 0; i < 10; ++i) {
            EXPECT_EQ(g.sm_down(ping), Status::success);
            g.charge(333);
            EXPECT_EQ(g.sm_up(pong), Status::success);
        }
        EXPECT_EQ(g.sm_up(done), Status::success);
    });
    starter.start(1, 2, 1, [](Env& g) {
        for (int i = 0; i < 5; ++i) {
            EXPECT_EQ(g.sm_down(never_up, false, g.tsc() + 5000), Status::timeout);
            g.charge(1000);
        }
        EXPECT_EQ(g.sm_up(done), Status::success);
    });
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(env.sm_up(ping), Status::success);
        EXPECT_EQ(env.sm_down(pong), Status::success);
        env.charge(100);
    }
    EXPECT_EQ(env.sm_down(done), Status::success);
    EXPECT_EQ(env.sm_down(done), Status::success);
}

struct Outcome {
    std::uint64_t hash;
    std::vector<sim::Event> events;
};

Outcome run_ping_pong(sim::Machine_config const& c)
{
    sim::Machine m{c};
    auto result = m.run(ping_pong);
    EXPECT_EQ(result.stop, sim::Stop::idle);
    expect_invariants(m);
    return Outcome{m.log().hash(), m.log().records()};
}

// The first record where two runs differ, for the failure message.
std::string first_difference(Outcome const& a, Outcome const& b)
{
    std::size_t n = std::min(a.events.size(), b.events.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (sim::to_string(a.events[i]) != sim::to_string(b.events[i])) {
            return "event " + std::to_string(i) + ": " + sim::to_string(a.events[i]) + " vs " +
                   sim::to_string(b.events[i]);
        }
    }
    return "lengths " + std::to_string(a.events.size()) + " vs " + std::to_string(b.events.size());
}

TEST(Determinism, SameScenarioTwiceGivesTheSameLog)
{
    Outcome first = run_ping_pong(config(3));
    Outcome second = run_ping_pong(config(3));
    EXPECT_GT(first.events.size(), 100u);
    EXPECT_EQ(first.hash, second.hash) << first_difference(first, second);
}

TEST(Determinism, TheHashSeesTheConfiguration)
{
    sim::Machine_config slower = config(3);
    slower.ipi_latency = 777;
    EXPECT_NE(run_ping_pong(config(3)).hash, run_ping_pong(slower).hash);
}

TEST(Determinism, JitterFollowsTheSeed)
{
    std::uint64_t seed = test_seed();
    SCOPED_TRACE("NOVASIM_SEED=" + std::to_string(seed));
    auto jittery = [](std::uint64_t s) {
        sim::Machine_config c = config(3);
        c.ipi_jitter = 1000;
        c.seed = s;
        return c;
    };
    Outcome first = run_ping_pong(jittery(seed));
    Outcome again = run_ping_pong(jittery(seed));
    EXPECT_EQ(first.hash, again.hash) << first_difference(first, again);
    std::set<std::uint64_t> hashes{first.hash};
    for (std::uint64_t s = seed + 1; s < seed + 4; ++s)
        hashes.insert(run_ping_pong(jittery(s)).hash);
    EXPECT_GT(hashes.size(), 1u) << "IPI jitter should change the schedule with the seed";
}

} // namespace
} // namespace simtest
