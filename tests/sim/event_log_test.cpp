// The event log: a hash over compact records that depends on their content and order, and EC
// ids in creation order regardless of addresses.
#include "sim/event_log.hpp"

#include <gtest/gtest.h>

namespace simtest {
namespace {

using sim::Event;

TEST(EventLog, EmptyLogHasTheFnvOffset)
{
    sim::Event_log log;
    EXPECT_EQ(log.hash(), sim::Event_log::fnv_offset);
}

TEST(EventLog, HashDependsOnContentAndOrder)
{
    Event a{Event::Kind::dispatch, 0, 100, 1};
    Event b{Event::Kind::timer_fire, 1, 200};
    sim::Event_log ab, ba, ab2;
    ab.record(a), ab.record(b);
    ba.record(b), ba.record(a);
    ab2.record(a), ab2.record(b);
    EXPECT_EQ(ab.hash(), ab2.hash());
    EXPECT_NE(ab.hash(), ba.hash());
    EXPECT_EQ(ab.count(), 2u);
}

TEST(EventLog, KeepsRecordsOnlyWhenAsked)
{
    sim::Event_log quiet, keeping{true};
    quiet.record(Event{Event::Kind::timer_fire, 0, 1});
    keeping.record(Event{Event::Kind::timer_fire, 0, 1});
    EXPECT_TRUE(quiet.records().empty());
    ASSERT_EQ(keeping.records().size(), 1u);
    EXPECT_EQ(quiet.hash(), keeping.hash());
}

TEST(EventLog, IdsFollowCreationEvenWhenAnAddressIsReused)
{
    sim::Event_log log;
    int storage[2];
    auto const* first = reinterpret_cast<nova::Ec const*>(&storage[0]);
    auto const* second = reinterpret_cast<nova::Ec const*>(&storage[1]);
    EXPECT_EQ(log.id_of(nullptr), 0u);
    EXPECT_EQ(log.name_new(first), 1u);
    EXPECT_EQ(log.id_of(second), 2u); // first sight
    EXPECT_EQ(log.id_of(first), 1u);
    EXPECT_EQ(log.name_new(first), 3u); // a new EC at the old address
    EXPECT_EQ(log.id_of(first), 3u);
}

} // namespace
} // namespace simtest
