// Runs a hypercall program on a simulated machine, with every oracle on (tools/README.md,
// "Components" and "Oracles"): top-level statements as the root EC on the host thread, each
// `thread` block on a global EC of its own, each `portal` block as its handler. After every call
// the kernel's invariant checker runs; the reference model follows a program that only uses the
// operations it covers. One line per executed call, in execution order.
#pragma once

#include "model_oracle.hpp"
#include "program/runner.hpp"
#include "sim/machine.hpp"

#include <deque>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <string>

namespace fuzzprog {

struct Run_options {
    std::uint32_t cpus{4};
    bool vmx{false};
    // How long, in TSC cycles, the root waits for each thread after the top level ended.
    std::uint64_t thread_wait{1'000'000'000};
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

    // Runs a block of statements as `actor` (the user land's code calls back into it).
    void run_block(std::vector<hcl::Instruction> const& block, Actor& actor);

    sim::Machine& machine() { return *machine_; }

  private:
    bool run_statement(hcl::Instruction const& instruction, Actor& actor);
    hcl::Outcome execute(hcl::Instruction const& instruction, Actor& actor);
    hcl::Outcome execute_on_model(hcl::Instruction const& instruction, Actor& actor);
    hcl::Outcome execute_call(hcl::Instruction const& instruction, Actor& actor);
    void reply(hcl::Instruction const& instruction, Actor& actor);
    void print(hcl::Instruction const& instruction, Actor const& actor, std::string const& outcome);
    void check(hcl::Instruction const& instruction, hcl::Outcome const& outcome);
    void oracle_fired(hcl::Instruction const& instruction, std::string const& what);
    void run_top_level();
    void report_unreached(std::vector<hcl::Instruction> const& block);

    hcl::Program const& program_;
    std::string filename_;
    Run_options options_;
    std::ostream& out_;
    std::unique_ptr<Model_oracle> model_; // owns the machine when the model follows the program
    bool model_on_{false};
    std::unique_ptr<sim::Machine> own_machine_;
    sim::Machine* machine_{nullptr};
    std::unique_ptr<class Components> components_;
    hcl::Run_summary summary_{};
    bool stopped_{false}; // an oracle fired: nothing runs any more
    std::set<hcl::Instruction const*> reached_;
};

} // namespace fuzzprog
