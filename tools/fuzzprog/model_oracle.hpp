// The reference model as an oracle (tests/model, design.md §5): a program whose every statement
// is a capability operation of the root that the model covers (create_*, revoke, lookup, delegate,
// translate; `slot` declarations) runs on the Lockstep_runner's machine, each operation applied
// to the model and the kernel and the two compared. Any other program runs without the model.
#pragma once

#include "lockstep_runner.hpp"
#include "program/runner.hpp"

#include <memory>
#include <optional>
#include <string>

namespace fuzzprog {

// Why the model cannot follow `program`, or nothing when it can.
std::optional<std::string> model_unfit(hcl::Program const& program);

// The machine configuration of every run, model or not, so a program's outputs do not depend on
// whether the model follows it.
novamodel::Lockstep_config lockstep_config(std::uint32_t cpus, bool vmx);

class Model_oracle {
  public:
    explicit Model_oracle(novamodel::Lockstep_config const& config)
        : runner_{std::make_unique<novamodel::Lockstep_runner>(config)}
    {
    }

    sim::Machine& machine() { return runner_->machine(); }
    std::string const& boot_difference() const { return runner_->boot_difference(); }

    struct Step {
        hcl::Outcome outcome;
        std::string difference; // empty: the kernel and the model agree
    };
    // Runs `call` (a covered operation of the root) on both; nothing when the model refuses the
    // operation (std::invalid_argument: the caller runs it on the kernel alone from then on).
    std::optional<Step> step(hcl::Call const& call, std::string& refusal);

  private:
    std::optional<novamodel::Object_id> pd_named(std::uint64_t selector) const;
    std::optional<novamodel::Operation> operation(hcl::Call const& call) const;

    std::unique_ptr<novamodel::Lockstep_runner> runner_;
};

} // namespace fuzzprog
