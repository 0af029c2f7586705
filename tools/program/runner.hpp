// Runs a program: encodes each instruction, executes the frame (or calls the kernel function),
// reports the outcome, checks the expectation and the kernel's invariants. What executes the
// calls is an interface, so the runner is tested with a fake kernel and `novasim hypercalls`
// plugs in a simulated machine.
#pragma once

#include "program/program.hpp"

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace hcl {

// The kernel functions' arguments (Kernel_function). `src` and `dst` are selectors in the root
// PD's object space that name PDs; the rest is the typed item of [C14] §3.4.
struct Delegate_request {
    std::uint64_t src{0}, dst{0};
    nova::Crd send{}, window{};
    std::uint64_t hotspot{0};
    bool dma{false}, guest{false}; // D, G: also enter the DMA and guest views
    bool kernel{false};            // H: the source is the kernel's own spaces (root PD only)
};

struct Translate_request {
    std::uint64_t src{0}, dst{0};
    nova::Crd crd{}, window{};
};

// What a kernel function gave back: its status, and on SUCCESS the CRD it returned.
struct Kernel_result {
    nova::Status status{nova::Status::success};
    nova::Crd crd{};
};

class Hypercall_target {
  public:
    virtual ~Hypercall_target() = default;
    // Executes `frame` as the root EC's `syscall` would and returns the status byte it got back.
    virtual nova::Status execute(nova::Sys_regs& frame) = 0;
    // The kernel's delegation engine and translate (nova::Kernel::delegate, ::translate): BAD_CAP
    // when `src` or `dst` names no PD (the tool's own check: the functions take PDs), OOM when
    // the delegation ran out of kernel memory part-way, else SUCCESS and the CRD the function
    // returned.
    virtual Kernel_result delegate(Delegate_request const& request) = 0;
    virtual Kernel_result translate(Translate_request const& request) = 0;
    // The name of a kernel invariant that no longer holds, or empty when all hold.
    virtual std::string broken_invariant() = 0;
};

// What a call gave back: its status, and the outputs its form defines (set only on SUCCESS).
struct Outcome {
    nova::Status status{nova::Status::success};
    Outputs outputs{};
    std::optional<std::vector<std::uint64_t>> words{}; // a call's reply words
};

// Runs one call (a hypercall, `raw`, or a kernel function) against `target`.
Outcome execute_call(Call const& call, Hypercall_target& target);
bool meets(Expectation const& expect, Outcome const& outcome);
// Reports an outcome that does not meet the instruction's expectation; true when it meets it.
bool check_expectation(Instruction const& instruction, Outcome const& outcome,
                       std::string_view filename, std::ostream& out);
// "FILE:LINE:COLUMN: error:"
std::string error_prefix(std::string_view filename, Source_location where);

// The oracle that stopped a run: a fuzzer's finding, unlike an unmet expectation.
enum class Oracle : std::uint8_t {
    none,
    invariant,  // the kernel's invariant checker
    model,      // the reference model differs from the kernel
    simulation, // the simulator under the kernel failed (it must not, whatever the program)
};

struct Run_summary {
    std::size_t executed{0};
    std::size_t expectations{0};
    std::size_t failed{0};      // expectations the outcome did not meet
    Oracle fired{Oracle::none}; // the run stopped at the call where it fired
    std::string finding;        // what the oracle said, one line
    bool stuck{false};          // the root blocked for good or was killed: the run ended early
    std::string model_off;      // why the reference model stopped following, if it did

    bool oracle_fired() const { return fired != Oracle::none; }
    bool ok() const { return failed == 0 && !oracle_fired() && !stuck; }
};

// Writes one line per call to `out`, "LINE: CALL -> STATUS [outputs]", followed by a
// "FILE:LINE:COLUMN: error: ..." line for an unmet expectation or a broken invariant.
Run_summary run_program(Program const& program, std::string_view filename, Hypercall_target& target,
                        std::ostream& out);

} // namespace hcl
