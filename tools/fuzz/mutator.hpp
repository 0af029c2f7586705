// The structure-aware mutator (libFuzzer's LLVMFuzzerCustomMutator, google/fuzzing
// structure-aware-fuzzing.md): a corpus entry is a readable program; a mutant is that program
// with one to four statement-level changes — a statement inserted (written by the generator
// with live names of the right kinds), deleted, duplicated, swapped with its neighbour, one of
// its operands rebound or redrawn, a flag toggled, a right taken out of a CRD, its message
// redrawn — then repaired so that every name is bound once and before its uses. So nearly every
// mutant parses and means something, and every finding is already a program a person can read.
#pragma once

#include "generator.hpp"

#include <string>
#include <string_view>

namespace fuzz {

struct Mutation_limits {
    std::size_t statements{48}; // in all blocks together
    std::size_t block{8};       // in one block
};

// Mutates `program` in place. Expectations are dropped: a mutant's outcomes are the kernel's
// to say; its oracles judge it.
void mutate(hcl::Program& program, Random& random, Swarm const& swarm,
            Mutation_limits const& limits = {});
// `a`'s top-level statements up to a random point, then `b`'s from a random point.
hcl::Program cross_over(hcl::Program const& a, hcl::Program const& b, Random& random);
// Every name bound once and before its uses: a use of a name that is not bound (any more)
// takes a bound name of a kind its operand wants, or becomes a number; a second binding of a
// name gets a fresh name.
void repair(hcl::Program& program, Random& random);
void drop_expectations(hcl::Program& program);
// Statements in all blocks together.
std::size_t statement_count(hcl::Program const& program);

// The text of a mutant of `text` (a fresh program when `text` does not parse), or of a fresh
// program; each within `max_size` bytes when it can be. The swarm is drawn from the seed and
// the text, so each mutation writes with other weights.
std::string mutate_text(std::string_view text, std::uint64_t seed, std::size_t max_size,
                        Mutation_limits const& limits = {});
std::string cross_over_text(std::string_view a, std::string_view b, std::uint64_t seed,
                            std::size_t max_size);
std::string fresh_text(std::uint64_t seed, std::size_t statements);

} // namespace fuzz
