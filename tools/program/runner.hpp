// Runs a program: encodes each instruction, executes the frame, reports the outcome, checks the
// expectation and the kernel's invariants. What executes the frames is an interface, so the
// runner is tested with a fake kernel and `novasim hypercalls` plugs in a simulated machine.
#pragma once

#include "program/program.hpp"

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

namespace hcl {

class Hypercall_target {
  public:
    virtual ~Hypercall_target() = default;
    // Executes `frame` as the root EC's `syscall` would and returns the status byte it got back.
    virtual nova::Status execute(nova::Sys_regs& frame) = 0;
    // The name of a kernel invariant that no longer holds, or empty when all hold.
    virtual std::string broken_invariant() = 0;
};

struct Run_summary {
    std::size_t executed{0};
    std::size_t expectations{0};
    std::size_t failed{0};        // expectations the outcome did not meet
    bool invariant_broken{false}; // the run stopped at the hypercall that broke it

    bool ok() const { return failed == 0 && !invariant_broken; }
};

// Writes one line per hypercall to `out`, "LINE: CALL -> STATUS [outputs]", followed by a
// "FILE:LINE:COLUMN: error: ..." line for an unmet expectation or a broken invariant.
Run_summary run_program(Program const& program, std::string_view filename, Hypercall_target& target,
                        std::ostream& out);

} // namespace hcl
