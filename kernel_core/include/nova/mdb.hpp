// A node of the mapping database: one delegated range in one space ([C14] §3.5). All
// derivations of one root form a circular doubly linked list in depth-first order, so a subtree
// is the run of nodes after its root whose depth is greater: revoke walks it without recursion.
#pragma once

#include "types.hpp"

namespace nova {

class Space;

// Attribute bits of a node (the D and G views of a memory or port mapping, and kernel-owned
// mappings such as a UTCB that are neither delegable nor revocable).
namespace node_attr {
inline constexpr u8 dma = 1u << 0;
inline constexpr u8 guest = 1u << 1;
inline constexpr u8 kernel = 1u << 2;
inline constexpr u8 host = 1u << 3; // memory: present in the host page table (below user_addr)
} // namespace node_attr

class Mdb_node {
  public:
    Mdb_node(Space* space, mword base, u8 order, mword resource, u8 perms, u8 attr)
        : space{space}, base{base}, resource{resource}, order{order}, perms{perms}, attr{attr}
    {
    }

    mword size() const { return mword{1} << order; }
    mword end() const { return base + size(); }
    bool contains(mword key) const { return key - base < size(); }
    bool is_root() const { return parent == nullptr; }

    // Links this node into its parent's derivation list as the parent's newest child.
    void link_child_of(Mdb_node* parent_node);
    // Removes this node from its list; its children (if any) must already be gone.
    void unlink();
    // The last node of this node's subtree in depth-first order.
    Mdb_node* subtree_last();

    Mdb_node* prev{this};
    Mdb_node* next{this};
    Mdb_node* parent{nullptr};
    Space* space;
    mword base;     // first selector in `space`
    mword resource; // object pointer, first physical frame, or first port
    u32 depth{0};
    u8 order;
    u8 perms;
    u8 attr;
    u8 checked{0}; // scratch for the invariant checker
};

static_assert(sizeof(Mdb_node) == 56, "the mapping node is sized for the scale goal");

} // namespace nova
