// Delegation, lookup and translate in the reference model ([C14] §3.4, Pd::del_crd/xlt_crd).
#include "capability_model.hpp"

#include <algorithm>

namespace novamodel {

namespace {

// Where a delegation takes from and puts to, once the two ranges have been made the same size.
struct Ranges {
    mword send;
    mword receive;
    unsigned order;
};

// Sender range and window of different size: the larger is cut to the smaller's size at the
// place the hotspot names (spec §3.5).
Ranges clamp_to_hotspot(mword sb, mword rb, unsigned so, unsigned ro, mword hotspot)
{
    mword s = order_mask(so), r = order_mask(ro);
    sb &= ~s;
    rb &= ~r;
    if (s < r) return Ranges{sb, rb | (hotspot & r & ~s), so};
    return Ranges{sb | (hotspot & s & ~r), rb, ro};
}

// Ports are delegated as themselves: the ranges must overlap and their intersection moves.
std::optional<Ranges> clamp_identity(mword sb, mword rb, unsigned so, unsigned ro)
{
    sb &= ~order_mask(so);
    rb &= ~order_mask(ro);
    if (((sb ^ rb) >> std::max(so, ro)) != 0) return std::nullopt;
    return Ranges{sb | rb, sb | rb, std::min(so, ro)};
}

std::optional<Ranges> delegation_ranges(Space const& from, Space const& to, Space_type type,
                                        Delegate_item const& item)
{
    mword sb = from.wrap(item.send.base()), rb = to.wrap(item.window.base());
    unsigned so = from.clamp_order(item.send.order()), ro = from.clamp_order(item.window.order());
    if (type == Space_type::pio) return clamp_identity(sb, rb, so, ro);
    return clamp_to_hotspot(sb, rb, so, ro, item.hotspot);
}

// Which views a new mapping enters: memory below user_addr is in the host page table.
u8 view_attr(Space_type type, mword target, Delegate_item const& item)
{
    u8 bits = 0;
    if (type == Space_type::mem) {
        if (target < (nova::user_addr >> nova::page_bits)) bits |= attr::host;
        if (item.dma) bits |= attr::dma;
    }
    if (type != Space_type::obj && item.guest) bits |= attr::guest;
    return bits;
}

mword derived_resource(Space_type type, Mapping const& from, mword first, mword target)
{
    switch (type) {
    case Space_type::mem:
        return from.resource + (first - from.base);
    case Space_type::pio:
        return target;
    default:
        return from.resource;
    }
}

} // namespace

Crd Capability_model::delegate(Object_id src_pd, Object_id dst_pd, Delegate_item const& item)
{
    Space_type type = item.send.type();
    u8 mask = item.send.perms() & item.window.perms();
    if (type != item.window.type() || type == Space_type::null || mask == 0) return Crd{};
    Object_id source = item.from_kernel && src_pd == root_pd_ ? kernel_pd_ : src_pd;
    std::optional<Ranges> ranges =
        delegation_ranges(space(source, type), space(dst_pd, type), type, item);
    if (!ranges) return Crd{};
    mword size = mword{1} << ranges->order;
    for (Mapping const& n : space(source, type).all_in(ranges->send, ranges->send + size)) {
        if (n.kernel_owned()) continue;
        mword first = std::max(n.base, ranges->send);
        unsigned piece = std::min(n.order, ranges->order);
        mword target = ranges->receive + (first - ranges->send);
        u8 rights = mask & n.perms;
        // No overmap: an occupied destination keeps what it has.
        if (rights == 0 || !space(dst_pd, type).range_free(target, piece)) continue;
        insert_mapping(dst_pd, type,
                       Mapping{target, piece, rights, view_attr(type, target, item),
                               derived_resource(type, n, first, target),
                               Mapping_ref{source, type, n.base}});
    }
    return Crd{type, ranges->receive, static_cast<u8>(ranges->order), mask};
}

Crd Capability_model::lookup(Object_id pd, Crd crd) const
{
    if (crd.type() == Space_type::null) return Crd{};
    Space const& named = space(pd, crd.type());
    Mapping const* found = named.find(named.wrap(crd.base()));
    if (found == nullptr || found->kernel_owned()) return Crd{};
    return Crd{crd.type(), found->base, static_cast<u8>(found->order), found->perms};
}

// The receiver's own name for the sender's capability: the nearest ancestor in the receiver's
// space that lies in the window, at the same offset.
Crd Capability_model::translate(Object_id src_pd, Object_id dst_pd, Crd crd, Crd window) const
{
    Space_type type = window.type();
    if (type == Space_type::null || type != crd.type()) return Crd{};
    Space const& from = space(src_pd, type);
    Space const& to = space(dst_pd, type);
    Mapping const* mine = from.find(from.wrap(crd.base()));
    if (mine == nullptr || mine->kernel_owned()) return Crd{};
    mword rb = to.wrap(window.base());
    unsigned ro = to.clamp_order(window.order());
    Mapping const* theirs = nullptr;
    for (auto up = mine->parent; up; up = mapping(*up).parent) {
        Mapping const& ancestor = mapping(*up);
        bool in_window = ((ancestor.base ^ rb) >> std::max(ancestor.order, ro)) == 0;
        if (up->pd == dst_pd && in_window) {
            theirs = &ancestor;
            break;
        }
    }
    if (theirs == nullptr) return Crd{};
    unsigned order = std::min<unsigned>(crd.order(), mine->order);
    // The same resource at its place in the receiver's mapping ([C14] Pd::xlt_crd): for an
    // object the resources are equal, for ports identity keeps the port number.
    mword base = (from.wrap(crd.base()) & ~order_mask(order)) - mine->base + theirs->base;
    base += mine->resource - theirs->resource;
    return Crd{type, base, static_cast<u8>(order), mine->perms};
}

} // namespace novamodel
