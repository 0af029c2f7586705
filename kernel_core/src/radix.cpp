#include "nova/radix.hpp"

#include "nova/assert.hpp"
#include "nova/mdb.hpp"

namespace nova {

Radix::Radix(unsigned key_bits)
    : key_bits_{key_bits}, levels_{(key_bits + bits_per_level - 1) / bits_per_level}
{
    nova_assert(key_bits > 0 && key_bits <= 48);
}

unsigned Radix::leaf_level(unsigned order) const
{
    return min(order / bits_per_level, levels_ - 1);
}

Mdb_node* Radix::lookup(mword key) const
{
    if (key >= key_limit() || root_ == nullptr) return nullptr;
    Entry const* table = root_;
    for (unsigned level = levels_; level-- > 0;) {
        Entry entry = table[index(key, level)];
        if (entry == 0) return nullptr;
        if (is_leaf(entry)) return node_of(entry);
        table = table_of(entry);
    }
    nova_assert(!"a level-0 entry is never a table");
    return nullptr;
}

Mdb_node* Radix::first_in(mword key, mword end) const
{
    end = min(end, key_limit());
    if (root_ == nullptr || key >= end) return nullptr;
    return first_below(root_, levels_ - 1, key, end);
}

// One pass over the tables on the way, never again from the root: the checker and the
// reference model's comparison walk every space after every hypercall, and most entries of a
// sparse space are empty.
Mdb_node* Radix::first_below(Entry const* table, unsigned level, mword key, mword end) const
{
    mword const span_bits = shift(level);
    mword const table_base = key & ~((mword{1} << (span_bits + bits_per_level)) - 1);
    mword const last = min(entries - 1, (end - 1 - table_base) >> span_bits);
    for (mword i = index(key, level); i <= last; ++i) {
        i = next_occupied(table, i, last);
        if (i > last) break;
        Entry entry = table[i];
        if (is_leaf(entry)) return node_of(entry);
        mword entry_base = table_base + (i << span_bits);
        Mdb_node* found = first_below(table_of(entry), level - 1, max(key, entry_base), end);
        if (found != nullptr) return found;
    }
    return nullptr;
}

// The first non-empty entry in [i, last], or last + 1; empty runs go eight entries at a time.
mword Radix::next_occupied(Entry const* table, mword i, mword last)
{
    while (i <= last && (i & 7) != 0 && table[i] == 0) ++i;
    while (i + 7 <= last && any_of_eight(table + i) == 0) i += 8;
    while (i <= last && table[i] == 0) ++i;
    return i;
}

bool Radix::range_free(mword base, unsigned order) const
{
    return first_in(base, base + (mword{1} << order)) == nullptr;
}

bool Radix::insert(Platform& platform, Mdb_node* node)
{
    nova_assert(node->end() <= key_limit() && (node->base() & (node->size() - 1)) == 0);
    if (root_ == nullptr) {
        root_ = static_cast<Entry*>(platform.alloc_page());
        if (root_ == nullptr) return false;
        ++tables_;
    }
    unsigned target = leaf_level(node->order());
    Entry* table = root_;
    for (unsigned level = levels_ - 1; level > target; --level) {
        Entry& entry = table[index(node->base(), level)];
        nova_assert(!is_leaf(entry));
        if (entry == 0) {
            void* page = platform.alloc_page();
            if (page == nullptr) return false;
            ++tables_;
            entry = reinterpret_cast<Entry>(page);
        }
        table = table_of(entry);
    }
    mword count = mword{1} << (node->order() - target * bits_per_level);
    for (mword i = 0, first = index(node->base(), target); i < count; ++i) {
        Entry& entry = table[first + i];
        // An empty table left behind by earlier removals gives way to the large entry.
        nova_assert(!is_leaf(entry));
        if (entry != 0) release_table(platform, table_of(entry), target - 1);
        entry = leaf(node);
    }
    ++nodes_;
    log({node->base(), node->resource(), 1}); // only now: a failed insert entered nothing
    return true;
}

void Radix::remove(Mdb_node* node)
{
    log({node->base(), node->resource(), -1});
    --nodes_;
    unsigned target = leaf_level(node->order());
    Entry* table = root_;
    for (unsigned level = levels_ - 1; level > target; --level) {
        table = table_of(table[index(node->base(), level)]);
    }
    mword count = mword{1} << (node->order() - target * bits_per_level);
    for (mword i = 0, first = index(node->base(), target); i < count; ++i) {
        nova_assert(table[first + i] == leaf(node));
        table[first + i] = 0;
    }
}

void Radix::rights_changed(Mdb_node const& node)
{
    log({node.base(), node.resource(), 0});
}

void Radix::log(Change const& change)
{
    log_[version_ % logged_changes] = change;
    ++version_;
    if (change.key == any_key) unnamed_at_ = version_;
}

bool Radix::changes_logged_since(u64 version) const
{
    return version <= version_ && version_ - version <= logged_changes && version >= unnamed_at_;
}

void Radix::release_table(Platform& platform, Entry* table, unsigned level)
{
    if (level > 0) {
        for (mword i = 0; i < entries; ++i) {
            nova_assert(!is_leaf(table[i]));
            if (table[i] != 0) release_table(platform, table_of(table[i]), level - 1);
        }
    }
    platform.free_page(table);
    --tables_;
}

void Radix::release(Platform& platform)
{
    if (root_ != nullptr) release_table(platform, root_, levels_ - 1);
    root_ = nullptr;
}

} // namespace nova
