#include "run_command.hpp"

#include "exit_code.hpp"
#include "kvm/probe.hpp"
#include "scenarios/replay.hpp"
#include "scenarios/runner.hpp"

#include <fmt/format.h>
#include <iostream>

namespace novasim {

int run_scenario_command(Run_options const& options)
{
    scenarios::Run_report report;
    try {
        scenarios::Scenario scenario = scenarios::load_scenario(options.file);
        scenarios::Run_options run{.console = &std::cout, .record = options.record};
        report = scenarios::run_scenario(scenario, run);
    } catch (std::runtime_error const& e) { // a scenario or image refused, a trace unwritable
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
    if (!options.record.empty()) {
        std::cerr << fmt::format("novasim: recorded {} records ({} bytes) in {}\n",
                                 report.trace_records, report.trace_bytes, options.record);
    }
    return report.exit_code;
}

int replay_command(Replay_options const& options)
{
    try {
        kvm::trace::Reader reader = kvm::trace::Reader::open(options.file);
        scenarios::Replay_options replay{.console = options.quiet ? nullptr : &std::cout,
                                         .until = options.until};
        scenarios::Replay_report report = scenarios::replay_trace(reader, replay);
        std::cout.flush();
        scenarios::print_replay(report, std::cerr);
        return report.exit_code;
    } catch (std::runtime_error const& e) { // a malformed trace, or the scenario it keeps
        std::cerr << fmt::format("novasim: {}: {}\n", options.file, e.what());
        return exit_unusable;
    }
}

int kvm_probe_command()
{
    kvm::Probe p = kvm::probe();
    std::cout << p.reason << "\n";
    return p.usable ? exit_ok : exit_failed;
}

} // namespace novasim
