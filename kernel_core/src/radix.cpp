#include "nova/radix.hpp"

#include "nova/assert.hpp"
#include "nova/mdb.hpp"

namespace nova {

namespace {
constexpr mword leaf_tag = 1;

bool is_leaf(mword entry)
{
    return (entry & leaf_tag) != 0;
}
Mdb_node* node_of(mword entry)
{
    return reinterpret_cast<Mdb_node*>(entry & ~leaf_tag);
}
mword* table_of(mword entry)
{
    return reinterpret_cast<mword*>(entry);
}
mword leaf(Mdb_node* node)
{
    return reinterpret_cast<mword>(node) | leaf_tag;
}
} // namespace

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
    while (root_ != nullptr && key < end) {
        Entry const* table = root_;
        for (unsigned level = levels_; level-- > 0;) {
            Entry entry = table[index(key, level)];
            if (is_leaf(entry)) return node_of(entry);
            if (entry == 0) {
                // Nothing below this entry: continue with the first key after it.
                key = ((key >> shift(level)) + 1) << shift(level);
                break;
            }
            table = table_of(entry);
        }
    }
    return nullptr;
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
    return true;
}

void Radix::remove(Mdb_node* node)
{
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
