// Loads a program file for a command: reads it and parses it, and on failure says why on `err`
// (a missing file, or "FILE:LINE:COLUMN: error: ..." for a malformed line).
#pragma once

#include "program/program.hpp"

#include <optional>
#include <ostream>
#include <string>

namespace novasim {

std::optional<hcl::Program> load_program(std::string const& path, std::ostream& err);

} // namespace novasim
