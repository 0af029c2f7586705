// The delegation engine ([C14] §3.4, Pd::del_crd): one code path for create_pd's CRD argument
// and for the delegate typed items of IPC. And lookup, its read-only counterpart.
#include "nova/kernel.hpp"

namespace nova {

namespace {

mword mask_of(u8 order)
{
    return (mword{1} << order) - 1;
}

// Sender range and receive window of different size: the larger one is cut down to the size of
// the smaller, at the position the hotspot names ([C14] spec §3.5). Returns the common order.
u8 clamp_to_hotspot(mword& snd_base, mword& rcv_base, u8 snd_order, u8 rcv_order, mword hot)
{
    mword s = mask_of(snd_order), r = mask_of(rcv_order);
    snd_base &= ~s;
    rcv_base &= ~r;
    if (s < r) {
        rcv_base |= hot & r & ~s;
        return snd_order;
    }
    snd_base |= hot & s & ~r;
    return rcv_order;
}

// Port I/O is delegated identically (port n to port n): the two ranges must overlap, and what
// is delegated is their intersection.
bool clamp_identity(mword& snd_base, mword& rcv_base, u8 snd_order, u8 rcv_order, u8& order)
{
    snd_base &= ~mask_of(snd_order);
    rcv_base &= ~mask_of(rcv_order);
    if ((snd_base ^ rcv_base) >> max(snd_order, rcv_order)) return false;
    order = min(snd_order, rcv_order);
    snd_base = rcv_base = snd_base | rcv_base;
    return true;
}

// The views a delegated mapping enters; the host view is decided per piece (delegate_one).
u8 view_attr(Crd::Type type, Delegation const& item)
{
    u8 attr = 0;
    if (type == Crd::Type::mem && item.dma) attr |= node_attr::dma;
    if (type != Crd::Type::obj && item.guest) attr |= node_attr::guest;
    return attr;
}

} // namespace

Crd Kernel::delegate(Pd& src_pd, Pd& dst, Delegation const& item, Status* status)
{
    Crd::Type type = item.send.type();
    u8 perms = item.send.perms() & item.window.perms();
    if (status != nullptr) *status = Status::success;
    if (type != item.window.type() || type == Crd::Type::null || perms == 0) return Crd{};
    // H: the kernel's own spaces are the source, for the root PD only.
    Pd& src = item.from_kernel && &src_pd == root_pd_ ? *kernel_pd_ : src_pd;
    Space& from = src.space(type);
    Space& to = dst.space(type);
    u8 key_bits = static_cast<u8>(from.radix.key_bits());
    mword snd_base = from.wrap(item.send.base()), rcv_base = to.wrap(item.window.base());
    u8 snd_order = min(item.send.order(), key_bits), rcv_order = min(item.window.order(), key_bits);
    u8 order = 0;
    if (type == Crd::Type::pio) {
        if (!clamp_identity(snd_base, rcv_base, snd_order, rcv_order, order)) return Crd{};
    } else {
        order = clamp_to_hotspot(snd_base, rcv_base, snd_order, rcv_order, item.hotspot);
    }
    u8 attr = view_attr(type, item);
    bool complete = delegate_range(from, to, snd_base, rcv_base, order, perms, attr);
    if (status != nullptr && !complete) *status = Status::oom;
    return Crd{type, rcv_base, order, perms};
}

// Delegates every source mapping inside [snd_base, +2^order) to the same offset from rcv_base.
// Aligned power-of-two ranges either nest or are disjoint, so each source node either covers
// the whole sender range or lies entirely inside it.
bool Kernel::delegate_range(Space& src, Space& dst, mword snd_base, mword rcv_base, u8 order,
                            u8 perms, u8 attr)
{
    mword end = snd_base + (mword{1} << order);
    for (Mdb_node* n = src.radix.first_in(snd_base, end); n != nullptr;
         n = src.radix.first_in(n->end(), end)) {
        if ((n->attr() & node_attr::kernel) != 0) continue;
        mword first = max(n->base(), snd_base);
        u8 piece = min(n->order(), order);
        if (!delegate_one(n, dst, first, rcv_base + (first - snd_base), piece, perms, attr)) {
            return false;
        }
    }
    return true;
}

// One new mapping derived from `from`. An occupied destination is skipped (no overmap), as is a
// delegation that would carry no rights. False only when kernel memory ran out.
bool Kernel::delegate_one(Mdb_node* from, Space& dst, mword src_base, mword rcv_base, u8 order,
                          u8 perms, u8 attr)
{
    u8 rights = delegated_rights(from->perms(), perms);
    if (rights == 0 || !dst.radix.range_free(rcv_base, order)) return true;
    // A derivation chain deeper than a node can record ends here, like an occupied slot.
    if (from->depth() == Mdb_node::max_depth) return true;
    mword resource = from->resource();
    if (dst.type == Crd::Type::mem) resource += src_base - from->base();
    if (dst.type == Crd::Type::pio) resource = rcv_base;
    // Memory below user_addr is also in the host page table; view_lookup cuts a mapping that
    // straddles user_addr at it, as [C14] enters only the pages below.
    if (dst.type == Crd::Type::mem && rcv_base < (user_addr >> page_bits)) attr |= node_attr::host;
    Mdb_node* node = new_node(dst, rcv_base, order, resource, rights, attr);
    if (node == nullptr || !enter(node)) return false;
    bool linked = node->link_child_of(from);
    nova_assert(linked);
    return true;
}

void Kernel::revoke(Pd& pd, Crd crd, bool self)
{
    if (crd.type() == Crd::Type::null || crd.perms() == 0) return;
    Space& space = pd.space(crd.type());
    u8 order = min(crd.order(), static_cast<u8>(space.radix.key_bits()));
    mword base = space.wrap(crd.base()) & ~mask_of(order);
    mword end = base + (mword{1} << order);
    for (Mdb_node* n = space.radix.first_in(base, end); n != nullptr;) {
        mword next = n->end();
        if ((n->attr() & node_attr::kernel) == 0) {
            // The part of this mapping's resource that the CRD names.
            mword first = max(n->base(), base);
            mword lo = n->resource() + (first - n->base());
            mword hi = lo + (mword{1} << min(n->order(), order));
            if (space.type == Crd::Type::obj) hi = lo + 1;
            revoke_subtree(n, crd.perms(), self, lo, hi);
        }
        n = next < end ? space.radix.first_in(next, end) : nullptr;
    }
    reap();
}

Crd Kernel::translate(Pd& src, Pd& dst, Crd crd, Crd window)
{
    Crd::Type type = window.type();
    if (type == Crd::Type::null || type != crd.type()) return Crd{};
    Space& from = src.space(type);
    Space& to = dst.space(type);
    Mdb_node* mine = from.lookup(crd.base());
    if (mine == nullptr || (mine->attr() & node_attr::kernel) != 0) return Crd{};
    u8 key_bits = static_cast<u8>(to.radix.key_bits());
    mword rb = to.wrap(window.base());
    u8 ro = min(window.order(), key_bits);
    Mdb_node* theirs = mine->parent;
    while (theirs != nullptr &&
           (theirs->space != &to || ((theirs->base() ^ rb) >> max(theirs->order(), ro)) != 0)) {
        theirs = theirs->parent;
    }
    if (theirs == nullptr) return Crd{};
    u8 order = min(crd.order(), mine->order());
    mword base = from.wrap(crd.base()) & ~mask_of(order);
    // [C14] Pd::xlt_crd: the offset inside the receiver's mapping of the same resource. For
    // capabilities the resources are equal; for ports, identity makes this the same port.
    base = base - mine->base() + theirs->base() + (mine->resource() - theirs->resource());
    return Crd{type, base, order, mine->perms()};
}

Mdb_node const* Kernel::view_lookup(Pd& pd, Crd::Type type, View view, mword key) const
{
    Mdb_node const* node = pd.space(type).lookup(key);
    if (node == nullptr || type == Crd::Type::obj) return nullptr;
    u8 needed = 0;
    switch (view) {
    case View::host:
        if (type == Crd::Type::mem && key >= (user_addr >> page_bits)) return nullptr;
        needed = type == Crd::Type::mem ? node_attr::host : 0;
        break;
    case View::guest:
        needed = node_attr::guest;
        break;
    case View::dma:
        needed = node_attr::dma;
        break;
    }
    return (node->attr() & needed) == needed ? node : nullptr;
}

Crd Kernel::lookup(Pd& pd, Crd crd) const
{
    if (crd.type() == Crd::Type::null) return Crd{};
    Mdb_node const* node = pd.space(crd.type()).lookup(crd.base());
    if (node == nullptr || (node->attr() & node_attr::kernel) != 0) return Crd{};
    return Crd{crd.type(), node->base(), node->order(), node->perms()};
}

} // namespace nova
