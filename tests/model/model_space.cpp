#include "model_space.hpp"

#include <iterator>
#include <stdexcept>

namespace novamodel {

mword order_mask(unsigned order)
{
    return (mword{1} << order) - 1;
}

// Ranges never overlap, so only the last mapping that starts at or below `key` can contain it.
Mapping const* Space::find(mword key) const
{
    auto after = mappings_.upper_bound(key);
    if (after == mappings_.begin()) return nullptr;
    Mapping const& candidate = std::prev(after)->second;
    return candidate.contains(key) ? &candidate : nullptr;
}

Mapping* Space::find(mword key)
{
    auto* found = const_cast<Mapping*>(static_cast<Space const&>(*this).find(key));
    changed(found != nullptr ? found->base : key);
    return found;
}

bool Space::range_free(mword base, unsigned order) const
{
    return first_in(base, base + (mword{1} << order)) == nullptr;
}

Mapping const* Space::first_in(mword first, mword last_excl) const
{
    if (first >= last_excl) return nullptr;
    if (Mapping const* covering = find(first)) return covering;
    auto next = mappings_.lower_bound(first);
    if (next == mappings_.end() || next->second.base >= last_excl) return nullptr;
    return &next->second;
}

std::vector<Mapping> Space::all_in(mword first, mword last_excl) const
{
    std::vector<Mapping> found;
    for (auto const& [base, mapping] : mappings_) {
        if (mapping.intersects(first, last_excl)) found.push_back(mapping);
    }
    return found;
}

// The model's own invariants: a mapping lies inside the space, is aligned, and overlaps nothing.
void Space::insert(Mapping const& mapping)
{
    if (mapping.end() > limit() || (mapping.base & order_mask(mapping.order)) != 0 ||
        !range_free(mapping.base, mapping.order)) {
        throw std::logic_error("model: inserting a misplaced or overlapping mapping");
    }
    changed(mapping.base);
    mappings_.emplace(mapping.base, mapping);
}

Space& Pd_spaces::of(Space_type type)
{
    return const_cast<Space&>(static_cast<Pd_spaces const&>(*this).of(type));
}

Space const& Pd_spaces::of(Space_type type) const
{
    switch (type) {
    case Space_type::obj:
        return obj;
    case Space_type::mem:
        return mem;
    case Space_type::pio:
        return pio;
    case Space_type::null:
        break;
    }
    throw std::logic_error("model: the null type has no space");
}

} // namespace novamodel
