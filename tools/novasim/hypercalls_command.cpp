#include "hypercalls_command.hpp"

#include "exit_code.hpp"
#include "program/runner.hpp"
#include "program/status_text.hpp"
#include "sim/machine.hpp"
#include "source_file.hpp"

#include <iostream>

#include <fmt/format.h>

namespace novasim {

namespace {

// The root EC of a booted machine, checked after every hypercall (design.md §2).
class Machine_target final : public hcl::Hypercall_target {
  public:
    explicit Machine_target(sim::Machine& machine) : machine_{machine} {}

    nova::Status execute(nova::Sys_regs& frame) override
    {
        return machine_.hypercall_as_root(frame);
    }

    std::string broken_invariant() override
    {
        nova::Check_result result = machine_.kernel().check();
        if (result.ok()) return {};
        return fmt::format("{} (detail {:#x})", result.invariant, result.detail);
    }

  private:
    sim::Machine& machine_;
};

sim::Machine_config machine_config(Hypercalls_options const& options)
{
    sim::Machine_config config{};
    config.cpus = options.cpus;
    config.vmx = options.vmx;
    return config;
}

} // namespace

int run_hypercalls_command(Hypercalls_options const& options)
{
    auto program = load_program(options.file, std::cerr);
    if (!program) return exit_unusable;
    sim::Machine machine(machine_config(options));
    if (machine.boot_status() != nova::Status::success) {
        std::cerr << fmt::format("novasim: error: the machine did not boot: {}\n",
                                 hcl::format_status(machine.boot_status()));
        return exit_unusable;
    }
    Machine_target target(machine);
    hcl::Run_summary summary = hcl::run_program(*program, options.file, target, std::cout);
    std::cout << fmt::format("{}: {} hypercalls, {} expectations, {} failed{}\n", options.file,
                             summary.executed, summary.expectations, summary.failed,
                             summary.invariant_broken ? ", kernel invariant broken" : "");
    return summary.ok() ? exit_ok : exit_failed;
}

} // namespace novasim
