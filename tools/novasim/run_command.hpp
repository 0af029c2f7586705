// `novasim run SCENARIO.toml`: runs a scenario (scenarios/README.md): the guests' serial output
// on standard output, then the exit status of the guest; `--stats` adds the exit histogram per
// vCPU and event. And `novasim kvm`: whether /dev/kvm is usable here, in one line.
#pragma once

#include <string>

namespace novasim {

struct Run_options {
    std::string file;
    bool stats{false};
};

int run_scenario_command(Run_options const& options);
int kvm_probe_command();

} // namespace novasim
