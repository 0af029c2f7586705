#include "run_command.hpp"

#include "exit_code.hpp"
#include "kvm/probe.hpp"
#include "scenarios/runner.hpp"

#include <fmt/format.h>
#include <iostream>

namespace novasim {

int run_scenario_command(Run_options const& options)
{
    scenarios::Run_report report;
    try {
        scenarios::Scenario scenario = scenarios::load_scenario(options.file);
        report = scenarios::run_scenario(scenario, {&std::cout});
    } catch (scenarios::Scenario_error const& e) {
        std::cerr << "novasim: " << e.what() << "\n";
        return exit_unusable;
    }
    std::cout.flush();
    for (scenarios::Vm_outcome const& vm : report.vms) {
        if (vm.failure) std::cerr << fmt::format("novasim: {}: {}\n", vm.name, *vm.failure);
        if (vm.exit_status)
            std::cerr << fmt::format("novasim: {}: exit status {}\n", vm.name, *vm.exit_status);
    }
    if (report.exit_code == scenarios::exit_no_status ||
        report.exit_code == scenarios::exit_timeout)
        std::cerr << fmt::format("novasim: the run ended without a guest's exit status: {}\n",
                                 report.stop);
    if (options.stats) scenarios::print_stats(report, std::cerr);
    return report.exit_code;
}

int kvm_probe_command()
{
    kvm::Probe p = kvm::probe();
    std::cout << p.reason << "\n";
    return p.usable ? exit_ok : exit_failed;
}

} // namespace novasim
