// A booted simulated machine and the reference model, driven in lockstep: each operation goes to
// both, then the outcomes, the kernel's invariants and the complete capability state are
// compared. This is the API the differential test and the hypercall fuzzer share.
#pragma once

#include "capability_model.hpp"
#include "object_binding.hpp"
#include "operation.hpp"
#include "sim/machine.hpp"
#include "state_compare.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace novamodel {

struct Lockstep_config {
    unsigned cpus{4};
    unsigned sel_bits{12};
    bool vmx{false};
    unsigned gsis{128};
    // Small memory keeps delegations from the kernel's memory space cheap.
    std::uint64_t ram_bytes{32ull << 20};
    std::uint64_t kernel_bytes{8ull << 20};
    // Whether each comparison runs the kernel's invariant checker first (a kernel that broke an
    // invariant must not be walked); off for a caller that has just run it.
    bool check_kernel{true};
    // Whether each comparison walks only what changed since the last agreement (see
    // novamodel::Agreement); off, every comparison walks everything.
    bool incremental{true};
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
    // not alive, that would destroy the root EC or root SC, or that is a hypercall of another
    // EC than the root's (the runner has no such EC to make it). The runner is unusable after
    // the root-destroying one (the model has applied it).
    Step_result step(Operation const& op);

    // The two halves of `step`, for a caller that runs the kernel's half itself: hypercalls of
    // any EC, typed items of an IPC message that the kernel has transferred already (the
    // hypercall fuzzer). model_step applies `op` to the model and throws as `step` does;
    // compare tells how the kernel's outcome and state differ from the model's,
    // compare_outcome how the outcome alone does.
    Outcome model_step(Operation const& op);
    std::string compare(Outcome const& kernel, Outcome const& model);
    static std::string compare_outcome(Outcome const& kernel, Outcome const& model);

    // The model's name for a kernel object the comparison has bound (objects are bound when
    // first seen through a capability), or nothing.
    std::optional<Object_id> model_id(nova::Kobject const* object) const
    {
        return binding_.model_id(object);
    }
    // The objects (model ids) that execution ties up in the kernel beyond their capabilities:
    // both ends of every call in progress (the caller holds its callee until the reply, even
    // when the caller dies meanwhile), and the semaphore of every blocked EC. The model does not
    // count these references.
    std::vector<Object_id> held_by_execution() const;
    // The comparison of the state alone: the kernel's invariant checker first (unless the
    // configuration says the caller runs it), then objects and mappings.
    std::string compare_state();
    // The next comparison walks everything (the end of a fuzzer's program does this).
    void forget_agreement() { agreement_.forget(); }

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

    Lockstep_config config_;
    sim::Machine machine_;
    Capability_model model_;
    Object_binding binding_;
    Agreement agreement_;
    std::string boot_difference_;
};

Model_config model_config_for(Lockstep_config const& config);
sim::Machine_config machine_config_for(Lockstep_config const& config);

} // namespace novamodel
