// Replaying a trace (novasim replay): the VMM rebuilt from the scenario and images the trace
// keeps, run on the simulated kernel with the recorded exits instead of KVM (no /dev/kvm
// needed), every reply compared with the recorded one. The first difference stops the replay
// with the event, the vCPU and a field-by-field diff.
#pragma once

#include "kvm/trace/replayer.hpp"
#include "kvm/trace/scan.hpp"
#include "scenarios/runner.hpp"
#include "vmm/vm/vm.hpp"

#include <functional>
#include <optional>
#include <ostream>
#include <string>

namespace scenarios {

inline constexpr int exit_diverged = 5; // a reply differs from the recorded one

struct Replay_options {
    std::ostream* console{nullptr};     // the guests' serial output as the VMM replays it
    std::optional<std::uint64_t> until; // stop after the reply to this event, dump the state
    // Called for each VM once it is built, before the replay runs: a test or an experiment
    // changes the VMM here to see where, and how, the replay departs from the recording.
    std::function<void(vmm::Vm&)> adjust_vmm{};
};

struct Replay_report {
    kvm::trace::Header header;
    kvm::trace::Summary summary; // of the whole file
    Run_report run;              // the replayed run
    std::optional<kvm::trace::Divergence> divergence;
    std::uint64_t events{0};  // messages replayed
    std::uint64_t records{0}; // records replayed
    bool reached_until{false};
    std::string state; // --until: the VMM's state there
    int exit_code{0};  // 0: the replay matched (or reached --until); exit_diverged
};

// Format_error (kvm/trace/format.hpp) for a file that is not a trace novasim can have written
// for its scenario; Scenario_error when the scenario it keeps does not parse.
Replay_report replay_trace(kvm::trace::Reader& reader, Replay_options const& options);
// The summary, or the divergence; with --until the state.
void print_replay(Replay_report const& report, std::ostream& out);

} // namespace scenarios
