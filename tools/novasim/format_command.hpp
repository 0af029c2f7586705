// `novasim format FILE`: prints a program in its canonical text (program/printer.hpp), so a
// hand-written or minimised program can be normalised before it goes into a corpus.
#pragma once

#include <string>

namespace novasim {

int run_format_command(std::string const& file);

} // namespace novasim
