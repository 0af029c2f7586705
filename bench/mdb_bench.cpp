// Revoke of a derivation tree of 10^6 mapping nodes, as a deep chain and as a wide tree
// (issue "Capability spaces"): nanoseconds per node revoked, and kernel bytes per node.
#include "nova/kernel.hpp"
#include "sim/machine.hpp"

#include <benchmark/benchmark.h>

#include <chrono>

namespace {

using namespace nova;

constexpr mword first_sel = mword{1} << 20;

Crd cap(mword sel)
{
    return Crd{Crd::Type::obj, sel, 0, perm::all};
}

// Builds the tree: `deep` derives node i from node i-1, otherwise every node from the root.
void build(Kernel& k, mword nodes, bool deep)
{
    Sys_regs create{};
    create.rdi = Sys_regs::word(Hypercall::create_sm, 0, first_sel);
    create.rsi = Kernel::sel_exc;
    k.syscall(k.root_ec(), create);
    for (mword i = 1; i < nodes; ++i) {
        mword from = deep ? first_sel + i - 1 : first_sel;
        k.delegate(k.root_pd(), k.root_pd(), Delegation{cap(from), cap(first_sel + i)});
    }
}

void BM_revoke_tree(benchmark::State& state)
{
    auto nodes = static_cast<mword>(state.range(0));
    bool deep = state.range(1) != 0;
    sim::Machine machine{
        sim::Machine_config{.ram_bytes = 1ull << 30, .kernel_bytes = 512ull << 20}};
    Kernel& k = machine.kernel();
    double bytes_per_node = 0;
    double revoke_seconds = 0;
    for (auto _ : state) {
        usize pages_before = k.kernel_pages();
        usize nodes_before = k.live_nodes();
        build(k, nodes, deep);
        if (k.live_nodes() - nodes_before != nodes) state.SkipWithError("tree not built");
        // Radix tables stay allocated after the revoke, so only the first build counts them.
        bytes_per_node = max(bytes_per_node, static_cast<double>(k.kernel_pages() - pages_before) *
                                                 page_size / static_cast<double>(nodes));
        auto start = std::chrono::steady_clock::now();
        k.revoke(k.root_pd(), cap(first_sel), true);
        auto stop = std::chrono::steady_clock::now();
        double seconds = std::chrono::duration<double>(stop - start).count();
        revoke_seconds += seconds;
        state.SetIterationTime(seconds);
        if (k.live_nodes() != nodes_before) state.SkipWithError("revoke left nodes");
    }
    state.counters["ns/node"] =
        revoke_seconds * 1e9 /
        (static_cast<double>(state.iterations()) * static_cast<double>(nodes));
    state.counters["bytes/node"] = bytes_per_node;
    state.counters["node struct"] = static_cast<double>(sizeof(Mdb_node));
}
BENCHMARK(BM_revoke_tree)
    ->ArgNames({"nodes", "deep"})
    ->Args({1'000'000, 1})
    ->Args({1'000'000, 0})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

} // namespace

BENCHMARK_MAIN();
