#include "nova/mdb.hpp"

#include "nova/assert.hpp"
#include "nova/space.hpp"

namespace nova {

Mdb_node::Mdb_node(Space* space_of_node, mword base, u8 order, mword resource, u8 perms, u8 attr)
    : space{space_of_node}, packed_{(resource & field_mask(resource_bits)) |
                                    u64{order} << order_shift | u64{perms & 0x1fu} << perms_shift |
                                    u64{attr & 0xfu} << attr_shift},
      base_depth_{base}
{
    nova_assert(base <= field_mask(base_bits) && order < 64);
}

// Object pointers are canonical x86-64 addresses: bit 47 extends into the upper bits.
mword Mdb_node::resource() const
{
    mword r = packed_ & field_mask(resource_bits);
    return (r >> (resource_bits - 1)) != 0 ? r | ~field_mask(resource_bits) : r;
}

void Mdb_node::set_perms(u8 perms)
{
    packed_ = (packed_ & ~(u64{0x1f} << perms_shift)) | u64{perms & 0x1fu} << perms_shift;
    space->radix.rights_changed(*this);
}

void Mdb_node::set_depth(u32 depth)
{
    base_depth_ = base() | u64{depth} << base_bits;
}

bool Mdb_node::link_child_of(Mdb_node* parent_node)
{
    nova_assert(prev == this && next == this);
    if (parent_node->depth() == max_depth) return false;
    parent = parent_node;
    set_depth(parent_node->depth() + 1);
    // Right after the parent: the newest child comes first, and depth-first order is kept
    // because a new node has no descendants yet.
    prev = parent_node;
    next = parent_node->next;
    parent_node->next->prev = this;
    parent_node->next = this;
    return true;
}

void Mdb_node::unlink()
{
    nova_assert(subtree_last() == this);
    prev->next = next;
    next->prev = prev;
    prev = next = this;
    parent = nullptr;
}

Mdb_node* Mdb_node::subtree_last()
{
    Mdb_node* last = this;
    while (last->next != this && last->next->depth() > depth()) last = last->next;
    return last;
}

} // namespace nova
