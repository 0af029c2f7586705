// What a statement of a program runs against: one EC of a booted simulated machine (its
// hypercalls through the syscall gate, as sim::Env makes them), and the kernel's delegation
// engine and translate called directly, with the PDs named by selectors in the root PD's object
// space.
#pragma once

#include "program/runner.hpp"
#include "sim/env.hpp"
#include "sim/machine.hpp"

namespace fuzzprog {

// The frame `env`'s EC delivers for `call` (a hypercall or `raw`): its registers as the form
// encodes them, and the EC's own RIP, RSP and RFLAGS as a `syscall` would leave them.
nova::Sys_regs frame_for(sim::Env& env, hcl::Call const& call);

class Machine_target final : public hcl::Hypercall_target {
  public:
    explicit Machine_target(sim::Env& env) : env_{env}, machine_{env.machine()} {}

    nova::Status execute(nova::Sys_regs& frame) override;
    hcl::Kernel_result delegate(hcl::Delegate_request const& request) override;
    hcl::Kernel_result translate(hcl::Translate_request const& request) override;
    std::string broken_invariant() override;

    // The object of type T that the root PD's capability at `selector` names, or nullptr.
    template <typename T> static T* object_at(sim::Machine& machine, std::uint64_t selector);

  private:
    // The PD that the root PD's capability at `selector` names, or nullptr.
    nova::Pd* pd_at(std::uint64_t selector);

    sim::Env& env_;
    sim::Machine& machine_;
};

} // namespace fuzzprog
