// Minimises a finding at statement level (delta debugging, syzkaller's pkg/repro "minimise
// calls and arguments"): drop chunks of top-level statements, halving the chunk size down to
// one; then single statements of blocks; then simpler statements — no typed items, no words,
// optional operands at their defaults, no flags. Every step is kept only while `still_fires`
// says the same oracle still fires; names that lose their binding are repaired as after a
// mutation. The result is the program a person reads in the findings directory.
#pragma once

#include "program/program.hpp"

#include <cstddef>
#include <functional>

namespace fuzz {

using Still_fires = std::function<bool(hcl::Program const&)>;

// At most `budget` calls of `still_fires`.
hcl::Program minimise(hcl::Program program, Still_fires const& still_fires,
                      std::size_t budget = 3000);

} // namespace fuzz
