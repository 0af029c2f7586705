// Several CPUs: IPIs arrive after their latency, idle CPUs jump to their next event, timers fire
// at their deadline, and lockstep keeps the CPUs' work in global time order.
#include "scenario.hpp"

namespace simtest {
namespace {

constexpr mword done_sm = 50;

TEST(MultiCpu, RemoteStartArrivesByIpiAfterItsLatency)
{
    sim::Machine m{config(2)};
    std::uint32_t ran_on = 99;
    m.run([&](Env& env) {
        Starter starter{env};
        starter.prepare_cpu(1);
        ASSERT_EQ(env.create_sm(done_sm), Status::success);
        starter.start(0, 1, 1, [&](Env& g) {
            ran_on = g.cpu();
            EXPECT_EQ(g.sm_up(done_sm), Status::success);
        });
        EXPECT_EQ(env.sm_down(done_sm), Status::success);
    });
    EXPECT_EQ(ran_on, 1u);
    auto sends = events_of(m, sim::Event::Kind::ipi_send);
    auto deliveries = events_of(m, sim::Event::Kind::ipi_deliver);
    ASSERT_GE(sends.size(), 1u);
    ASSERT_GE(deliveries.size(), 1u);
    EXPECT_EQ(sends[0].cpu, 0u);
    EXPECT_EQ(sends[0].a, 1u);
    EXPECT_EQ(sends[0].b, sends[0].time + m.config().ipi_latency);
    EXPECT_EQ(deliveries[0].cpu, 1u);
    EXPECT_EQ(deliveries[0].time, sends[0].b); // CPU 1 idled: its clock jumped to the arrival
    expect_invariants(m);
}

TEST(MultiCpu, SemaphoreTimeoutFiresAtItsDeadlineOnAnIdleCpu)
{
    sim::Machine m{config(2)};
    std::uint64_t deadline = 0, woke = 0;
    Status status = Status::success;
    m.run([&](Env& env) {
        Starter starter{env};
        starter.prepare_cpu(1);
        ASSERT_EQ(env.create_sm(done_sm), Status::success);
        ASSERT_EQ(env.create_sm(51), Status::success);
        starter.start(0, 1, 1, [&](Env& g) {
            deadline = g.tsc() + 100'000;
            status = g.sm_down(51, false, deadline);
            woke = g.tsc();
            EXPECT_EQ(g.sm_up(done_sm), Status::success);
        });
        EXPECT_EQ(env.sm_down(done_sm), Status::success);
    });
    EXPECT_EQ(status, Status::timeout);
    EXPECT_GE(woke, deadline);
    bool fired = false;
    for (auto const& e : events_of(m, sim::Event::Kind::timer_fire)) {
        fired = fired || (e.cpu == 1 && e.time == deadline);
    }
    EXPECT_TRUE(fired) << "no timer interrupt on CPU 1 at " << deadline;
    expect_invariants(m);
}

// Each CPU's code records its time after every step of work; lockstep makes the records
// of all CPUs one non-decreasing sequence.
TEST(MultiCpu, LockstepKeepsWorkInGlobalTimeOrder)
{
    constexpr std::uint32_t cpus = 3;
    sim::Machine m{config(cpus)};
    std::vector<std::pair<std::uint64_t, std::uint32_t>> steps;
    m.run([&](Env& env) {
        Starter starter{env};
        ASSERT_EQ(env.create_sm(done_sm), Status::success);
        for (std::uint32_t cpu = 0; cpu < cpus; ++cpu) {
            starter.prepare_cpu(cpu);
            starter.start(cpu, cpu, 1, [&](Env& g) {
                for (int i = 0; i < 30; ++i) {
                    g.charge(700 + 300 * g.cpu());
                    steps.emplace_back(g.tsc(), g.cpu());
                }
                EXPECT_EQ(g.sm_up(done_sm), Status::success);
            });
        }
        for (std::uint32_t i = 0; i < cpus; ++i) EXPECT_EQ(env.sm_down(done_sm), Status::success);
    });
    ASSERT_EQ(steps.size(), 30u * cpus);
    for (std::size_t i = 1; i < steps.size(); ++i) {
        EXPECT_LE(steps[i - 1].first, steps[i].first)
            << "step " << i << " on cpu " << steps[i].second;
    }
    expect_invariants(m);
}

TEST(MultiCpu, CycleLimitStopsAndALaterRunContinues)
{
    sim::Machine m{config(2)};
    bool root_done = false;
    auto first = m.run(
        [&](Env& env) {
            Starter starter{env};
            starter.prepare_cpu(1);
            ASSERT_EQ(env.create_sm(done_sm), Status::success);
            starter.start(0, 1, 1, [&](Env& g) {
                for (int i = 0; i < 100; ++i) g.charge(10'000);
                EXPECT_EQ(g.sm_up(done_sm), Status::success);
            });
            EXPECT_EQ(env.sm_down(done_sm), Status::success);
            root_done = true;
        },
        {.until_tsc = 200'000});
    EXPECT_EQ(first.stop, sim::Stop::cycle_limit);
    EXPECT_FALSE(root_done);
    EXPECT_LE(m.engine().tsc(1), 200'000u + 10'000u);
    auto second = m.run();
    EXPECT_EQ(second.stop, sim::Stop::idle);
    EXPECT_TRUE(root_done);
    expect_invariants(m);
}

TEST(MultiCpu, DispatchLimitStops)
{
    sim::Machine m{config(2)};
    auto result = m.run(
        [&](Env& env) {
            Starter starter{env};
            starter.prepare_cpu(1);
            ASSERT_EQ(env.create_sm(done_sm), Status::success);
            starter.start(0, 1, 1, [&](Env& g) {
                for (int i = 0; i < 10; ++i) EXPECT_EQ(g.sm_down(done_sm), Status::success);
            });
            for (int i = 0; i < 10; ++i) EXPECT_EQ(env.sm_up(done_sm), Status::success);
        },
        {.dispatches = 3});
    EXPECT_EQ(result.stop, sim::Stop::dispatch_limit);
    EXPECT_EQ(result.dispatches, 3u);
    EXPECT_EQ(m.run().stop, sim::Stop::idle);
    expect_invariants(m);
}

// ec_ctrl on CPU 0 recalls a flow that computes on CPU 1: the IPI makes it enter the kernel at
// its next lockstep point, and its return to user delivers RECALL (evt+0x1f).
TEST(MultiCpu, RecallReachesARemoteFlowByIpi)
{
    sim::Machine m{config(2)};
    bool recalled = false;
    int rounds = 0;
    m.run([&](Env& env) {
        Starter starter{env};
        starter.prepare_cpu(1);
        ASSERT_EQ(env.create_sm(done_sm), Status::success);
        mword on_recall = env.userland().portal([&](Env& h, mword) {
            recalled = true;
            h.utcb().arch.mtd = 0;
        });
        ASSERT_EQ(env.create_pt(evt_of(0) + 0x1f, startup_handler_sel(1), on_recall),
                  Status::success);
        starter.start(0, 1, 1, [&](Env& g) {
            while (!recalled && rounds < 1000) {
                g.charge(1000);
                (void)g.lookup(Crd{});
                ++rounds;
            }
            EXPECT_EQ(g.sm_up(done_sm), Status::success);
        });
        env.charge(50'000);
        EXPECT_EQ(env.ec_ctrl(global_sel(0)), Status::success);
        EXPECT_EQ(env.sm_down(done_sm), Status::success);
    });
    EXPECT_TRUE(recalled);
    EXPECT_LT(rounds, 1000);
    expect_invariants(m);
}

} // namespace
} // namespace simtest
