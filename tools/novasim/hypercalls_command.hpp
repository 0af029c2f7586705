// `novasim hypercalls FILE`: boots a simulated machine and runs a hypercall program as its root
// EC, one line of output per hypercall (program/runner.hpp).
#pragma once

#include <cstdint>
#include <string>

namespace novasim {

struct Hypercalls_options {
    std::string file;
    std::uint32_t cpus{4};
    bool vmx{false};
};

int run_hypercalls_command(Hypercalls_options const& options);

} // namespace novasim
