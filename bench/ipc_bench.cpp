// IPC, semaphores and scheduling (issue "IPC, semaphores and the per-CPU scheduler"):
// the IPC round trip with 0 and 8 untyped words, a semaphore up/down pair, and scheduler
// events per second with 64 CPUs and 10,000 SCs.
#include "nova/kernel.hpp"
#include "nova/mtd.hpp"
#include "sim/env.hpp"
#include "sim/machine.hpp"
#include "sim/userland.hpp"

#include <benchmark/benchmark.h>

namespace {

using namespace nova;

sim::Machine_config small_machine(std::uint32_t cpus = 1)
{
    sim::Machine_config c{};
    c.cpus = cpus;
    c.ram_bytes = 64ull << 20;
    c.kernel_bytes = 32ull << 20;
    return c;
}

// The root calls a portal of a local EC on its CPU; the handler returns, which is the reply. The
// reply carries the words the request brought (the handler's UTCB still holds them). Arguments:
// the words, and whether the machine keeps its event log (the determinism hash; a fuzzer turns
// it off).
void BM_ipc_round_trip(benchmark::State& state)
{
    sim::Machine_config config = small_machine();
    config.log_events = state.range(1) != 0;
    sim::Machine m{config};
    sim::Env root{m, m.kernel().root_ec()};
    mword echo = root.userland().portal([](sim::Env&, mword) {});
    if (root.create_ec({.sel = 64, .utcb = 0x10000, .cpu = 0}) != Status::success ||
        root.create_pt(65, 64, echo) != Status::success) {
        state.SkipWithError("setup failed");
        return;
    }
    auto words = static_cast<std::size_t>(state.range(0));
    for (std::size_t i = 0; i < words; ++i) root.utcb().data[i] = i;
    for (auto _ : state) {
        root.utcb().set_counts(words, 0);
        if (root.call(65) != Status::success) {
            state.SkipWithError("call failed");
            break;
        }
    }
    state.counters["round trips/s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ipc_round_trip)->ArgNames({"words", "log"})->ArgsProduct({{0, 8}, {1, 0}});

// sm_up then sm_down on a semaphore: the counter path, no blocking.
void BM_sm_up_down(benchmark::State& state)
{
    sim::Machine m{small_machine()};
    sim::Env root{m, m.kernel().root_ec()};
    if (root.create_sm(64) != Status::success) state.SkipWithError("setup failed");
    for (auto _ : state) {
        Status up = root.sm_up(64);
        Status down = root.sm_down(64);
        benchmark::DoNotOptimize(down);
        if (up != Status::success || down != Status::success) {
            state.SkipWithError("sm_ctrl failed");
            break;
        }
    }
}
BENCHMARK(BM_sm_up_down);

// The kernel's scheduler on 64 CPUs with 10,000 ready SCs: one event is a budget expiry (the
// current SC goes to the tail, refilled) and the pick of the next SC on that CPU.
void BM_scheduler_events(benchmark::State& state)
{
    constexpr std::uint32_t cpus = 64;
    constexpr mword scs = 10'000;
    sim::Machine m{
        sim::Machine_config{.cpus = cpus, .ram_bytes = 512ull << 20, .kernel_bytes = 256ull << 20}};
    sim::Env root{m, m.kernel().root_ec()};
    Kernel& k = m.kernel();
    for (mword i = 0; i < scs; ++i) {
        auto cpu = static_cast<std::uint32_t>(i % cpus);
        mword sel = 1000 + 2 * i;
        if (root.create_ec(
                {.sel = sel, .utcb = 0x1000'0000 + i * page_size, .cpu = cpu, .global = true}) !=
                Status::success ||
            root.create_sc(sel + 1, sel, Qpd{1000, 1}) != Status::success) {
            state.SkipWithError("setup failed");
            return;
        }
    }
    for (std::uint32_t cpu = 1; cpu < cpus; ++cpu) k.ipi(cpu); // the remote wake-ups
    std::uint64_t quantum = 1000 * 2'000;
    std::uint32_t cpu = 1; // CPU 0 belongs to the root, which runs this loop
    for (auto _ : state) {
        m.engine().charge(cpu, quantum);
        k.timer_interrupt(cpu);
        benchmark::DoNotOptimize(k.dispatch(cpu));
        cpu = cpu + 1 == cpus ? 1 : cpu + 1;
    }
    state.counters["events/s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["ready SCs"] = static_cast<double>(scs);
}
BENCHMARK(BM_scheduler_events);

// The whole simulator: 64 CPUs, 10 threads each at the root's priority, computing in chunks;
// each chunk ends in a preemption point and every quantum in a switch. The root sets up within
// its own (longer) quantum, then blocks; the run covers 50 ms of simulated time. Dispatches per
// second of host time, fibers and lockstep included. (A limit by dispatches would not end: a
// thread alone at the top of its CPU runs on without one.)
void spin_machine(sim::Env& root, std::uint32_t cpus)
{
    mword startup = root.userland().portal([](sim::Env& h, mword pid) { h.resume_at(pid, 0); });
    mword spin = root.userland().entry([](sim::Env& t) {
        for (;;) t.charge(50'000);
    });
    for (std::uint32_t c = 0; c < cpus; ++c) {
        root.create_ec({.sel = 100 + c, .utcb = 0x2000'0000 + c * page_size, .cpu = c});
        for (mword n = 0; n < 10; ++n) {
            mword i = c * 10 + n, sel = 1000 + 4 * i, evt = 0x10000 + 0x40 * i;
            root.create_pt(evt + 0x1e, 100 + c, startup, mtd::rip_len);
            root.pt_ctrl(evt + 0x1e, spin);
            root.create_ec({.sel = sel,
                            .utcb = 0x1000'0000 + i * page_size,
                            .cpu = c,
                            .global = true,
                            .evt = evt});
            root.create_sc(sel + 1, sel, Qpd{100, Kernel::root_prio});
        }
    }
    root.create_sm(50);
    root.sm_down(50); // for good
}

void BM_simulated_dispatches(benchmark::State& state)
{
    constexpr std::uint32_t cpus = 64;
    constexpr std::uint64_t simulated = 50 * 2'000'000; // 50 ms at 2 GHz
    for (auto _ : state) {
        sim::Machine m{sim::Machine_config{.cpus = cpus,
                                           .ram_bytes = 256ull << 20,
                                           .kernel_bytes = 128ull << 20,
                                           .stack_bytes = 64u << 10}};
        sim::Run_result r = m.run([](sim::Env& root) { spin_machine(root, cpus); },
                                  sim::Limits{.until_tsc = simulated});
        if (r.stop != sim::Stop::cycle_limit) state.SkipWithError("the run did not reach its end");
        state.counters["dispatches"] = static_cast<double>(r.dispatches);
        state.SetItemsProcessed(static_cast<std::int64_t>(r.dispatches));
    }
}
BENCHMARK(BM_simulated_dispatches)->Iterations(3)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
