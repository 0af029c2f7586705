// Scenario tests of the IPC, semaphore and scheduler issue: whole machines whose outcome depends
// on helping, budgets, preemption, deadlines and donation. The invariant checker runs after
// every kernel entry (Machine_config::check_every_entry).
#include "scenario.hpp"

#include <algorithm>
#include <map>

namespace simtest {
namespace {

constexpr mword server_sel = 300, portal_sel = 301, second_server_sel = 302,
                second_portal_sel = 303, sm_a = 310, sm_b = 311, sm_c = 312;
constexpr std::uint64_t chunk = 10'000; // cycles of component work between kernel entries

sim::Machine_config checked(std::uint32_t cpus = 1)
{
    sim::Machine_config c = config(cpus);
    c.check_every_entry = true;
    return c;
}

// Component work in chunks: each chunk ends in a preemption point, like an interrupt would.
void work(Env& env, unsigned chunks)
{
    for (unsigned i = 0; i < chunks; ++i) env.charge(chunk);
}

// A local server whose handler works as many chunks as the first word of the request says.
void make_working_server(Env& root, mword ec_sel, mword pt_sel, std::uint32_t cpu, unsigned n)
{
    mword handler = root.userland().portal([](Env& s, mword) {
        work(s, static_cast<unsigned>(s.word(0)));
        s.set_words({s.word(0)});
    });
    ASSERT_EQ(root.create_ec({.sel = ec_sel, .utcb = utcb_at(100 + n), .cpu = cpu}),
              Status::success);
    ASSERT_EQ(root.create_pt(pt_sel, ec_sel, handler), Status::success);
}

// Priority inversion ([C14] §4.5): L holds the server, M hogs the CPU, H needs the server. H
// helps: the server finishes L's request on H's SC, so H is served long before M is done.
TEST(Scenario, PriorityInversionIsResolvedByHelping)
{
    sim::Machine m{checked()};
    std::map<std::string, std::uint64_t> done;
    m.run([&](Env& root) {
        Starter starter{root};
        starter.prepare_cpu(0);
        mword handler = root.userland().portal([&](Env& s, mword) {
            work(s, static_cast<unsigned>(s.word(0)));
            done[s.word(0) == 40 ? "L served" : "H served"] = s.tsc();
        });
        ASSERT_EQ(root.create_ec({.sel = server_sel, .utcb = utcb_at(100), .cpu = 0}),
                  Status::success);
        ASSERT_EQ(root.create_pt(portal_sel, server_sel, handler), Status::success);
        ASSERT_EQ(root.create_sm(sm_a), Status::success);
        ASSERT_EQ(root.create_sm(sm_b), Status::success);
        // H and M start first (above the root) and sleep until their deadlines; then L.
        starter.start(2, 0, 10, [&](Env& h) { // H: wakes at 150k cycles, needs the server
            EXPECT_EQ(h.sm_down(sm_b, false, 150'000), Status::timeout);
            h.set_words({1});
            EXPECT_EQ(h.call(portal_sel), Status::success);
            done["H"] = h.tsc();
        });
        starter.start(1, 0, 5, [&](Env& mid) { // M: wakes at 100k cycles and hogs the CPU
            EXPECT_EQ(mid.sm_down(sm_a, false, 100'000), Status::timeout);
            work(mid, 100);
            done["M"] = mid.tsc();
        });
        starter.start(0, 0, 2, [&](Env& l) { // L: a long request, from the start
            l.set_words({40});
            EXPECT_EQ(l.call(portal_sel), Status::success);
            done["L"] = l.tsc();
        });
    });
    ASSERT_EQ(done.size(), 5u);
    EXPECT_LT(done["L served"], done["H served"]) << "L's request was finished first, by H's help";
    EXPECT_LT(done["H"], done["M"]) << "without helping H would wait for M";
    EXPECT_LT(done["H"], 150'000 + 45 * chunk) << "H waited for the rest of L's request only";
    EXPECT_GT(done["L"], done["M"]) << "L itself, the lowest priority, continues last";
    expect_invariants(m);
}

// Equal priorities share the CPU by budget: each runs a quantum, goes to the tail, refilled.
TEST(Scenario, RoundRobinWithinAPriorityIsFairByBudget)
{
    sim::Machine m{checked()};
    std::vector<unsigned> turns; // which thread finished each chunk
    std::vector<std::uint64_t> consumed_us(3);
    m.run([&](Env& root) {
        Starter starter{root};
        starter.prepare_cpu(0);
        ASSERT_EQ(root.create_sm(sm_b), Status::success);
        for (unsigned n = 0; n < 3; ++n) {
            // All three wait for the same deadline, so they become ready together, in order.
            starter.start(
                n, 0, 5,
                [&turns, n](Env& t) {
                    EXPECT_EQ(t.sm_down(sm_b, false, 1'000'000), Status::timeout);
                    for (unsigned i = 0; i < 300; ++i) {
                        t.charge(chunk);
                        turns.push_back(n);
                    }
                },
                500); // 500 µs = 1,000,000 cycles = 100 chunks
        }
        ASSERT_EQ(root.create_sm(sm_a), Status::success);
        EXPECT_EQ(root.sm_down(sm_a, false, 20'000'000), Status::timeout); // after the three
        for (unsigned n = 0; n < 3; ++n) consumed_us[n] = root.sc_ctrl(sc_sel(n)).us;
    });
    ASSERT_EQ(turns.size(), 900u);
    std::vector<unsigned> order; // thread of each run of consecutive chunks
    std::vector<std::size_t> lengths;
    for (std::size_t i = 0; i < turns.size(); ++i) {
        if (i == 0 || turns[i] != turns[i - 1]) order.push_back(turns[i]), lengths.push_back(0);
        ++lengths.back();
    }
    ASSERT_GE(order.size(), 9u);
    for (std::size_t i = 3; i < order.size(); ++i) EXPECT_EQ(order[i], order[i - 3]) << i;
    // Turns of one quantum (100 chunks, a little less for the first, which also paid for the
    // start); the last three runs are what was left of 300 chunks.
    for (std::size_t i = 0; i + 3 < lengths.size(); ++i) {
        EXPECT_NEAR(static_cast<double>(lengths[i]), 100.0, 2.0) << "run " << i;
    }
    for (unsigned n = 1; n < 3; ++n) {
        EXPECT_NEAR(static_cast<double>(consumed_us[n]), static_cast<double>(consumed_us[0]), 20.0);
    }
}

// A higher priority that becomes ready preempts at the running code's next kernel entry.
TEST(Scenario, AHigherPriorityWakeUpPreemptsAtTheNextKernelEntry)
{
    sim::Machine m{checked()};
    constexpr std::uint64_t deadline = 105'000; // inside the 11th chunk of the low thread
    std::uint64_t woke = 0, chunks_before = 0;
    unsigned chunks = 0;
    m.run([&](Env& root) {
        Starter starter{root};
        starter.prepare_cpu(0);
        ASSERT_EQ(root.create_sm(sm_a), Status::success);
        starter.start(1, 0, 10, [&](Env& h) {
            EXPECT_EQ(h.sm_down(sm_a, false, deadline), Status::timeout);
            woke = h.tsc();
            chunks_before = chunks;
        });
        starter.start(0, 0, 2, [&](Env& l) {
            for (; chunks < 30; ++chunks) l.charge(chunk);
        });
    });
    EXPECT_GE(woke, deadline);
    EXPECT_LT(woke, deadline + chunk + 5'000) << "at the first kernel entry after the deadline";
    EXPECT_LT(chunks_before, 30u) << "the low thread had not finished";
}

// Deadlines fire at their simulated time; an up before the deadline wins; FIFO wake-up.
TEST(Scenario, SemaphoreDeadlinesFireAtTheRightSimulatedTime)
{
    sim::Machine m{checked(2)};
    std::vector<std::pair<unsigned, std::uint64_t>> timeouts;
    std::vector<unsigned> woken;
    m.run([&](Env& root) {
        Starter starter{root};
        starter.prepare_cpu(1);
        ASSERT_EQ(root.create_sm(sm_a), Status::success);
        ASSERT_EQ(root.create_sm(sm_b), Status::success);
        for (unsigned n = 0; n < 3; ++n) { // deadlines 300k, 200k, 100k on CPU 1
            starter.start(n, 1, 5, [&, n](Env& t) {
                std::uint64_t d = 300'000 - 100'000 * n;
                EXPECT_EQ(t.sm_down(sm_a, false, d), Status::timeout);
                timeouts.emplace_back(n, t.tsc() - d);
            });
        }
        for (unsigned n = 3; n < 6; ++n) { // no deadline: released by ups, first come first
            starter.start(n, 1, 5, [&, n](Env& t) {
                EXPECT_EQ(t.sm_down(sm_b), Status::success);
                woken.push_back(n);
            });
        }
        ASSERT_EQ(root.create_sm(sm_c), Status::success);
        EXPECT_EQ(root.sm_down(sm_c, false, 400'000), Status::timeout);
        for (int i = 0; i < 3; ++i) EXPECT_EQ(root.sm_up(sm_b), Status::success);
    });
    ASSERT_EQ(timeouts.size(), 3u);
    EXPECT_EQ(timeouts[0].first, 2u) << "earliest deadline first";
    EXPECT_EQ(timeouts[2].first, 0u);
    for (auto [n, late] : timeouts) EXPECT_LT(late, 5'000u) << "thread " << n;
    EXPECT_EQ(woken, (std::vector<unsigned>{3, 4, 5}));
}

// A chain of three: A calls B, B calls C. B and C run on A's SC, so A is charged for all of it.
TEST(Scenario, DonationChargesAChainOfCallsToTheFirstCaller)
{
    sim::Machine m{checked()};
    sim::Sc_time a_time{}, root_before{}, root_after{};
    m.run([&](Env& root) {
        Starter starter{root};
        starter.prepare_cpu(0);
        make_working_server(root, second_server_sel, second_portal_sel, 0, 1); // C
        mword b_handler = root.userland().portal([](Env& b, mword) {
            b.set_words({50});
            EXPECT_EQ(b.call(second_portal_sel), Status::success);
        });
        ASSERT_EQ(root.create_ec({.sel = server_sel, .utcb = utcb_at(150), .cpu = 0}),
                  Status::success);
        ASSERT_EQ(root.create_pt(portal_sel, server_sel, b_handler), Status::success);
        root_before = root.sc_ctrl(sim::root_sc_sel);
        starter.start(0, 0, 5, [](Env& a) { EXPECT_EQ(a.call(portal_sel), Status::success); });
        root_after = root.sc_ctrl(sim::root_sc_sel);
        a_time = root.sc_ctrl(sc_sel(0));
    });
    EXPECT_GE(a_time.us, 50 * chunk / 2'000) << "C's 500,000 cycles at 2 GHz";
    EXPECT_LT(root_after.us - root_before.us, 20u) << "the root was not charged for the chain";
}

// A pager resolves page faults by delegating memory in its reply; the access then succeeds.
TEST(Scenario, APagerResolvesPageFaults)
{
    sim::Machine m{checked()};
    unsigned faults = 0;
    std::uint64_t seen = 0;
    m.run([&](Env& root) {
        Starter starter{root};
        starter.prepare_cpu(0);
        mword pager = root.userland().portal([&](Env& p, mword) {
            ++faults;
            mword page = p.utcb().arch.qual[1] >> page_bits;
            p.set_words({});
            // The root's memory comes from the kernel's (H); the hotspot is the faulting page.
            p.add_delegate(Crd{Crd::Type::mem, 0x200 + faults, 0, perm::mem_r | perm::mem_w}, page,
                           item::from_kernel);
            p.utcb().arch.mtd = 0;
        });
        ASSERT_EQ(root.create_ec({.sel = server_sel, .utcb = utcb_at(160), .cpu = 0}),
                  Status::success);
        ASSERT_EQ(root.create_pt(evt_of(0) + sim::vector_page_fault, server_sel, pager, mtd::qual),
                  Status::success);
        starter.start(0, 0, 5, [&](Env& t) {
            for (std::uint64_t addr : {0x4000'0000ull, 0x4000'1008ull, 0x4000'2ff0ull}) {
                t.store<std::uint64_t>(addr, addr * 3);
                seen += t.load<std::uint64_t>(addr) == addr * 3;
            }
        });
    });
    EXPECT_EQ(faults, 3u);
    EXPECT_EQ(seen, 3u);
}

// The same scenario and seed make the same run, byte for byte; IPI jitter follows the seed.
TEST(Scenario, AWholeScenarioReplaysByItsSeed)
{
    auto run = [](std::uint64_t seed) {
        sim::Machine_config c = checked(2);
        c.seed = seed;
        c.ipi_jitter = 300;
        sim::Machine m{c};
        m.run([](Env& root) {
            Starter starter{root};
            starter.prepare_cpu(1);
            make_working_server(root, server_sel, portal_sel, 1, 0);
            ASSERT_EQ(root.create_sm(sm_a), Status::success);
            for (unsigned n = 0; n < 4; ++n) {
                starter.start(n, 1, u8(2 + n), [](Env& t) {
                    t.set_words({3});
                    EXPECT_EQ(t.call(portal_sel), Status::success);
                    EXPECT_EQ(t.sm_up(sm_a), Status::success);
                });
            }
            for (int i = 0; i < 4; ++i) EXPECT_EQ(root.sm_down(sm_a), Status::success);
        });
        return m.log().hash();
    };
    std::uint64_t seed = test_seed();
    EXPECT_EQ(run(seed), run(seed)) << "NOVASIM_SEED=" << seed;
    EXPECT_NE(run(seed), run(seed + 1)) << "the jitter follows the seed";
}

} // namespace
} // namespace simtest
