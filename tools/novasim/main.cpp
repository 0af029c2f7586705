// The `novasim` command line: one subcommand per job (design.md §1, tools/README.md).
#include "exit_code.hpp"
#include "format_command.hpp"
#include "fuzz_command.hpp"
#include "hypercalls_command.hpp"
#include "novasim/version.hpp"
#include "run_command.hpp"
#include "trace_command.hpp"

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>

namespace {

CLI::App* add_hypercalls_command(CLI::App& app, novasim::Hypercalls_options& options)
{
    CLI::App* command = app.add_subcommand(
        "hypercalls", "Run a hypercall program (.hcl) as the root EC of a simulated machine");
    command->add_option("FILE", options.file, "The program to run")->required();
    command->add_option("--cpus", options.cpus, "Number of CPUs of the machine")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    command->add_flag("--vmx", options.vmx, "Give the machine VMX, so vCPUs can be created");
    return command;
}

CLI::App* add_fuzz_command(CLI::App& app, novasim::Fuzz_options& options)
{
    CLI::App* command = app.add_subcommand(
        "fuzz", "Fuzz hypercall programs against every oracle for a time or a number of runs");
    command->add_option("--time", options.seconds, "Seconds to fuzz for")
        ->check(CLI::PositiveNumber);
    command->add_option("--runs", options.runs, "Programs to run (all jobs together)")
        ->check(CLI::PositiveNumber);
    command->add_option("--jobs", options.jobs, "Processes fuzzing side by side")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    command
        ->add_option("--corpus", options.corpus, "Corpus directory (read, and new inputs go there)")
        ->capture_default_str();
    command->add_option("--findings", options.findings, "Where minimised findings go")
        ->capture_default_str();
    command->add_option("--seeds", options.seeds,
                        "Seed directories (default: the project's seed corpus and findings)");
    command->add_option("--engine", options.engine, "libfuzzer, inprocess, or auto")
        ->check(CLI::IsMember({"auto", "libfuzzer", "inprocess"}))
        ->capture_default_str();
    command->add_option("--fuzzer", options.fuzzer,
                        "The libFuzzer target (default: the fuzz preset's build)");
    command->add_option("--seed", options.seed, "Seed of the search (default: NOVASIM_SEED, or 1)");
    return command;
}

CLI::App* add_format_command(CLI::App& app, std::string& file)
{
    CLI::App* command =
        app.add_subcommand("format", "Print a hypercall program in its canonical text");
    command->add_option("FILE", file, "The program to format")->required();
    return command;
}

CLI::App* add_run_command(CLI::App& app, novasim::Run_options& options)
{
    CLI::App* command = app.add_subcommand(
        "run", "Run a scenario (.toml): its guests on KVM, their serial output, their exit status");
    command->add_option("SCENARIO", options.file, "The scenario file")->required();
    command->add_flag("--stats", options.stats, "Print the exits per vCPU and event at the end");
    command->add_option("--record", options.record,
                        "Write every VM exit to this trace file (novasim replay reads it)");
    return command;
}

CLI::App* add_replay_command(CLI::App& app, novasim::Replay_options& options)
{
    CLI::App* command = app.add_subcommand(
        "replay", "Replay a recorded trace without KVM, comparing every reply of the VMM");
    command->add_option("TRACE", options.file, "The trace file (novasim run --record)")->required();
    command->add_option("--until", options.until,
                        "Stop after the reply to event N and print the VMM's state there");
    command->add_flag("-q,--quiet", options.quiet, "Do not print the guests' serial output");
    return command;
}

int run(int argc, char** argv)
{
    CLI::App app{"novasim: a NOVA microhypervisor simulated on Linux", "novasim"};
    app.set_version_flag("--version", std::string("novasim ") + novasim::version);
    app.require_subcommand(1);
    novasim::Hypercalls_options hypercalls_options;
    std::string format_file;
    CLI::App* hypercalls = add_hypercalls_command(app, hypercalls_options);
    CLI::App* format = add_format_command(app, format_file);
    novasim::Trace_command trace{app};
    novasim::Run_options run_options;
    CLI::App* run_scenario = add_run_command(app, run_options);
    novasim::Replay_options replay_options;
    CLI::App* replay = add_replay_command(app, replay_options);
    CLI::App* kvm = app.add_subcommand("kvm", "Say whether /dev/kvm is usable here, and why not");
    novasim::Fuzz_options fuzz_options;
    CLI::App* fuzz = add_fuzz_command(app, fuzz_options);
    try {
        app.parse(argc, argv);
    } catch (CLI::ParseError const& error) {
        // --help and --version end the parse too; they exit 0, every real parse error exits 2.
        return app.exit(error) == 0 ? novasim::exit_ok : novasim::exit_unusable;
    }
    if (*hypercalls) return novasim::run_hypercalls_command(hypercalls_options);
    if (*format) return novasim::run_format_command(format_file);
    if (trace.given()) return trace.run();
    if (*run_scenario) return novasim::run_scenario_command(run_options);
    if (*replay) return novasim::replay_command(replay_options);
    if (*kvm) return novasim::kvm_probe_command();
    if (*fuzz) return novasim::run_fuzz_command(fuzz_options);
    return novasim::exit_unusable;
}

} // namespace

int main(int argc, char** argv)
{
    try {
        return run(argc, argv);
    } catch (std::exception const& error) {
        // Only exhaustion of the host (memory, output) gets here; say so rather than abort.
        std::cerr << "novasim: error: " << error.what() << "\n";
        return novasim::exit_unusable;
    }
}
