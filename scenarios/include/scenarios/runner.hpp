// Running a scenario: a simulated machine with the KVM backend, one VMM component per VM (the
// vmm library's Vm), each VM's image loaded into its RAM, the guests' serial output on the
// console; the run ends with a guest's exit status (debug-exit port), a failure, or a limit.
#pragma once

#include "scenarios/scenario.hpp"
#include "vmm/vm/exit_handler.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace scenarios {

struct Run_options {
    std::ostream* console{nullptr}; // the guests' serial output (nullptr: discarded)
    int input{0};         // real-time runs: host input for the first VM's COM1 (-1: none; 0: stdin)
    std::string record{}; // a trace file to write (novasim run --record): every VM exit
};

struct Vm_outcome {
    std::string name;
    std::optional<std::uint64_t> exit_status; // what the guest wrote to the debug-exit port
    std::optional<std::string> failure;       // why it could not go on
    vmm::Exit_histogram histogram;
    std::string serial; // everything it printed on COM1
};

struct Run_report {
    std::vector<Vm_outcome> vms;
    std::string stop;  // how the run ended, in words
    double seconds{0}; // host time
    std::uint64_t simulated_ns{0};
    double first_serial_seconds{-1}; // host time to the first byte on a serial console (-1: none)
    int exit_code{0};                // the guest's status, or one of the codes below
    std::uint64_t trace_records{0}, trace_bytes{0}; // what a recording wrote
};

// Exit codes besides the guest's own status (tools/README.md).
inline constexpr int exit_failed = 3;    // a guest failed (triple fault, ...) or KVM did
inline constexpr int exit_no_status = 4; // every guest stopped without an exit status
inline constexpr int exit_timeout = 124; // the wall-clock limit

// Scenario_error when the scenario cannot run here (no usable KVM, an image refused); a trace
// that cannot be written is a std::runtime_error.
Run_report run_scenario(Scenario const& scenario, Run_options const& options);
// The exit histogram per vCPU and event (novasim run --stats).
void print_stats(Run_report const& report, std::ostream& out);

} // namespace scenarios
