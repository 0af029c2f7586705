// A CPU's run queue: the SCs it holds come out highest priority first, in the order they were
// queued within a priority (or at the head when asked), and its bitmap always names exactly
// the non-empty priorities, since picking and walking trust it.
#include "nova/run_queue.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <type_traits>
#include <vector>

namespace novatest {
namespace {

using nova::Run_queue;
using nova::Sc;

class Run_queue_order : public ::testing::Test {
  protected:
    Sc& sc(nova::u8 prio) { return scs_.emplace_back(nullptr, 0, prio, 1000, 1000); }

    std::vector<Sc*> walked() const
    {
        std::vector<Sc*> order;
        queue_.for_each([&](Sc* s) { order.push_back(s); });
        return order;
    }

    Run_queue queue_;
    std::deque<Sc> scs_; // stable addresses
};

TEST_F(Run_queue_order, WalksHighestPriorityFirstAcrossBothBitmapWords)
{
    Sc &low = sc(1), &mid_a = sc(63), &mid_b = sc(64), &high = sc(127), &mid_a2 = sc(63);
    for (Sc* s : {&low, &mid_a, &mid_b, &high, &mid_a2}) queue_.enqueue(s, false);
    EXPECT_EQ(walked(), (std::vector<Sc*>{&high, &mid_b, &mid_a, &mid_a2, &low}));
    EXPECT_EQ(queue_.top(), &high);
    EXPECT_TRUE(queue_.bitmap_matches());
}

TEST_F(Run_queue_order, AnScQueuedAtTheHeadComesFirstInItsPriority)
{
    Sc &first = sc(5), &second = sc(5);
    queue_.enqueue(&first, false);
    queue_.enqueue(&second, true);
    EXPECT_EQ(walked(), (std::vector<Sc*>{&second, &first}));
}

TEST_F(Run_queue_order, RemovingTheLastScOfAPriorityClearsItsBit)
{
    Sc &a = sc(70), &b = sc(70), &c = sc(2);
    for (Sc* s : {&a, &b, &c}) queue_.enqueue(s, false);
    queue_.remove(&a);
    EXPECT_TRUE(queue_.bitmap_matches());
    queue_.remove(&b);
    EXPECT_TRUE(queue_.bitmap_matches());
    EXPECT_EQ(walked(), (std::vector<Sc*>{&c}));
    EXPECT_EQ(queue_.top(), &c);
    queue_.remove(&c);
    EXPECT_TRUE(queue_.empty());
    EXPECT_TRUE(walked().empty());
    EXPECT_TRUE(queue_.bitmap_matches());
}

// The checker's test of the bitmap must see a list the bitmap does not name, and a named
// priority whose list is empty, at every priority. Nothing but a broken kernel makes either, so
// the test bends the lists (the first member of a standard-layout queue) directly.
TEST_F(Run_queue_order, TheBitmapTestSeesEveryPriorityItDoesNotName)
{
    static_assert(std::is_standard_layout_v<Run_queue>);
    Sc** heads = reinterpret_cast<Sc**>(&queue_);
    Sc& stray = sc(1);
    for (unsigned prio = 0; prio < Run_queue::priorities; ++prio) {
        heads[prio] = &stray;
        EXPECT_FALSE(queue_.bitmap_matches()) << "an unnamed list at " << prio;
        heads[prio] = nullptr;
        EXPECT_TRUE(queue_.bitmap_matches());
        Sc& named = sc(static_cast<nova::u8>(prio));
        queue_.enqueue(&named, false);
        heads[prio] = nullptr;
        EXPECT_FALSE(queue_.bitmap_matches()) << "an empty list named at " << prio;
        heads[prio] = &named;
        queue_.remove(&named);
        EXPECT_TRUE(queue_.bitmap_matches());
    }
}

} // namespace
} // namespace novatest
