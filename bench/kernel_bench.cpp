// Hypercall throughput of the kernel core and the cost of the invariant checker.
#include "nova/kernel.hpp"
#include "sim/machine.hpp"

#include <benchmark/benchmark.h>

namespace {

using namespace nova;

constexpr mword root_pd_sel = Kernel::sel_exc;

Sys_regs frame(Hypercall h, mword sel, u64 rsi = 0, u64 rdx = 0)
{
    Sys_regs r{};
    r.rdi = Sys_regs::word(h, 0, sel);
    r.rsi = rsi;
    r.rdx = rdx;
    return r;
}

// create_sm followed by lookup of the new capability; the semaphores are revoked outside the
// timed region once per batch so that the object space stays small.
void BM_create_sm_and_lookup(benchmark::State& state)
{
    sim::Machine machine{
        sim::Machine_config{.ram_bytes = 256ull << 20, .kernel_bytes = 128ull << 20}};
    Kernel& k = machine.kernel();
    constexpr mword batch = 4096;
    mword sel = 0;
    for (auto _ : state) {
        Sys_regs create = frame(Hypercall::create_sm, 4096 + sel, root_pd_sel);
        k.syscall(k.root_ec(), create);
        Sys_regs lookup = frame(Hypercall::lookup, 0, Crd{Crd::Type::obj, 4096 + sel, 0, 0}.raw());
        k.syscall(k.root_ec(), lookup);
        benchmark::DoNotOptimize(lookup.rsi);
        if (create.status() != Status::success || lookup.rsi == 0) {
            state.SkipWithError("create_sm or lookup failed");
            break;
        }
        if (++sel == batch) {
            state.PauseTiming();
            k.revoke(k.root_pd(), Crd{Crd::Type::obj, 4096, 12, perm::all}, true);
            sel = 0;
            state.ResumeTiming();
        }
    }
    state.counters["hypercalls/s"] = benchmark::Counter(
        2.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_create_sm_and_lookup);

// One full invariant check of a kernel holding `objects` semaphores besides the boot objects.
void BM_invariant_check(benchmark::State& state)
{
    sim::Machine machine{
        sim::Machine_config{.ram_bytes = 256ull << 20, .kernel_bytes = 128ull << 20}};
    Kernel& k = machine.kernel();
    for (mword i = 0; i < static_cast<mword>(state.range(0)); ++i) {
        Sys_regs create = frame(Hypercall::create_sm, 1000 + i, root_pd_sel);
        k.syscall(k.root_ec(), create);
    }
    for (auto _ : state) {
        Check_result c = k.check();
        if (!c.ok()) state.SkipWithError(c.invariant);
        benchmark::DoNotOptimize(c);
    }
    state.counters["nodes"] = static_cast<double>(k.live_nodes());
    state.counters["s/node"] = benchmark::Counter(static_cast<double>(k.live_nodes()),
                                                  benchmark::Counter::kIsIterationInvariantRate |
                                                      benchmark::Counter::kInvert);
}
BENCHMARK(BM_invariant_check)->Arg(0)->Arg(1000)->Arg(100000);

} // namespace

BENCHMARK_MAIN();
