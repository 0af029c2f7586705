// Result of the invariant checker (design.md §2): which invariant broke, and where.
#pragma once

#include "types.hpp"

namespace nova {

class Kobject;

struct Check_result {
    char const* invariant{nullptr}; // nullptr: all invariants hold
    void const* where{nullptr};     // the object or mapping node concerned
    mword detail{0};

    bool ok() const { return invariant == nullptr; }
};

} // namespace nova
