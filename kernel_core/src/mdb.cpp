#include "nova/mdb.hpp"

#include "nova/assert.hpp"

namespace nova {

void Mdb_node::link_child_of(Mdb_node* parent_node)
{
    nova_assert(prev == this && next == this);
    parent = parent_node;
    depth = parent_node->depth + 1;
    // Right after the parent: the newest child comes first, and depth-first order is kept
    // because a new node has no descendants yet.
    prev = parent_node;
    next = parent_node->next;
    parent_node->next->prev = this;
    parent_node->next = this;
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
    while (last->next != this && last->next->depth > depth) last = last->next;
    return last;
}

} // namespace nova
