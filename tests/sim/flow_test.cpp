// Flows without a kernel: a fiber parks and resumes where it stopped, reports what it threw,
// is unwound (its destructors run) when destroyed before it finished, and leaves its stack to
// the next flow.
#include "sim/flow.hpp"

#include "nova/ec.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace simtest {
namespace {

// An EC object only as the flow's owner; nothing in these tests touches it.
nova::Ec some_ec()
{
    return nova::Ec{nova::Ec::Params{nullptr, 0, true, 0x1000, nullptr, 0, 0}};
}

constexpr std::size_t stack = 64u << 10;

TEST(Flow, ParksAndResumesWhereItStopped)
{
    nova::Ec ec = some_ec();
    std::vector<int> trace;
    sim::Flow flow{ec,
                   [&](sim::Flow& f) {
                       trace.push_back(1);
                       f.park();
                       trace.push_back(3);
                   },
                   stack};
    flow.resume();
    trace.push_back(2);
    EXPECT_FALSE(flow.finished());
    flow.resume();
    EXPECT_TRUE(flow.finished());
    EXPECT_EQ(trace, (std::vector<int>{1, 2, 3}));
}

TEST(Flow, WhatTheBodyThrowsComesOutOfResume)
{
    nova::Ec ec = some_ec();
    sim::Flow flow{ec, [](sim::Flow&) { throw std::runtime_error("boom"); }, stack};
    EXPECT_THROW(flow.resume(), std::runtime_error);
    EXPECT_TRUE(flow.finished());
}

TEST(Flow, DestroyingAParkedFlowUnwindsItsFrames)
{
    nova::Ec ec = some_ec();
    bool unwound = false;
    struct Guard {
        bool& flag;
        ~Guard() { flag = true; }
    };
    {
        sim::Flow flow{ec,
                       [&](sim::Flow& f) {
                           Guard guard{unwound};
                           f.park();
                           ADD_FAILURE() << "a discarded flow must not continue";
                       },
                       stack};
        flow.resume();
        EXPECT_FALSE(unwound);
    }
    EXPECT_TRUE(unwound);
}

TEST(Flow, AFlowThatNeverRanCanBeDestroyed)
{
    nova::Ec ec = some_ec();
    bool ran = false;
    {
        sim::Flow flow{ec, [&](sim::Flow&) { ran = true; }, stack};
    }
    EXPECT_FALSE(ran);
}

// Machines start and end flows by the thousand; mapping a fresh stack for each cost more than
// most flows' work, so a finished flow's stack serves the next flow of the same size.
TEST(Flow, ANewFlowRunsOnTheStackOfAFinishedOne)
{
    nova::Ec ec = some_ec();
    auto frame_of_a_flow = [&] {
        void const* frame = nullptr;
        sim::Flow flow{ec, [&](sim::Flow&) { frame = __builtin_frame_address(0); }, stack};
        flow.resume();
        return frame;
    };
    void const* first = frame_of_a_flow();
    EXPECT_EQ(frame_of_a_flow(), first);
}

TEST(Flow, HostThreadFlowHasNoFiber)
{
    nova::Ec ec = some_ec();
    sim::Flow flow{ec};
    EXPECT_TRUE(flow.on_host_thread());
    EXPECT_FALSE(flow.finished());
}

} // namespace
} // namespace simtest
