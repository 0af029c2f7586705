// Global ECs: a flow of their own, started through the STARTUP portal whose handler replies
// the entry cookie as RIP; suspended in a semaphore and resumed where they stopped.
#include "nova/mtd.hpp"
#include "sim_fixture.hpp"

#include <algorithm>

namespace simtest {
namespace {

constexpr mword evt = 0x100; // the global EC's exception portals
constexpr mword startup_ec = 40, global_ec = 42, global_sc = 43, sm = 45;
constexpr mword startup_sel = evt + 0x1e;

// A local EC on `cpu` whose handler answers STARTUP with `entry` (or `ip` as given).
void make_startup_portal(Env& env, mword ip_to_start, std::uint32_t cpu = 0)
{
    mword handler = env.userland().portal(
        [ip_to_start](Env& h, mword) { h.resume_at(ip_to_start, 0x7000'0000); });
    ASSERT_EQ(env.create_ec({.sel = startup_ec, .utcb = utcb_at(0), .cpu = cpu}), Status::success);
    ASSERT_EQ(env.create_pt(startup_sel, startup_ec, handler, mtd::rip_len | mtd::rsp),
              Status::success);
}

void make_global(Env& env, std::uint32_t cpu = 0, u8 prio = 1)
{
    ASSERT_EQ(env.create_ec(
                  {.sel = global_ec, .utcb = utcb_at(1), .cpu = cpu, .global = true, .evt = evt}),
              Status::success);
    ASSERT_EQ(env.create_sc(global_sc, global_ec, Qpd{1000, prio}), Status::success);
}

TEST(Startup, HandlerRepliesTheEntryAndTheGlobalEcRunsIt)
{
    sim::Machine m{config()};
    std::vector<std::string> trace;
    mword seen_sp = 0;
    auto result = m.run([&](Env& env) {
        mword entry = env.userland().entry([&](Env& g) {
            trace.push_back("global");
            seen_sp = g.ec().regs.rsp;
            EXPECT_EQ(g.sm_up(sm), Status::success);
        });
        make_startup_portal(env, entry);
        ASSERT_EQ(env.create_sm(sm), Status::success);
        make_global(env);
        trace.push_back("root waits");
        EXPECT_EQ(env.sm_down(sm), Status::success);
        trace.push_back("root woke");
    });
    EXPECT_EQ(result.stop, sim::Stop::idle);
    EXPECT_EQ(trace, (std::vector<std::string>{"root waits", "global", "root woke"}));
    EXPECT_EQ(seen_sp, 0x7000'0000u);
    EXPECT_EQ(events_of(m, sim::Event::Kind::flow_end).size(), 2u); // the global EC and the root
    expect_invariants(m);
}

TEST(Startup, BlockedFlowResumesInsideItsHypercall)
{
    sim::Machine m{config()};
    std::vector<std::string> trace;
    m.run([&](Env& env) {
        mword entry = env.userland().entry([&](Env& g) {
            trace.push_back("global waits");
            EXPECT_EQ(g.sm_down(sm), Status::success);
            trace.push_back("global woke");
        });
        make_startup_portal(env, entry);
        ASSERT_EQ(env.create_sm(sm), Status::success);
        make_global(env, 0, 2); // above the root: runs on the return from create_sc
        trace.push_back("root ups");
        EXPECT_EQ(env.sm_up(sm), Status::success);
        trace.push_back("root done");
    });
    // The global EC starts on the return from the root's create_sc, blocks, and continues
    // inside its sm_down once the root's up released it.
    auto at = [&](char const* what) { return std::find(trace.begin(), trace.end(), what); };
    ASSERT_EQ(trace.size(), 4u);
    EXPECT_LT(at("global waits"), at("root ups"));
    EXPECT_LT(at("root ups"), at("global woke"));
    EXPECT_FALSE(events_of(m, sim::Event::Kind::suspend).empty());
    expect_invariants(m);
}

TEST(Startup, WithoutStartupPortalTheGlobalEcIsKilled)
{
    sim::Machine m{config()};
    bool ran = false;
    auto result = m.run([&](Env& env) {
        env.userland().entry([&](Env&) { ran = true; });
        make_global(env, 0, 2);
        EXPECT_EQ(env.sm_up(sm), Status::bad_cap); // any kernel entry lets the global EC run
    });
    EXPECT_EQ(result.stop, sim::Stop::idle);
    EXPECT_FALSE(ran);
    expect_invariants(m);
}

TEST(Startup, UnknownEntryFaultsAndKillsTheEc)
{
    sim::Machine m{config()};
    m.run([&](Env& env) {
        make_startup_portal(env, 0xbad'0000);
        make_global(env, 0, 2);
        EXPECT_EQ(env.sm_up(sm), Status::bad_cap);
    });
    auto faults = events_of(m, sim::Event::Kind::exception_exit);
    ASSERT_EQ(faults.size(), 1u);
    EXPECT_EQ(faults[0].b, sim::vector_page_fault);
    EXPECT_EQ(faults[0].c, 0u); // not handled: killed
    expect_invariants(m);
}

TEST(Startup, PageFaultHandlerMapsMemoryAndTheAccessRetries)
{
    sim::Machine m{config()};
    constexpr std::uint64_t addr = 0x5000'0123;
    constexpr mword frame = 100;
    std::uint64_t fault_addr = 0, fault_error = 0;
    m.run([&](Env& env) {
        // The root's own exception portals start at selector 0 (its evt).
        mword pager = env.userland().portal([&](Env& h, mword) {
            fault_error = h.utcb().arch.qual[0];
            fault_addr = h.utcb().arch.qual[1];
            h.utcb().arch.mtd = 0;
            h.add_delegate(Crd{Crd::Type::mem, frame, 0, perm::mem_r | perm::mem_w},
                           fault_addr >> page_bits, item::from_kernel);
        });
        ASSERT_EQ(env.create_ec({.sel = 40, .utcb = utcb_at(0)}), Status::success);
        ASSERT_EQ(env.create_pt(sim::vector_page_fault, 40, pager, mtd::qual), Status::success);
        env.store<std::uint64_t>(addr, 0x1122'3344'5566'7788);
        EXPECT_EQ(env.load<std::uint64_t>(addr), 0x1122'3344'5566'7788u);
    });
    EXPECT_EQ(fault_addr, addr);
    EXPECT_EQ(fault_error, sim::pf_write);
    std::uint64_t in_frame = 0;
    std::memcpy(&in_frame, m.memory().frame(frame) + (addr & 0xfff), sizeof in_frame);
    EXPECT_EQ(in_frame, 0x1122'3344'5566'7788u);
    expect_invariants(m);
}

} // namespace
} // namespace simtest
