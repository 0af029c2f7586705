// Selectors as named resources (syzkaller's resources, design.md §5): a create_* or a declaration
// that writes `$name` where its selector goes binds the name to a free selector, and every later
// `$name` stands for it. The parser checks that each name is bound once and before its use;
// assign_selectors then gives the names their selectors, deterministically: in the order the
// names are bound, from first_named_selector up, skipping every selector that a binding form of
// the program writes as a number. So a mutated program keeps meaning what it says.
#pragma once

#include "program/program.hpp"

#include <array>
#include <string>
#include <string_view>

namespace hcl {

inline constexpr std::uint64_t first_named_selector = 0x400;

// The predefined names: the root's PD, EC and SC ([C14] §6.1).
struct Predefined_name {
    std::string_view name;
    std::uint64_t selector;
};
inline constexpr std::array<Predefined_name, 3> predefined_selectors{
    {{"$root_pd", 32}, {"$root_ec", 33}, {"$root_sc", 34}}};

// Binds every name of the program to its selector and writes the selectors into the calls
// (selectors, selector operands, object CRD bases, item CRD bases). The program must have been
// checked by the parser (every name bound once, before its uses).
void assign_selectors(Program& program);

} // namespace hcl
