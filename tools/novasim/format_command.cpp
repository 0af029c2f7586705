#include "format_command.hpp"

#include "exit_code.hpp"
#include "program/printer.hpp"
#include "source_file.hpp"

#include <iostream>

namespace novasim {

int run_format_command(std::string const& file)
{
    auto program = load_program(file, std::cerr);
    if (!program) return exit_unusable;
    std::cout << hcl::format_program(*program);
    return exit_ok;
}

} // namespace novasim
