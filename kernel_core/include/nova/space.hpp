// One of a PD's three spaces ([C14] §3.1): selectors of one kind mapped to mapping nodes.
#pragma once

#include "abi.hpp"
#include "mdb.hpp"
#include "radix.hpp"

namespace nova {

class Pd;

class Space {
  public:
    // Widths of the selector spaces: page numbers of a 48-bit address space, 16-bit ports.
    static constexpr unsigned mem_key_bits = 36;
    static constexpr unsigned pio_key_bits = 16;

    Space(Pd* pd, Crd::Type type, unsigned key_bits) : pd{pd}, type{type}, radix{key_bits} {}

    // Selectors wrap around modulo the size of the space ([C14] §6.2).
    mword wrap(mword sel) const { return sel & (radix.key_limit() - 1); }
    Mdb_node* lookup(mword sel) const { return radix.lookup(wrap(sel)); }

    // What the invariant checker found when it last walked this space whole and sound, at radix
    // version `version`: a check of the changes (Kernel::check_changes) skips the walk while the
    // version stays the same and takes these figures instead.
    struct Checked {
        u64 version{~u64{0}};
        usize nodes{0};
        u64 references{0}; // the weights of the objects its nodes name (object spaces)
    };

    Pd* const pd;
    Crd::Type const type;
    Radix radix;
    Checked checked{};
};

} // namespace nova
