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
    // Calls `visit(node, key)` for every node once, in ascending order of base, while it
    // returns true; false when a visit stopped the walk. `key` is the first key of the first
    // entry that holds the node: where lookup() finds it, which spares the checker that lookup.
    // Each table is scanned once: walking a space with first_in() descends from the root again
    // for every node.
    template <typename Visit> bool for_each_node(Visit&& visit) const
    {
        Mdb_node* last = nullptr;
        return root_ == nullptr || visit_table(root_, levels_ - 1, 0, last, visit);
    }

    // Enters `node` for its whole range; false when a table could not be allocated, in which
    // case nothing of the node was entered. The range must be free.
    bool insert(Platform& platform, Mdb_node* node);
    void remove(Mdb_node* node);
    // How many nodes are entered.
    usize nodes() const { return nodes_; }

    // Counts every change of the entries and of the rights of the nodes they hold: whoever
    // compares this space with another view of it after each hypercall (the invariant checker,
    // the reference model) skips the spaces that did not change.
    u64 version() const { return version_; }

    // What one change did, at the base of the node it concerned: the checker and the reference
    // model look at the keys of the last few changes, not at the whole space, when all the
    // changes since they last looked are in the log.
    struct Change {
        mword key;      // the node's base; any_key: the change cannot be named
        mword resource; // the node's
        i64 nodes;      // +1: entered, -1: removed, 0: its rights changed
    };
    static constexpr mword any_key = ~mword{0};
    static constexpr unsigned logged_changes = 8;

    // The rights of `node`, which this radix holds, changed.
    void rights_changed(Mdb_node const& node);
    // Something changed that no key names (a test bending a node): the next look walks it all.
    void touch() { log({any_key, 0, 0}); }
    // Whether every change after `version` is in the log and names its key.
    bool changes_logged_since(u64 version) const;
    // The change that moved version `version` to the next one (changes_logged_since(version)).
    Change const& change_after(u64 version) const { return log_[version % logged_changes]; }

    // Returns every table page to the platform; all nodes must have been removed.
    void release(Platform& platform);
    usize table_pages() const { return tables_; }

  private:
    using Entry = mword;
    static constexpr Entry leaf_tag = 1; // a node's entry; a table's is the table's address

    static bool is_leaf(Entry entry) { return (entry & leaf_tag) != 0; }
    static Mdb_node* node_of(Entry entry) { return reinterpret_cast<Mdb_node*>(entry & ~leaf_tag); }
    static Entry* table_of(Entry entry) { return reinterpret_cast<Entry*>(entry); }
    static Entry leaf(Mdb_node* node) { return reinterpret_cast<Entry>(node) | leaf_tag; }

    // One pass over the table, a group of entries at a time: the whole check scans every entry of
    // every table for stray entries, and most entries are empty.
    template <typename Visit>
    static bool visit_table(Entry const* table, unsigned level, mword key, Mdb_node*& last,
                            Visit& visit)
    {
        for (Entry const* group = table; group != table + entries; group += group_size) {
            if (group_empty(group)) continue;
            for (Entry const* e = group; e != group + group_size; ++e) {
                mword at = key + (static_cast<mword>(e - table) << shift(level));
                if (*e != 0 && !visit_entry(*e, level, at, last, visit)) return false;
            }
        }
        return true;
    }

    // A node of a large order fills consecutive entries of one table: `last` sees it once.
    template <typename Visit>
    static bool visit_entry(Entry entry, unsigned level, mword key, Mdb_node*& last, Visit& visit)
    {
        if (!is_leaf(entry))
            return level == 0 || visit_table(table_of(entry), level - 1, key, last, visit);
        if (node_of(entry) == last) return true;
        last = node_of(entry);
        return visit(*last, key);
    }

    unsigned levels() const { return levels_; }
    static unsigned shift(unsigned level) { return level * bits_per_level; }
    static unsigned index(mword key, unsigned level) { return key >> shift(level) & (entries - 1); }
    unsigned leaf_level(unsigned order) const;
    Mdb_node* first_below(Entry const* table, unsigned level, mword key, mword end) const;
    static mword next_occupied(Entry const* table, mword i, mword last);
    // Zero when all eight are empty; plain integer code, as the kernel has no vector state.
    static Entry any_of_eight(Entry const* e)
    {
        return e[0] | e[1] | e[2] | e[3] | e[4] | e[5] | e[6] | e[7];
    }
    // Sixteen at once scan an empty table in fewer instructions than eight (callgrind: 0.7 M
    // less per 200 fuzzed programs) and as many as thirty-two.
    static constexpr mword group_size = 16;
    static bool group_empty(Entry const* e) { return (any_of_eight(e) | any_of_eight(e + 8)) == 0; }
    void release_table(Platform& platform, Entry* table, unsigned level);
    void log(Change const& change);

    unsigned key_bits_;
    unsigned levels_;
    Entry* root_{nullptr};
    usize tables_{0};
    usize nodes_{0};
    u64 version_{0};
    Change log_[logged_changes]{};
    u64 unnamed_at_{0}; // one past the version of the last change that names no key
};

} // namespace nova
