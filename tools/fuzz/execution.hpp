// One fuzz input judged the way every engine judges it (libFuzzer's LLVMFuzzerTestOneInput,
// the in-process engine, the corpus replay, the minimiser): parsed; printed and parsed again,
// which must give the same program (an input that is its program's printed text, as every
// mutant is, has been parsed already; the mutant the mutator has just proven so is not parsed
// at all, proven_program.hpp); run on a fresh machine with every oracle and no trace. An
// unmet expectation is no finding (a mutant's outcomes are the kernel's to say), and neither
// is a root that blocks for good: only an oracle, or an exception out of the runner, is.
#pragma once

#include "program/program.hpp"
#include "program_run.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace fuzz {

enum class Finding : std::uint8_t {
    none,
    invariant,  // the kernel's invariant checker
    model,      // the reference model differs
    simulation, // the simulator failed
    exception,  // an exception left the runner (a harness bug)
    round_trip, // printing and parsing the program do not round-trip
};

char const* finding_name(Finding finding);

struct Execution {
    bool parsed{false};
    Finding finding{Finding::none};
    std::string report{}; // what fired: the run's error lines
    std::size_t calls{0};
    std::string model_off{}; // why the reference model stopped following, if it did

    bool found() const { return finding != Finding::none; }
};

Execution execute(std::string_view text, fuzzprog::Call_observer* observer = nullptr);
Execution execute(hcl::Program const& program, fuzzprog::Call_observer* observer = nullptr);

// Which bug a finding is, for telling findings apart and for the minimiser's "the same oracle
// still fires": the oracle, and for the invariant checker the invariant's name; for the
// simulator and exceptions their message with the numbers left out.
std::string signature(Execution const& execution);
// The first line of `text` with every number written as '#': a report's shape.
std::string numbers_blanked(std::string_view text);

} // namespace fuzz
