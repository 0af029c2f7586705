// A booted simulated machine and the reference model, driven in lockstep: each operation goes to
// both, then the outcomes, the kernel's invariants and the complete capability state are
// compared. This is the API the differential test and the hypercall fuzzer share.
#pragma once

#include "capability_model.hpp"
#include "object_binding.hpp"
#include "operation.hpp"
#include "sim/machine.hpp"

#include <cstdint>
#include <string>

namespace novamodel {

struct Lockstep_config {
    unsigned cpus{4};
    unsigned sel_bits{12};
    bool vmx{false};
    // Small memory keeps delegations from the kernel's memory space cheap.
    std::uint64_t ram_bytes{32ull << 20};
    std::uint64_t kernel_bytes{8ull << 20};
};

struct Step_result {
    Outcome kernel;
    Outcome model;
    std::string difference; // empty: the kernel and the model agree

    bool agrees() const { return difference.empty(); }
};

class Lockstep_runner {
  public:
    // Boots both; `boot_difference()` tells whether they already disagree.
    explicit Lockstep_runner(Lockstep_config const& config);
    Lockstep_runner(Lockstep_runner const&) = delete;
    Lockstep_runner& operator=(Lockstep_runner const&) = delete;

    std::string const& boot_difference() const { return boot_difference_; }

    // Applies `op` to the kernel and the model and compares everything. Throws
    // std::invalid_argument, before touching the kernel, for an operation that names a PD that is
    // not alive, that the model leaves out, or that would destroy the root EC or root SC. The
    // runner is unusable after that last one (the model has applied it).
    Step_result step(Operation const& op);

    Capability_model const& model() const { return model_; }
    nova::Kernel& kernel() { return machine_.kernel(); }
    sim::Machine& machine() { return machine_; }

  private:
    Outcome run_on_kernel(Operation const& op);
    Outcome run_on_kernel(Hypercall_op const& op);
    Outcome run_on_kernel(Delegate_op const& op);
    Outcome run_on_kernel(Revoke_op const& op);
    Outcome run_on_kernel(Lookup_op const& op);
    Outcome run_on_kernel(Translate_op const& op);
    void check_names_live_pds(Operation const& op) const;
    nova::Pd& kernel_pd(Object_id pd) const;
    std::string compare();

    sim::Machine machine_;
    Capability_model model_;
    Object_binding binding_;
    std::string boot_difference_;
};

Model_config model_config_for(Lockstep_config const& config);
sim::Machine_config machine_config_for(Lockstep_config const& config);

} // namespace novamodel
