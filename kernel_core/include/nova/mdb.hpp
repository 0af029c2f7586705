// A node of the mapping database: one delegated range in one space ([C14] §3.5). All
// derivations of one root form a circular doubly linked list in depth-first order, so a subtree
// is the run of nodes after its root whose depth is greater: revoke walks it without recursion.
//
// The node is packed into 48 bytes (the scale goal is ≤ 64 bytes per mapping, radix slot
// included): the resource shares a word with order, rights and attributes, the base with the
// depth.
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
    static constexpr unsigned resource_bits = 48; // an object pointer or a frame number
    static constexpr unsigned base_bits = 40;
    static constexpr u32 max_depth = (u32{1} << (64 - base_bits)) - 1;

    Mdb_node(Space* space, mword base, u8 order, mword resource, u8 perms, u8 attr);

    mword base() const { return base_depth_ & field_mask(base_bits); }
    u32 depth() const { return static_cast<u32>(base_depth_ >> base_bits); }
    mword resource() const;
    u8 order() const { return static_cast<u8>(packed_ >> order_shift & 0x3f); }
    u8 perms() const { return static_cast<u8>(packed_ >> perms_shift & 0x1f); }
    u8 attr() const { return static_cast<u8>(packed_ >> attr_shift & 0xf); }
    void set_perms(u8 perms);

    mword size() const { return mword{1} << order(); }
    mword end() const { return base() + size(); }
    bool contains(mword key) const { return key - base() < size(); }

    // Links this node into its parent's derivation list as the parent's newest child. False when
    // the chain is already as deep as a node can record.
    bool link_child_of(Mdb_node* parent_node);
    // Removes this node from its list; its children (if any) must already be gone.
    void unlink();
    // The last node of this node's subtree in depth-first order.
    Mdb_node* subtree_last();

    Mdb_node* prev{this};
    Mdb_node* next{this};
    Mdb_node* parent{nullptr};
    Space* space;

  private:
    static constexpr unsigned order_shift = resource_bits, perms_shift = 54, attr_shift = 59;
    static constexpr mword field_mask(unsigned bits) { return (mword{1} << bits) - 1; }
    void set_depth(u32 depth);

    u64 packed_;     // resource 47:0, order 53:48, perms 58:54, attr 62:59
    u64 base_depth_; // base 39:0, depth 63:40
};

static_assert(sizeof(Mdb_node) == 48, "the mapping node is sized for the scale goal");

} // namespace nova
