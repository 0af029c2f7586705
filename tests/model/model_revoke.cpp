// Revoke in the reference model ([C14] §3.5, Pd::rev_crd): rights leave whole derivation
// subtrees, mappings without rights disappear, and objects without references die.
#include "capability_model.hpp"

#include <algorithm>
#include <stdexcept>

namespace novamodel {

std::vector<Mapping_ref> Capability_model::children(Mapping_ref const& ref) const
{
    std::vector<Mapping_ref> found;
    for (auto const& [pd, spaces] : spaces_) {
        for (auto const& [base, m] : spaces.of(ref.type).mappings()) {
            if (m.parent == ref) found.push_back(Mapping_ref{pd, ref.type, base});
        }
    }
    return found;
}

void Capability_model::strip_subtree(Mapping_ref const& ref, u8 perms)
{
    mapping(ref).perms &= static_cast<u8>(~perms);
    for (Mapping_ref const& child : children(ref)) strip_subtree(child, perms);
}

void Capability_model::remove_subtree(Mapping_ref const& ref)
{
    for (Mapping_ref const& child : children(ref)) remove_subtree(child);
    erase_mapping(ref);
}

// Without `self` the mapping keeps its rights; a child subtree loses them if the child maps
// something of the part of the mapping's resource that [base, base + 2^order) names.
void Capability_model::revoke_mapping(Mapping_ref const& ref, u8 perms, bool self, mword base,
                                      unsigned order)
{
    if (self) {
        strip_subtree(ref, perms);
        return;
    }
    Mapping const& n = mapping(ref);
    mword lo = n.resource + (std::max(n.base, base) - n.base);
    mword hi = lo + (mword{1} << std::min(n.order, order));
    if (ref.type == Space_type::obj) hi = lo + 1; // an object is indivisible
    for (Mapping_ref const& child : children(ref)) {
        Mapping const& c = mapping(child);
        if (c.resource < hi && lo < c.resource + c.size()) strip_subtree(child, perms);
    }
}

// A mapping without rights goes. Children never hold more than their parent, so its whole
// subtree is rightless too; the model checks that rather than assuming it.
void Capability_model::drop_rightless_mappings()
{
    for (auto& [pd, spaces] : spaces_) {
        for (Space_type type : all_space_types) {
            spaces.of(type).drop_rightless(
                [this, type](Mapping const& dropped) { count_reference(type, dropped, -1); });
        }
    }
    for (auto const& [pd, spaces] : spaces_) {
        for (Space_type type : all_space_types) {
            for (auto const& [base, m] : spaces.of(type).mappings()) {
                if (m.parent) mapping(*m.parent); // throws for an orphan
            }
        }
    }
}

// Each mapping of the range is handled on its own, and the space is searched afresh after each:
// revoking one mapping may remove later ones (its descendants in the same space).
void Capability_model::revoke(Object_id pd, Crd crd, bool self)
{
    Space_type type = crd.type();
    if (type == Space_type::null || crd.perms() == 0) return;
    Space const& named = space(pd, type);
    unsigned order = named.clamp_order(crd.order());
    mword base = named.wrap(crd.base()) & ~order_mask(order);
    mword end = base + (mword{1} << order);
    for (mword cursor = base; cursor < end;) {
        Mapping const* next = space(pd, type).first_in(cursor, end);
        if (next == nullptr) break;
        cursor = next->end();
        if (next->kernel_owned()) continue;
        revoke_mapping(Mapping_ref{pd, type, next->base}, crd.perms(), self, base, order);
        drop_rightless_mappings();
    }
    collect_garbage();
}

} // namespace novamodel
