// One simulated CPU's bookkeeping: time moves forward only, IPIs coalesce, and an idle CPU
// wakes at its next event.
#include "sim/processor.hpp"

#include <gtest/gtest.h>

namespace simtest {
namespace {

TEST(Processor, IdleWithoutEventsHasNoWork)
{
    sim::Processor p;
    EXPECT_EQ(p.wake_time(), sim::never);
}

TEST(Processor, IdleWakesAtTheEarliestEventButNeverInThePast)
{
    sim::Processor p;
    p.advance(1000);
    p.set_timer(5000);
    p.post_ipi(3000);
    EXPECT_EQ(p.wake_time(), 3000u);
    p.post_ipi(200);
    EXPECT_EQ(p.wake_time(), 1000u); // arrived while the CPU was busy: due now
}

TEST(Processor, ReadyAndPausedContinueAtTheirClock)
{
    sim::Processor p;
    p.advance(700);
    p.set_timer(100);
    p.make_ready();
    EXPECT_EQ(p.wake_time(), 700u);
    EXPECT_TRUE(p.timer_due());
}

TEST(Processor, DueIpisCoalesce)
{
    sim::Processor p;
    p.post_ipi(10);
    p.post_ipi(20);
    p.post_ipi(30);
    p.advance_to(25);
    EXPECT_TRUE(p.ipi_due());
    EXPECT_EQ(p.take_due_ipis(), 2u);
    EXPECT_FALSE(p.ipi_due());
    EXPECT_EQ(p.first_ipi(), 30u);
}

TEST(Processor, ClockNeverGoesBack)
{
    sim::Processor p;
    p.advance_to(500);
    p.advance_to(100);
    EXPECT_EQ(p.clock(), 500u);
}

} // namespace
} // namespace simtest
