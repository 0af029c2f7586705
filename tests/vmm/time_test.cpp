// Simulated time for devices: the rounding rule of Tick_rate and the Timer_queue's order.
#include "vmm/time.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "vmm_fixture.hpp"

namespace {

using namespace vmm;

TEST(Tick_rate, RoundsCountsDownAndDeadlinesUp)
{
    Tick_rate const pit{1'193'182};
    // One PIT tick lasts 838.1 ns: complete at 839 ns, not at 838.
    EXPECT_EQ(pit.time_for(1), 839u);
    EXPECT_EQ(pit.ticks_in(838), 0u);
    EXPECT_EQ(pit.ticks_in(839), 1u);
    EXPECT_EQ(pit.ticks_in(ns_per_second), 1'193'182u);
    EXPECT_EQ(pit.time_for(1'193'182), ns_per_second);
}

TEST(Tick_rate, DeadlineIsTheFirstInstantTheCountIsReached)
{
    std::mt19937_64 random{vmm_test::seed()};
    for (Tick_rate rate : {Tick_rate{1'193'182}, Tick_rate{32'768}, Tick_rate{1'000'000'000, 128},
                           Tick_rate{100'000'000, 3}}) {
        for (int i = 0; i < 2000; ++i) {
            u64 const ticks = random() % (u64{1} << 40) + 1;
            Nanoseconds const at = rate.time_for(ticks);
            ASSERT_GE(rate.ticks_in(at), ticks) << vmm_test::seed_note();
            ASSERT_LT(rate.ticks_in(at - 1), ticks) << vmm_test::seed_note();
        }
    }
}

TEST(Tick_rate, SaturatesInsteadOfOverflowing)
{
    Tick_rate const slow{1};
    EXPECT_EQ(slow.time_for(~u64{0}), never);
    Tick_rate const fast{~u64{0}};
    EXPECT_EQ(fast.ticks_in(~u64{0}), ~u64{0});
}

TEST(Tick_rate, RefusesAZeroFrequency)
{
    EXPECT_THROW(Tick_rate(0), Config_error);
    EXPECT_THROW(Tick_rate(10, 0), Config_error);
    EXPECT_THROW(Tick_rate(10, (u64{1} << 32) + 1), Config_error);
}

TEST(Manual_clock, NeverGoesBackwards)
{
    Manual_clock clock;
    clock.advance_to(10);
    clock.advance_by(5);
    EXPECT_EQ(clock.now(), 15u);
    EXPECT_THROW(clock.advance_to(14), std::logic_error);
}

struct Queue_test : ::testing::Test {
    Manual_clock clock;
    Timer_queue queue{clock};
    std::vector<int> fired;
};

TEST_F(Queue_test, FiresInDeadlineOrderThenArmingOrder)
{
    Timer late{queue, [&] { fired.push_back(3); }};
    Timer first{queue, [&] { fired.push_back(1); }};
    Timer tie{queue, [&] { fired.push_back(2); }};
    late.arm_at(300);
    first.arm_at(100);
    tie.arm_at(100);
    EXPECT_EQ(queue.next_deadline(), 100u);
    clock.advance_to(99);
    EXPECT_EQ(queue.run_due(), 0u);
    clock.advance_to(300);
    EXPECT_EQ(queue.run_due(), 3u);
    EXPECT_EQ(fired, (std::vector<int>{1, 2, 3}));
    EXPECT_FALSE(first.armed());
    EXPECT_EQ(queue.next_deadline(), never);
}

TEST_F(Queue_test, RearmReplacesAndCancelRemoves)
{
    Timer timer{queue, [&] { fired.push_back(1); }};
    timer.arm_at(50);
    timer.arm_at(80);
    EXPECT_EQ(queue.armed_count(), 1u);
    EXPECT_EQ(timer.deadline(), 80u);
    timer.cancel();
    clock.advance_to(100);
    EXPECT_EQ(queue.run_due(), 0u);
    {
        Timer dying{queue, [&] { fired.push_back(2); }};
        dying.arm_at(100);
    }
    EXPECT_EQ(queue.armed_count(), 0u);
    EXPECT_TRUE(fired.empty());
}

TEST_F(Queue_test, ATimerRearmedForThePresentWaitsForTheNextRun)
{
    Timer* self = nullptr;
    Timer periodic{queue, [&] {
                       fired.push_back(1);
                       self->arm_at(clock.now()); // due again at once: a device bug
                   }};
    self = &periodic;
    periodic.arm_at(10);
    clock.advance_to(10);
    EXPECT_EQ(queue.run_due(), 1u);
    EXPECT_EQ(queue.run_due(), 1u);
    EXPECT_EQ(fired.size(), 2u);
    EXPECT_THROW(run_until(clock, queue, 20), std::logic_error);
}

TEST_F(Queue_test, ReportsEveryChangeOfTheNextDeadline)
{
    std::vector<Nanoseconds> reported;
    queue.on_deadline_change([&](Nanoseconds next) { reported.push_back(next); });
    Timer a{queue, [] {}};
    Timer b{queue, [] {}};
    a.arm_at(100);
    b.arm_at(200); // not the next deadline: nothing to report
    a.cancel();
    clock.advance_to(200);
    queue.run_due();
    EXPECT_EQ(reported, (std::vector<Nanoseconds>{100, 200, never}));
}

TEST_F(Queue_test, RunUntilStopsAtEachDeadline)
{
    std::vector<Nanoseconds> seen;
    Timer* self = nullptr;
    Timer periodic{queue, [&] {
                       seen.push_back(clock.now());
                       self->arm_at(clock.now() + 30);
                   }};
    self = &periodic;
    periodic.arm_at(30);
    run_until(clock, queue, 100);
    EXPECT_EQ(seen, (std::vector<Nanoseconds>{30, 60, 90}));
    EXPECT_EQ(clock.now(), 100u);
    EXPECT_EQ(periodic.deadline(), 120u);
}

// The state dump lists armed timers as they will fire; a cancelled one is gone.
TEST_F(Queue_test, DeadlinesListsArmedTimersInFiringOrder)
{
    Timer late{queue, [] {}};
    Timer early{queue, [] {}};
    Timer gone{queue, [] {}};
    EXPECT_TRUE(queue.deadlines().empty());
    late.arm_at(300), early.arm_at(100), gone.arm_at(200);
    gone.cancel();
    EXPECT_EQ(queue.deadlines(), (std::vector<Nanoseconds>{100, 300}));
}

} // namespace
