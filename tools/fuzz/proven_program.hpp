// The hand-off from a mutator to the execution that follows it. A mutator prints each mutant
// and parses the text back to see that it is a program; when that parse gives the mutant
// itself, the text round-trips, which is what an execution proves of every input. The engines
// (libFuzzer, the in-process one) execute the mutant next, so the parse and the proof travel
// with the text instead of being made again (a tenth of a fuzzer iteration's work).
#pragma once

#include "program/program.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace fuzz {

// Keeps `program` as the meaning of `text`, which it prints to and parses back from; replaces
// what was kept before. One per thread.
void keep_proven(std::string text, hcl::Program program);

// The program kept for exactly `text`, handed over once; nothing for any other text.
std::optional<hcl::Program> take_proven(std::string_view text);

} // namespace fuzz
