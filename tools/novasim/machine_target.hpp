// What `novasim hypercalls` runs a program against: the root EC of a booted simulated machine,
// and the kernel's delegation engine and translate called directly, with the PDs named by
// selectors in the root PD's object space. The kernel's invariant checker runs after each call.
#pragma once

#include "program/runner.hpp"
#include "sim/machine.hpp"

namespace novasim {

class Machine_target final : public hcl::Hypercall_target {
  public:
    explicit Machine_target(sim::Machine& machine) : machine_{machine} {}

    nova::Status execute(nova::Sys_regs& frame) override;
    hcl::Kernel_result delegate(hcl::Delegate_request const& request) override;
    hcl::Kernel_result translate(hcl::Translate_request const& request) override;
    std::string broken_invariant() override;

  private:
    // The PD that the root PD's capability at `selector` names, or nullptr.
    nova::Pd* pd_at(std::uint64_t selector);

    sim::Machine& machine_;
};

} // namespace novasim
