// Helpers for simulator tests: a machine, component code that records what it sees, and the
// invariant checker after every run.
#pragma once

#include "test_seed.hpp"

#include "nova/kernel.hpp"
#include "sim/env.hpp"
#include "sim/machine.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace simtest {

using namespace nova;
using sim::Env;

inline constexpr mword root_pd = sim::root_pd_sel;

// A free UTCB address in the root PD for the n-th EC a test creates.
inline constexpr mword utcb_at(unsigned n)
{
    return 0x1000'0000 + mword{n} * page_size;
}

// NOVASIM_SEED (tests/support/test_seed.hpp).
inline std::uint64_t test_seed()
{
    return novasim_test::seed();
}

inline sim::Machine_config config(std::uint32_t cpus = 1)
{
    sim::Machine_config c{};
    c.cpus = cpus;
    c.ram_bytes = 32ull << 20;
    c.kernel_bytes = 8ull << 20;
    c.keep_events = true;
    return c;
}

inline void expect_invariants(sim::Machine& m)
{
    Check_result c = m.kernel().check();
    EXPECT_TRUE(c.ok()) << "invariant broken: " << c.invariant << " at " << c.where << " detail "
                        << c.detail;
}

// The kernel's events of one kind, in log order.
inline std::vector<sim::Event> events_of(sim::Machine& m, sim::Event::Kind kind)
{
    std::vector<sim::Event> out;
    for (sim::Event const& e : m.log().records()) {
        if (e.kind == kind) out.push_back(e);
    }
    return out;
}

} // namespace simtest
