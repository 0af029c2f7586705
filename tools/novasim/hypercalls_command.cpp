#include "hypercalls_command.hpp"

#include "exit_code.hpp"
#include "machine_target.hpp"
#include "program/status_text.hpp"
#include "source_file.hpp"

#include <iostream>

#include <fmt/format.h>

namespace novasim {

namespace {

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
    std::cout << fmt::format("{}: {} calls, {} expectations, {} failed{}\n", options.file,
                             summary.executed, summary.expectations, summary.failed,
                             summary.invariant_broken ? ", kernel invariant broken" : "");
    return summary.ok() ? exit_ok : exit_failed;
}

} // namespace novasim
