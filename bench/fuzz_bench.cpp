// The hypercall fuzzer's throughput (issue "Fuzz hypercall programs against the reference
// model"; goal: 20,000 programs of 20 calls per second on one core, release, no sanitizers):
// an engine's iteration (mutate, then judge), whole programs judged as every engine judges them,
// and the parts of that cost — booting a machine, booting it with the reference model, one
// invariant check, parsing, printing, one mutation.
#include "execution.hpp"
#include "lockstep_runner.hpp"
#include "mutator.hpp"
#include "oracles.hpp"
#include "program/parser.hpp"
#include "program/printer.hpp"

#include <benchmark/benchmark.h>

#include <vector>

namespace {

constexpr std::size_t calls_per_program = 20;

// Generated programs that execute exactly 20 calls (hypercalls and kernel functions, the
// hypercalls that build components not counted), the same ones on every machine.
std::vector<std::string> const& programs()
{
    static std::vector<std::string> const found = [] {
        std::vector<std::string> texts;
        for (std::uint64_t seed = 1; texts.size() < 32; ++seed) {
            std::string text = fuzz::fresh_text(seed, calls_per_program);
            fuzz::Execution execution = fuzz::execute(text);
            if (!execution.found() && execution.calls == calls_per_program) texts.push_back(text);
        }
        return texts;
    }();
    return found;
}

void BM_program_of_20_calls_all_oracles(benchmark::State& state)
{
    std::vector<std::string> const& texts = programs();
    std::size_t next = 0, calls = 0;
    for (auto _ : state) {
        fuzz::Execution execution = fuzz::execute(texts[next++ % texts.size()]);
        calls += execution.calls;
        benchmark::DoNotOptimize(execution.finding);
    }
    state.SetItemsProcessed(state.iterations()); // items/s: programs per second
    state.counters["calls_per_program"] =
        benchmark::Counter(static_cast<double>(calls), benchmark::Counter::kAvgIterations);
}

void BM_boot_machine(benchmark::State& state)
{
    novamodel::Lockstep_config config = fuzzprog::lockstep_config(4, false);
    for (auto _ : state) {
        sim::Machine machine{novamodel::machine_config_for(config)};
        benchmark::DoNotOptimize(machine.boot_status());
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_boot_machine_and_model(benchmark::State& state)
{
    novamodel::Lockstep_config config = fuzzprog::lockstep_config(4, false);
    for (auto _ : state) {
        novamodel::Lockstep_runner runner{config};
        benchmark::DoNotOptimize(runner.boot_difference());
    }
    state.SetItemsProcessed(state.iterations());
}

// One run of the invariant checker, which the oracles run after every call, on a fresh machine.
void BM_invariant_check(benchmark::State& state)
{
    sim::Machine machine{novamodel::machine_config_for(fuzzprog::lockstep_config(4, false))};
    for (auto _ : state) benchmark::DoNotOptimize(machine.kernel().check().ok());
    state.SetItemsProcessed(state.iterations());
}

// The check after a call that changed one space, as the oracles run it between calls.
void BM_invariant_check_of_changes(benchmark::State& state)
{
    sim::Machine machine{novamodel::machine_config_for(fuzzprog::lockstep_config(4, false))};
    nova::Space& changing = machine.kernel().root_pd().obj;
    for (auto _ : state) {
        changing.radix.touch();
        benchmark::DoNotOptimize(machine.kernel().check_changes().ok());
    }
    state.SetItemsProcessed(state.iterations());
}

// What an engine does per input: mutate a corpus program, then execute the mutant with every
// oracle (items/s: the campaign's executions per second without sanitizers). Mutants differ
// from their parents by a few statements, so they execute about as many calls. The 32 corpus
// programs stay parsed after their first mutation, as a campaign's corpus of a few thousand
// does (parsed_corpus.hpp); BM_mutation below gets the same.
void BM_fuzzer_iteration(benchmark::State& state)
{
    std::vector<std::string> const& corpus = programs();
    std::uint64_t seed = 0, calls = 0;
    for (auto _ : state) {
        std::string mutant = fuzz::mutate_text(corpus[seed % corpus.size()], seed, 8192);
        ++seed;
        fuzz::Execution execution = fuzz::execute(mutant);
        calls += execution.calls;
        benchmark::DoNotOptimize(execution.finding);
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["calls_per_program"] =
        benchmark::Counter(static_cast<double>(calls), benchmark::Counter::kAvgIterations);
}

// Every execution reads its program's text and, to prove the round trip, prints it again.
void BM_parse(benchmark::State& state)
{
    std::vector<std::string> const& texts = programs();
    std::size_t next = 0;
    for (auto _ : state) {
        hcl::Parse_result parsed = hcl::parse_program(texts[next++ % texts.size()], "bench");
        benchmark::DoNotOptimize(parsed.index());
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_print(benchmark::State& state)
{
    std::vector<hcl::Program> parsed;
    for (std::string const& text : programs())
        parsed.push_back(std::get<hcl::Program>(hcl::parse_program(text, "bench")));
    std::size_t next = 0;
    for (auto _ : state) {
        std::string text = hcl::format_program(parsed[next++ % parsed.size()]);
        benchmark::DoNotOptimize(text.data());
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_mutation(benchmark::State& state)
{
    std::vector<std::string> const& texts = programs();
    std::uint64_t seed = 0;
    for (auto _ : state) {
        std::string mutant = fuzz::mutate_text(texts[seed % texts.size()], seed, 8192);
        ++seed;
        benchmark::DoNotOptimize(mutant.data());
    }
    state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_program_of_20_calls_all_oracles)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_fuzzer_iteration)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_boot_machine)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_boot_machine_and_model)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_invariant_check)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_invariant_check_of_changes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_parse)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_print)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_mutation)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
