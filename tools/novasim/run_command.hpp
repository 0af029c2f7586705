// `novasim run SCENARIO.toml`: runs a scenario (scenarios/README.md): the guests' serial output
// on standard output, then the exit status of the guest; `--stats` adds the exit histogram per
// vCPU and event, `--record FILE` writes a trace of every VM exit. And `novasim kvm`: whether
// /dev/kvm is usable here, in one line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace novasim {

struct Run_options {
    std::string file;
    bool stats{false};
    std::string record; // --record FILE: the trace to write
};

// `novasim replay TRACE [--until N]`: the trace's scenario replayed without KVM (exit 0 when
// every reply matches, 5 when one differs, 2 when the file is refused).
struct Replay_options {
    std::string file;
    std::optional<std::uint64_t> until;
    bool quiet{false}; // without the guests' serial output
};

int run_scenario_command(Run_options const& options);
int replay_command(Replay_options const& options);
int kvm_probe_command();

} // namespace novasim
