// A finding as a file a person can read and replay: `DIR/KIND-HASH.hcl`, a comment header that
// says which oracle fired, with what report, and how the input was found, then the minimised
// program; and the one-line command that reproduces it.
#pragma once

#include "execution.hpp"

#include <filesystem>
#include <string>

namespace fuzz {

struct Finding_file {
    std::filesystem::path path;
    std::string command; // e.g. "novasim hypercalls DIR/model-1a2b3c4d.hcl"
};

// What fired, for the file's name and header: the oracle (or "crash", "asan", ...) and its
// report, as `execute` or a child run wrote it.
struct Fired {
    std::string kind;
    std::string report;
};

// `reproducer` is the command that runs a program file with the oracles that fired.
Finding_file write_finding(std::filesystem::path const& dir, hcl::Program const& program,
                           Fired const& fired, std::string const& origin,
                           std::string const& reproducer = "novasim hypercalls");

} // namespace fuzz
