// A sparse radix table from selectors to mapping nodes, 512 entries per level as in an x86 page
// table. A node of order k is stored once per covering entry at level floor(k/9) (a "superpage"),
// so a huge range costs at most 512 entries and an empty space costs one page.
#pragma once

#include "platform.hpp"

namespace nova {

class Mdb_node;

class Radix {
  public:
    static constexpr unsigned bits_per_level = 9;
    static constexpr mword entries = mword{1} << bits_per_level;

    explicit Radix(unsigned key_bits);

    unsigned key_bits() const { return key_bits_; }
    mword key_limit() const { return mword{1} << key_bits_; }

    Mdb_node* lookup(mword key) const;
    // The node with the lowest base that intersects [key, end), or nullptr.
    Mdb_node* first_in(mword key, mword end) const;
    bool range_free(mword base, unsigned order) const;

    // Enters `node` for its whole range; false when a table could not be allocated, in which
    // case nothing of the node was entered. The range must be free.
    bool insert(Platform& platform, Mdb_node* node);
    void remove(Mdb_node* node);
    // How many nodes are entered.
    usize nodes() const { return nodes_; }

    // Counts every change of the entries and of the rights of the nodes they hold (touch):
    // whoever compares this space with another view of it after each hypercall (the reference
    // model) skips the spaces that did not change.
    u64 version() const { return version_; }
    void touch() { ++version_; }

    // Returns every table page to the platform; all nodes must have been removed.
    void release(Platform& platform);
    usize table_pages() const { return tables_; }

  private:
    using Entry = mword;

    unsigned levels() const { return levels_; }
    static unsigned shift(unsigned level) { return level * bits_per_level; }
    static unsigned index(mword key, unsigned level) { return key >> shift(level) & (entries - 1); }
    unsigned leaf_level(unsigned order) const;
    Mdb_node* first_below(Entry const* table, unsigned level, mword key, mword end) const;
    static mword next_occupied(Entry const* table, mword i, mword last);
    static bool eight_empty(Entry const* entries);
    void release_table(Platform& platform, Entry* table, unsigned level);

    unsigned key_bits_;
    unsigned levels_;
    Entry* root_{nullptr};
    usize tables_{0};
    usize nodes_{0};
    u64 version_{0};
};

} // namespace nova
