#include "hypercalls_command.hpp"

#include "exit_code.hpp"
#include "program_run.hpp"
#include "source_file.hpp"

#include <iostream>

#include <fmt/format.h>

namespace novasim {

int run_hypercalls_command(Hypercalls_options const& options)
{
    auto program = load_program(options.file, std::cerr);
    if (!program) return exit_unusable;
    fuzzprog::Program_run run(*program, options.file, {.cpus = options.cpus, .vmx = options.vmx},
                              std::cout);
    std::optional<hcl::Run_summary> summary = run.run();
    if (!summary) return exit_unusable;
    std::cout << fmt::format("{}: {} calls, {} expectations, {} failed{}{}\n", options.file,
                             summary->executed, summary->expectations, summary->failed,
                             summary->oracle_fired() ? ", an oracle fired" : "",
                             summary->stuck ? ", the run ended early" : "");
    return summary->ok() ? exit_ok : exit_failed;
}

} // namespace novasim
