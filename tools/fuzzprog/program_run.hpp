// Runs a hypercall program on a simulated machine, with every oracle on (tools/README.md,
// "Components" and "Oracles"): top-level statements as the root EC on the host thread, each
// `thread` block on a global EC of its own, each `portal` block as its handler. Every hypercall
// and kernel function goes through the oracles (oracles.hpp): the kernel's invariant checker
// after each, and the reference model while it can follow. One line per executed call, in
// execution order.
#pragma once

#include "oracles.hpp"
#include "program/runner.hpp"
#include "sim/machine.hpp"

#include <memory>
#include <ostream>
#include <set>
#include <string>

namespace fuzzprog {

// Told about every call a run executes, in execution order (a fuzzer's coverage, say).
class Call_observer {
  public:
    virtual void called(hcl::Instruction const& instruction, hcl::Outcome const& outcome,
                        bool in_handler) = 0;

  protected:
    ~Call_observer() = default;
};

struct Run_options {
    std::uint32_t cpus{4};
    bool vmx{false};
    // How long, in TSC cycles, the root waits for each thread after the top level ended.
    std::uint64_t thread_wait{1'000'000'000};
    // One line per executed call; off for a fuzzer, which only wants to know what fired.
    bool trace{true};
    Call_observer* observer{nullptr};
};

// Who runs a statement: its name in the output and its view of the machine.
struct Actor {
    std::string name; // empty for the root
    sim::Env& env;
    bool handler{false}; // a portal handler: `reply` ends its block
};

class Program_run {
  public:
    Program_run(hcl::Program const& program, std::string filename, Run_options const& options,
                std::ostream& out);
    ~Program_run();

    // Nothing when the machine did not boot (the reason went to `out`).
    std::optional<hcl::Run_summary> run();

    // --- For the components (components.hpp) ------------------------------------------------
    // Runs a block of statements as `actor` (the user land's code calls back into it).
    void run_block(std::vector<hcl::Instruction> const& block, Actor& actor);
    // A hypercall that builds the component `declaration` (or runs it), through the oracles.
    nova::Status hypercall(sim::Env& env, nova::Sys_regs& frame,
                           hcl::Instruction const& declaration);
    // A runner handler starts or has finished its block, on behalf of `declaration`.
    void handler_started(sim::Env& handler, hcl::Instruction const& declaration);
    void handler_finished(sim::Env& handler);
    void add_handler(nova::mword ip) { oracles_->add_handler(ip); }

    sim::Machine& machine() { return oracles_->machine(); }

  private:
    bool run_statement(hcl::Instruction const& instruction, Actor& actor);
    void reached(hcl::Instruction const& instruction);
    hcl::Outcome execute(hcl::Instruction const& instruction, Actor& actor);
    hcl::Outcome execute_message(hcl::Instruction const& instruction, Actor& actor);
    hcl::Outcome execute_hypercall(hcl::Instruction const& instruction, Actor& actor);
    void reply(hcl::Instruction const& instruction, Actor& actor);
    void killed(hcl::Instruction const& instruction, Actor const& actor);
    void print(hcl::Instruction const& instruction, Actor const& actor, std::string const& outcome);
    void take(hcl::Instruction const& instruction, Verdict const& verdict);
    void note(hcl::Instruction const& instruction);
    void check(hcl::Instruction const& instruction, hcl::Outcome const& outcome);
    void judge(hcl::Instruction const& instruction, Verdict const& verdict);
    void run_top_level();
    void stopped_by_simulation(sim::Simulation_error const& error);
    void report_unreached(std::vector<hcl::Instruction> const& block);

    hcl::Program const& program_;
    std::string filename_;
    Run_options options_;
    std::ostream& out_;
    std::unique_ptr<Oracles> oracles_; // owns the machine
    std::unique_ptr<class Components> components_;
    hcl::Run_summary summary_{};
    Verdict verdict_;     // the first finding of the statement that runs now
    bool stopped_{false}; // an oracle fired, or the root is gone: nothing runs any more
    std::set<hcl::Instruction const*> reached_; // those with an expectation
};

} // namespace fuzzprog
