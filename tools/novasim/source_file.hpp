// Loads an input file for a command, and on failure says why on `err`: a program is read and
// parsed (a missing file, or "FILE:LINE:COLUMN: error: ..." for a malformed line); any other
// file (a trace) is only read, whole.
#pragma once

#include "program/program.hpp"

#include <optional>
#include <ostream>
#include <string>

namespace novasim {

std::optional<std::string> read_text(std::string const& path, std::ostream& err);
std::optional<hcl::Program> load_program(std::string const& path, std::ostream& err);

} // namespace novasim
