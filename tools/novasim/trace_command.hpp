// `novasim trace info|dump|stats|export`: the tools that read a VM-exit trace
// (tools/TRACE_FORMAT.md). Each reads the whole file and has the scan check it first, so a
// malformed file prints nothing but "FILE: byte N: what is wrong" and exits 2.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace novasim {

struct Trace_options {
    enum class Tool { info, dump, stats, export_chrome };
    Tool tool{Tool::info};
    std::string file;
    std::vector<std::uint32_t> vcpus; // dump --vcpu
    std::vector<std::string> events;  // dump --event: numbers or keywords
    std::uint64_t from{0};
    std::uint64_t count{std::numeric_limits<std::uint64_t>::max()};
    bool chrome{false};
    std::string output; // export -o; empty: standard output
};

// The `trace` subcommand of `app` together with the options it parses into, so that main(), which
// every subcommand shares, needs one line to register it and one to run it.
class Trace_command {
  public:
    explicit Trace_command(CLI::App& app);
    Trace_command(Trace_command const&) = delete; // the subcommands' callbacks point at options_
    Trace_command& operator=(Trace_command const&) = delete;

    bool given() const { return static_cast<bool>(*command_); }
    int run() const;

  private:
    Trace_options options_;
    CLI::App* command_;
};

} // namespace novasim
