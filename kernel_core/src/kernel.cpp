// Kernel construction, boot, and the life cycle of objects and mapping nodes.
#include "nova/kernel.hpp"

namespace nova {

Kernel::Kernel(Platform& platform, Boot_config const& config)
    : platform_{platform}, config_{config}, pd_cache_{platform, sizeof(Pd)}, ec_cache_{platform,
                                                                                       sizeof(Ec)},
      sc_cache_{platform, sizeof(Sc)}, pt_cache_{platform, sizeof(Pt)}, sm_cache_{platform,
                                                                                  sizeof(Sm)},
      node_cache_{platform, sizeof(Mdb_node)}, cpus_{reinterpret_cast<Cpu_state*>(cpu_room_)}
{
    nova_assert(config.cpus >= 1 && config.cpus <= Hip::max_cpus);
    nova_assert(config.sel_bits >= 10 && config.sel_bits <= 32);
    nova_assert(config.tsc_khz > 0);
    nova_assert(config.gsis >= 1 && config.gsis <= max_gsis);
    for (u32 cpu = 0; cpu < config.cpus; ++cpu)
        new (Placement{}, cpu_room_ + cpu * sizeof(Cpu_state)) Cpu_state{};
}

usize Kernel::kernel_pages() const
{
    usize pages = extra_pages_ + node_cache_.pages_in_use() + pd_cache_.pages_in_use() +
                  ec_cache_.pages_in_use() + sc_cache_.pages_in_use() + pt_cache_.pages_in_use() +
                  sm_cache_.pages_in_use();
    Kobject* o = live_;
    if (o == nullptr) return pages;
    do {
        if (auto* pd = object_cast<Pd>(o)) {
            pages += pd->obj.radix.table_pages() + pd->mem.radix.table_pages() +
                     pd->pio.radix.table_pages();
        }
        o = o->live_next_;
    } while (o != live_);
    return pages;
}

Slab_cache& Kernel::cache(Object_type type)
{
    switch (type) {
    case Object_type::pd:
        return pd_cache_;
    case Object_type::ec:
        return ec_cache_;
    case Object_type::sc:
        return sc_cache_;
    case Object_type::pt:
        return pt_cache_;
    case Object_type::sm:
        return sm_cache_;
    }
    nova_assert(!"unknown object type");
    return sm_cache_;
}

void* Kernel::alloc_object(Object_type type)
{
    return cache(type).alloc();
}

void Kernel::register_object(Kobject* obj)
{
    if (live_ == nullptr) {
        live_ = obj;
    } else {
        obj->live_prev_ = live_->live_prev_;
        obj->live_next_ = live_;
        live_->live_prev_->live_next_ = obj;
        live_->live_prev_ = obj;
    }
    ++live_count_[static_cast<u8>(obj->type())];
}

void Kernel::put(Kobject* obj)
{
    if (obj->release()) {
        obj->dead_next_ = dead_;
        dead_ = obj;
        return;
    }
    // A thread whose only reference is its own flow can never be scheduled again: it dies, and
    // the platform lets its flow end.
    auto* ec = object_cast<Ec>(obj);
    if (ec != nullptr && ec->flow_running && ec->refcount() == 1 && !ec->orphaned) orphan(*ec);
}

// Its code will only unwind, so the EC lets go of its UTCB and its PD now; its object goes when
// the flow has ended (Kernel::end_flow).
void Kernel::orphan(Ec& ec)
{
    ec.orphaned = true;
    ++orphaned_flows_;
    kill(ec);
    release_ec(ec);
    platform_.flow_killed(ec);
}

void Kernel::release_ec(Ec& ec)
{
    if (ec.is_vcpu()) platform_.vcpu_destroy(ec);
    if (ec.utcb != nullptr) unmap_kernel_page(*ec.pd, ec.utcb_addr, ec.utcb);
    put(ec.pd);
}

// Tears down every object whose last reference went. Teardown may release further objects;
// they join the work list instead of recursing, so no chain of objects can exhaust the stack.
void Kernel::reap()
{
    while (dead_ != nullptr) {
        Kobject* obj = dead_;
        dead_ = obj->dead_next_;
        destroy(obj);
    }
}

void Kernel::destroy(Kobject* obj)
{
    nova_assert(obj->refcount() == 0);
    if (auto* pd = object_cast<Pd>(obj)) {
        clear_space(pd->obj);
        clear_space(pd->mem);
        clear_space(pd->pio);
    } else if (auto* ec = object_cast<Ec>(obj)) {
        // Whatever runs on an EC holds it: nothing may still call from it or wait in it.
        nova_assert(ec->partner == nullptr && ec->caller == nullptr && ec->waiting_on == nullptr);
        if (!ec->orphaned) release_ec(*ec);
    } else if (auto* sc = object_cast<Sc>(obj)) {
        forget_sc(sc);
        if (sc->ec != nullptr) {
            --sc->ec->bound_scs;
            put(sc->ec);
        }
    } else if (auto* pt = object_cast<Pt>(obj)) {
        --pt->ec->bound_pts;
        put(pt->ec);
    }
    if (live_ == obj) live_ = obj->live_next_ == obj ? nullptr : obj->live_next_;
    obj->live_prev_->live_next_ = obj->live_next_;
    obj->live_next_->live_prev_ = obj->live_prev_;
    --live_count_[static_cast<u8>(obj->type())];
    cache(obj->type()).free(obj);
}

Mdb_node* Kernel::new_node(Space& space, mword base, u8 order, mword resource, u8 perms, u8 attr)
{
    void* mem = node_cache_.alloc();
    if (mem == nullptr) return nullptr;
    return new (Placement{}, mem) Mdb_node{&space, base, order, resource, perms, attr};
}

// Enters a node into its space; an object capability takes a reference on its object.
bool Kernel::enter(Mdb_node* node)
{
    if (!node->space->radix.insert(platform_, node)) {
        node_cache_.free(node);
        return false;
    }
    if (node->space->type == Crd::Type::obj)
        reinterpret_cast<Kobject*>(node->resource())->acquire();
    note_guest_view(*node);
    return true;
}

void Kernel::remove_node(Mdb_node* node)
{
    note_guest_view(*node);
    node->space->radix.remove(node);
    node->unlink();
    if (node->space->type == Crd::Type::obj) put(reinterpret_cast<Kobject*>(node->resource()));
    node_cache_.free(node);
}

// Removes `perms` from the subtree of `root` and drops every node left without rights
// ([C14] Pd::revoke). With `self` the whole subtree loses the rights. Without it, `root` keeps
// them and each child subtree loses them only if the child maps something of [lo, hi), the
// part of `root`'s resource that was named. Children hold a subset of their parent's rights, so
// a node without rights has only such descendants; walking backwards removes children first.
void Kernel::revoke_subtree(Mdb_node* root, u8 perms, bool self, mword lo, mword hi)
{
    Mdb_node* last = root->subtree_last();
    bool demote = self;
    if (self) demote_node(root, perms);
    for (Mdb_node* n = root; n != last;) {
        n = n->next;
        if (!self && n->depth() == root->depth() + 1)
            demote = n->resource() < hi && lo < n->resource() + n->size();
        if (demote) demote_node(n, perms);
    }
    for (Mdb_node* n = last;;) {
        Mdb_node* prev = n->prev;
        bool at_root = n == root;
        if (n->perms() == 0) remove_node(n);
        if (at_root) break;
        n = prev;
    }
}

void Kernel::demote_node(Mdb_node* node, u8 perms)
{
    u8 left = node->perms() & static_cast<u8>(~perms);
    if (left == node->perms()) return;
    node->set_perms(left);
    note_guest_view(*node);
}

void Kernel::revoke_all(Mdb_node* root)
{
    revoke_subtree(root, perm::all, true, 0, ~mword{0});
}

void Kernel::clear_space(Space& space)
{
    mword limit = space.radix.key_limit();
    for (Mdb_node* n = space.radix.first_in(0, limit); n != nullptr;
         n = space.radix.first_in(0, limit)) {
        if ((n->attr() & node_attr::kernel) != 0) {
            space.radix.remove(n);
            node_cache_.free(n);
        } else {
            revoke_all(n);
        }
    }
    space.radix.release(platform_);
}

// Maps a fresh kernel page (a UTCB, the HIP) at `addr` in the PD's memory space. Such a mapping
// is the kernel's: it can be neither delegated nor revoked.
void* Kernel::map_kernel_page(Pd& pd, mword addr, u8 perms)
{
    void* page = platform_.alloc_page();
    if (page == nullptr) return nullptr;
    u8 attr = node_attr::kernel | node_attr::host;
    Mdb_node* node = new_node(pd.mem, addr >> page_bits, 0, platform_.frame_of(page), perms, attr);
    if (node == nullptr || !enter(node)) {
        platform_.free_page(page);
        return nullptr;
    }
    ++extra_pages_;
    return page;
}

void Kernel::unmap_kernel_page(Pd& pd, mword addr, void* page)
{
    Mdb_node* node = pd.mem.lookup(addr >> page_bits);
    nova_assert(node != nullptr && (node->attr() & node_attr::kernel) != 0);
    nova_assert(node->resource() == platform_.frame_of(page));
    pd.mem.radix.remove(node);
    node_cache_.free(node);
    platform_.free_page(page);
    --extra_pages_;
}

} // namespace nova
