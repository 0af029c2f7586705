// The `novasim` command line: one subcommand per job (design.md §1, tools/README.md).
#include "exit_code.hpp"
#include "format_command.hpp"
#include "fuzz_command.hpp"
#include "hypercalls_command.hpp"
#include "novasim/version.hpp"

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

int run(int argc, char** argv)
{
    CLI::App app{"novasim: a NOVA microhypervisor simulated on Linux", "novasim"};
    app.set_version_flag("--version", std::string("novasim ") + novasim::version);
    app.require_subcommand(1);
    novasim::Hypercalls_options hypercalls_options;
    std::string format_file;
    CLI::App* hypercalls = add_hypercalls_command(app, hypercalls_options);
    CLI::App* format = add_format_command(app, format_file);
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
