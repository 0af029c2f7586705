// Every in-process oracle of a run at one gate (design.md §5, tools/README.md "Oracles"): each
// hypercall the runner makes for any EC — a statement's, or one that builds a component — goes
// through `hypercall`, each kernel function through `kernel_function`. After the kernel's half
// the kernel's invariant checker runs, then, while it follows the program, the reference model
// (tests/model) is compared: outcomes, objects and every space of every PD.
//
// The model's half runs before the kernel's. The typed items of IPC are followed where the
// kernel transfers them: a call's when its handler starts (the kernel has moved them just
// before), a reply's at the runner's first step after the kernel made the reply. Where the
// model cannot follow the kernel any more it turns itself off for the rest of the run and says
// why (take_note): an operation it refuses (one that would stop the root EC), an object that a
// call or a blocked semaphore down still holds losing its last capability (the model counts
// capabilities and internal references, not execution), a call carrying typed items to a
// portal whose IP names no runner handler (nobody sees the items arrive), a reply to a caller
// the kernel has killed, or the kernel running out of memory.
#pragma once

#include "ipc_items.hpp"
#include "lockstep_runner.hpp"
#include "program/runner.hpp"
#include "sim/env.hpp"

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace fuzzprog {

// The machine configuration of every run.
novamodel::Lockstep_config lockstep_config(std::uint32_t cpus, bool vmx);

// What the oracles said about one step: nothing, or which fired and what it reported.
struct Verdict {
    hcl::Oracle fired{hcl::Oracle::none};
    std::string what;

    bool ok() const { return fired == hcl::Oracle::none; }
};

class Oracles {
  public:
    explicit Oracles(novamodel::Lockstep_config const& config);

    sim::Machine& machine() { return runner_->machine(); }
    std::string const& boot_difference() const { return runner_->boot_difference(); }
    bool model_on() const { return model_on_; }
    // Why the model turned off, once; empty when it did not (or has said so already).
    std::string take_note() { return std::exchange(note_, {}); }

    // A hypercall frame of `env`'s EC, executed by the kernel. When the kernel kills the EC,
    // sim::Ec_killed goes on, and the verdict comes from take_verdict().
    Verdict hypercall(sim::Env& env, nova::Sys_regs& frame);
    Verdict kernel_function(hcl::Call const& call, hcl::Hypercall_target& target,
                            hcl::Outcome& outcome);
    // A runner handler starts (the kernel has transferred its caller's items) or has finished
    // its block (the kernel replies next).
    Verdict handler_started(nova::Ec& handler);
    void handler_finished(nova::Ec& handler);
    // Follows the replies the kernel has made since the last step, and checks.
    Verdict catch_up();
    Verdict take_verdict() { return std::exchange(verdict_, {}); }

    // A portal IP whose handler is runner code, so that a call's items are seen to arrive.
    void add_handler(nova::mword ip) { handler_ips_.insert(ip); }

  private:
    struct Pending_reply {
        nova::Ec* handler;
        nova::Ec* caller;
        novamodel::Object_id from, to;
        Ipc_transfer transfer;
    };
    using Prediction = std::optional<novamodel::Outcome>;

    std::optional<novamodel::Object_id> model_pd(nova::Ec const& ec);
    std::optional<novamodel::Object_id> pd_named(std::uint64_t selector) const;
    Prediction predict(novamodel::Operation const& op);
    Prediction predict_hypercall(nova::Ec& ec, nova::Sys_regs const& frame);
    void check_held(std::vector<novamodel::Object_id> const& held);
    void check_items_seen(nova::Ec& caller, nova::Sys_regs const& frame);
    std::optional<novamodel::Operation> function_operation(hcl::Call const& call) const;
    Verdict after_hypercall(nova::Hypercall number, nova::Sys_regs const& frame,
                            Prediction const& model);
    Verdict judge(novamodel::Outcome const& kernel, Prediction const& model);
    Verdict judge_state(std::string difference);
    Verdict check_invariants();
    Verdict model_verdict(std::string const& difference) const;
    std::string follow_items(Ipc_transfer const& transfer, novamodel::Object_id from,
                             novamodel::Object_id to, nova::Utcb& received);
    void apply_replies();
    void turn_off(std::string reason);

    std::unique_ptr<novamodel::Lockstep_runner> runner_;
    bool model_on_{true};
    std::string note_;
    Verdict verdict_;
    std::vector<Pending_reply> pending_;
    std::set<nova::mword> handler_ips_;
};

} // namespace fuzzprog
