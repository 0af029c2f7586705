// Every in-process oracle of a run at one gate (design.md §5, tools/README.md "Oracles"): each
// hypercall the runner makes for any EC — a statement's, or one that builds a component — goes
// through `hypercall`, each kernel function through `kernel_function`. After each, the kernel's
// invariant checker runs on what changed (Kernel::check_changes), then, while it follows the
// program, the reference model (tests/model) is compared: outcomes, objects and every space of
// every PD that changed since the last comparison (novamodel::Agreement); at the end of the
// program, the checker and the comparison walk everything.
//
// The model must see the kernel's operations in the kernel's order, and on several CPUs that is
// not the order in which the runner makes them: a hypercall can wait at a lockstep point inside
// the kernel's entry while other CPUs run theirs. So the model follows what the kernel has
// *done*: each hypercall carries a unique mark in R15 (no hypercall reads it), which the kernel
// copies into the EC's registers right before it handles the call, with nothing in between; at
// every step of the runner (the gate, a handler's start) the model takes the hypercalls whose
// mark has arrived, the replies the kernel has made (a handler that no longer serves its
// caller), and, at a handler's start, the items of the call that the kernel has just moved.
//
// Where the model cannot follow the kernel any more it turns itself off for the rest of the run
// and says why (take_note): an operation it refuses (one that would stop the root EC); an
// object that a call or a blocked semaphore down still holds losing its last capability (the
// model counts capabilities and internal references, not execution); a call carrying typed
// items to a portal whose IP names no runner handler; a caller killed while its handler
// replies; operations of several CPUs reaching the kernel between two steps of the runner in an
// order that changes the outcome; the kernel running out of memory. A killed EC runs no more
// hypercalls: one whose mark had not arrived when the EC was seen dead must change nothing.
#pragma once

#include "ipc_items.hpp"
#include "lockstep_runner.hpp"
#include "program/runner.hpp"
#include "sim/env.hpp"

#include <memory>
#include <optional>
#include <set>
#include <span>
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
    bool has_note() const { return !note_.empty(); } // asked after every call: no string made

    // A hypercall frame of `env`'s EC, executed by the kernel. When the kernel kills the EC,
    // sim::Ec_killed goes on, and the verdict comes from take_verdict(). With `state` off only
    // the outcome is judged: the runner's own hypercalls that build a component leave the state
    // to the judgement after the component is complete (catch_up), which sees every change
    // since the last one.
    Verdict hypercall(sim::Env& env, nova::Sys_regs& frame, bool state = true);
    Verdict kernel_function(hcl::Call const& call, hcl::Hypercall_target& target,
                            hcl::Outcome& outcome);
    // A runner handler starts (the kernel has transferred its caller's items) or has finished
    // its block (the kernel replies next).
    Verdict handler_started(nova::Ec& handler);
    void handler_finished(nova::Ec& handler);
    // Follows what the kernel did since the last step, and checks; completely: compares
    // everything, not only what changed since the last comparison.
    Verdict catch_up();
    Verdict catch_up_completely();
    Verdict take_verdict() { return std::exchange(verdict_, {}); }

    // A portal IP whose handler is runner code, so that a call's items are seen to arrive.
    void add_handler(nova::mword ip) { handler_ips_.insert(ip); }

  private:
    // A hypercall between the gate and its return. Once the model has followed it, `model` is
    // its outcome, or nothing for an EC that was dead before the kernel handled the call (the
    // call must then change nothing).
    struct In_flight {
        nova::Ec* ec;
        std::uint64_t mark;
        novamodel::Operation op; // a Hypercall_op
        bool followed{false};
        bool died_before{false};
        std::optional<novamodel::Outcome> model;
        bool carries_items{false}; // a call with typed items

        novamodel::Hypercall_op const& call() const
        {
            return std::get<novamodel::Hypercall_op>(op);
        }
    };
    struct Pending_reply {
        nova::Ec* handler;
        nova::Ec* caller;
        novamodel::Object_id from, to;
        Ipc_transfer transfer;
        bool made{false}; // the handler has taken another call since

        // A handler that serves another call, or the same caller again (its recall or
        // exception portal), has replied: a local EC takes a call only once it has.
        bool replied() const { return made || handler->caller != caller; }
    };
    // What the kernel did between two steps of the runner: a hypercall, or a reply's items.
    struct Kernel_step {
        std::vector<novamodel::Operation> items; // a reply's
        In_flight* hypercall{nullptr};           // or a hypercall, with its operation

        std::span<novamodel::Operation const> operations() const
        {
            if (hypercall != nullptr) return {&hypercall->op, 1};
            return items;
        }
    };

    In_flight* begin(nova::Ec& ec, nova::Sys_regs& frame);
    Verdict finish(In_flight* flight, nova::Hypercall number, nova::Sys_regs const& frame,
                   bool state);
    bool portal_gone(novamodel::Hypercall_op const& op) const;
    void follow_kernel();
    std::unique_ptr<In_flight> spare_flight();
    void collect_kernel_steps();
    void replies_made_by(nova::Ec const& handler);
    bool order_matters(std::vector<Kernel_step> const& steps) const;
    void follow(Kernel_step const& step);
    void check_held(std::vector<novamodel::Object_id> const& held);
    std::optional<novamodel::Outcome> predict(novamodel::Operation const& op);
    std::optional<novamodel::Object_id> model_pd(nova::Ec const& ec);
    std::optional<novamodel::Object_id> pd_named(std::uint64_t selector) const;
    std::optional<novamodel::Object_id> object_named(novamodel::Object_id pd,
                                                     std::uint64_t selector) const;
    static bool carries_items(nova::Ec& caller, nova::Sys_regs const& frame);
    void check_items_seen(nova::Ec& caller, nova::mword portal);
    std::optional<novamodel::Operation> function_operation(hcl::Call const& call) const;
    Verdict judge(novamodel::Outcome const& kernel, std::optional<novamodel::Outcome> const& model,
                  bool state = true);
    Verdict judge_state(std::string difference);
    Verdict check_invariants();
    Verdict model_verdict(std::string const& difference) const;
    std::string follow_items(Ipc_transfer const& transfer, novamodel::Object_id from,
                             novamodel::Object_id to, nova::Utcb& received);
    void turn_off(std::string reason);

    std::unique_ptr<novamodel::Lockstep_runner> runner_;
    bool model_on_{true};
    bool check_everything_{false}; // the invariant checker walks every space, not the changed
    std::string note_;
    Verdict verdict_;
    std::uint64_t next_mark_{0x4e6f'7661'0000'0000}; // "Nova" in the high half, for a debugger
    std::vector<std::unique_ptr<In_flight>> in_flight_;
    std::vector<std::unique_ptr<In_flight>> spare_flights_; // returned, for reuse
    std::vector<Kernel_step> steps_;                        // of one follow_kernel
    std::vector<Pending_reply> pending_;
    std::set<nova::mword> handler_ips_;
};

} // namespace fuzzprog
