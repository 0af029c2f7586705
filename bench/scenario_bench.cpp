// Whole scenarios (issues "The in-process VMM" and "Record VM-exit traces"): VM exits per second
// of host time for a guest that hammers the UART and for one that takes PIT interrupts; the host
// time from the start of a run to the guest's first serial byte; and replay: trace events per
// second replayed with no KVM, and trace bytes per event, for the bundled trace and for a fresh
// recording of every bundled scenario. The runs on KVM skip with the probe's reason without it;
// the bundled trace replays everywhere.
#include "kvm/probe.hpp"
#include "kvm/trace/reader.hpp"
#include "scenarios/replay.hpp"
#include "scenarios/runner.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::uint64_t exits_of(scenarios::Run_report const& r)
{
    std::uint64_t exits = 0;
    for (scenarios::Vm_outcome const& vm : r.vms) {
        for (auto const& [key, count] : vm.histogram) exits += count;
    }
    return exits;
}

bool kvm_missing(benchmark::State& state)
{
    kvm::Probe probe = kvm::probe();
    if (!probe.usable) state.SkipWithError(probe.reason.c_str());
    return !probe.usable;
}

// One run per iteration; its host time is the iteration's, its exits the counter's.
void run_and_count_exits(benchmark::State& state, scenarios::Scenario const& s)
{
    if (kvm_missing(state)) return;
    std::uint64_t exits = 0;
    for (auto _ : state) {
        scenarios::Run_report r = scenarios::run_scenario(s, {});
        state.SetIterationTime(r.seconds);
        if (r.vms.empty() || !r.vms[0].exit_status) state.SkipWithError(r.stop.c_str());
        exits += exits_of(r);
    }
    state.counters["exits_per_s"] =
        benchmark::Counter(static_cast<double>(exits), benchmark::Counter::kIsRate);
}

void BM_uart_hammer(benchmark::State& state)
{
    run_and_count_exits(state, scenarios::load_scenario(NOVASIM_SCENARIO_DIR "/uart_hammer.toml"));
}
BENCHMARK(BM_uart_hammer)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_pit_ticks(benchmark::State& state)
{
    run_and_count_exits(state, scenarios::load_scenario(NOVASIM_SCENARIO_DIR "/pit_ticks.toml"));
}
BENCHMARK(BM_pit_ticks)->UseManualTime()->Unit(benchmark::kMillisecond);

// From the start of the run (machine, KVM VM, image loading) to hello's first byte on COM1.
void BM_first_serial_byte(benchmark::State& state)
{
    if (kvm_missing(state)) return;
    scenarios::Scenario s = scenarios::load_scenario(NOVASIM_SCENARIO_DIR "/hello.toml");
    for (auto _ : state) {
        scenarios::Run_report r = scenarios::run_scenario(s, {});
        if (r.first_serial_seconds < 0) state.SkipWithError("hello printed nothing");
        state.SetIterationTime(std::max(r.first_serial_seconds, 0.0));
    }
}
BENCHMARK(BM_first_serial_byte)->UseManualTime()->Unit(benchmark::kMillisecond);

// The file header (8 bytes) and the header chunk (length, kind, payload, CRC-32): what a trace
// costs once, whatever the number of events.
std::uint64_t header_bytes(std::string const& path)
{
    std::ifstream in{path, std::ios::binary};
    std::array<unsigned char, 12> start{};
    in.read(reinterpret_cast<char*>(start.data()), start.size());
    std::uint64_t payload =
        start[8] | start[9] << 8 | start[10] << 16 | std::uint64_t{start[11]} << 24;
    return 8 + 9 + payload;
}

void BM_replay(benchmark::State& state, std::string const& path)
{
    kvm::trace::Reader reader = kvm::trace::Reader::open(path);
    std::uint64_t events = 0;
    for (auto _ : state) {
        reader.rewind();
        scenarios::Replay_report r = scenarios::replay_trace(reader, {});
        if (r.divergence || r.exit_code != 0) state.SkipWithError("the replay diverged");
        events += r.events;
    }
    auto bytes = static_cast<double>(reader.size());
    double per_run = static_cast<double>(events) / static_cast<double>(state.iterations());
    auto head = static_cast<double>(header_bytes(path));
    state.counters["events"] = per_run;
    state.counters["events_per_s"] =
        benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
    state.counters["bytes_per_event"] = bytes / per_run;
    state.counters["record_bytes_per_event"] = (bytes - head) / per_run;
}

// Every bundled scenario (but real-time ones, which need a terminal) recorded once, here.
std::vector<std::pair<std::string, std::string>> fresh_recordings()
{
    std::vector<std::pair<std::string, std::string>> traces;
    if (!kvm::probe().usable) return traces;
    for (auto const& entry : fs::directory_iterator{NOVASIM_SCENARIO_DIR}) {
        if (entry.path().extension() != ".toml") continue;
        scenarios::Scenario s = scenarios::load_scenario(entry.path().string());
        if (s.machine.time == scenarios::Time_mode::real_time) continue;
        std::string name = entry.path().stem().string();
        std::string path = (fs::temp_directory_path() /
                            ("novasim_bench_" + name + "_" + std::to_string(::getpid()) + ".trace"))
                               .string();
        scenarios::run_scenario(s, {.record = path});
        traces.emplace_back(name, path);
    }
    std::sort(traces.begin(), traces.end());
    return traces;
}

} // namespace

int main(int argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    std::vector<std::pair<std::string, std::string>> traces = fresh_recordings();
    traces.emplace(traces.begin(), "bundled_hello", NOVASIM_SCENARIO_DIR "/traces/hello.trace");
    for (auto const& [name, path] : traces)
        benchmark::RegisterBenchmark(("BM_replay/" + name).c_str(), BM_replay, path)
            ->Unit(benchmark::kMicrosecond);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    for (std::size_t i = 1; i < traces.size(); ++i) fs::remove(traces[i].second);
    return 0;
}
