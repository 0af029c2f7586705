#include "operation_generator.hpp"

#include <iterator>
#include <vector>

namespace novamodel {

namespace {

constexpr mword root_pd_sel = Capability_model::sel_exc;
constexpr mword root_ec_sel = Capability_model::sel_exc + 1;
constexpr mword root_sc_sel = Capability_model::sel_exc + 2;
constexpr mword user_page_limit = nova::user_addr >> nova::page_bits;
constexpr mword mem_limit = mword{1} << 36;

Hypercall_op hypercall(nova::Hypercall call, Hypercall_args args)
{
    args.call = call;
    return Hypercall_op{args};
}

} // namespace

Operation Operation_generator::next(Capability_model const& model)
{
    std::uint64_t roll = below(100);
    if (roll < 16) return create(model);
    if (roll < 26) return take_from_kernel(model);
    if (roll < 54) return delegate(model);
    if (roll < 66) return revoke(model);
    if (roll < 72) return drop_capability(model);
    if (roll < 82) return lookup(model);
    return translate(model);
}

// Selectors below 160 collide with the root's own capabilities and with delegated ones.
Operation Operation_generator::create(Capability_model const& model)
{
    Hypercall_args args;
    args.sel = chance(0.85) ? below(160) : key_anywhere(model, Space_type::obj);
    args.rsi = chance(0.9) ? root_cap_of(model, Object_type::pd)
                           : key_near(model, model.root_pd(), Space_type::obj);
    bool room_for_pd = model.live_pds().size() - 1 < max_pds;
    switch (below(room_for_pd ? 5 : 4)) {
    case 0:
        return create_ec(model, args);
    case 1:
        return create_sc(model, args);
    case 2:
        return create_pt(model, args);
    case 3:
        args.rdx = below(256);
        return hypercall(nova::Hypercall::create_sm, args);
    default:
        return create_pd(model, args);
    }
}

Operation Operation_generator::create_pd(Capability_model const& model, Hypercall_args args)
{
    Space_type type = chance(0.9) ? Space_type::obj : Space_type::mem;
    args.rdx = chance(0.3) ? 0 : crd_near(model, model.root_pd(), type).raw();
    return hypercall(nova::Hypercall::create_pd, args);
}

// UTCBs land on pages that delegations use too, so both orders of the collision happen.
Operation Operation_generator::create_ec(Capability_model const& model, Hypercall_args args)
{
    unsigned cpus = model.config().cpus;
    mword cpu = chance(0.9) ? below(cpus) : below(80);
    mword page = chance(0.5) ? below(64) : key_near(model, model.root_pd(), Space_type::mem);
    std::uint64_t roll = below(100);
    if (roll < 8) page = 0; // a vCPU
    if (roll >= 8 && roll < 12) page = user_page_limit - 2 + below(4);
    args.rdx = page << nova::page_bits | cpu;
    args.flags = chance(0.5) ? nova::flag::create_ec_global : 0;
    return hypercall(nova::Hypercall::create_ec, args);
}

Operation Operation_generator::create_sc(Capability_model const& model, Hypercall_args args)
{
    args.rdx = root_cap_of(model, Object_type::ec);
    std::uint64_t roll = below(100);
    mword prio = roll < 5 ? 0 : roll < 10 ? 128 + below(128) : 1 + below(127);
    mword quantum = chance(0.05) ? 0 : 1 + below(10'000);
    args.rax = nova::Qpd{quantum, static_cast<u8>(prio)}.raw();
    return hypercall(nova::Hypercall::create_sc, args);
}

Operation Operation_generator::create_pt(Capability_model const& model, Hypercall_args args)
{
    args.rdx = root_cap_of(model, Object_type::ec);
    args.rax = any() & 0x1f'ffff; // MTD
    args.r8 = any();              // entry IP
    return hypercall(nova::Hypercall::create_pt, args);
}

// H: memory, ports, idle SCs and interrupt semaphores from the kernel's own spaces.
Operation Operation_generator::take_from_kernel(Capability_model const& model)
{
    Crd send = crd_near(model, model.kernel_pd(), pick_type());
    Delegate_item item{send, window_for(model, model.root_pd(), send), any() & 0xffff};
    item.dma = chance(0.15);
    item.guest = chance(0.15);
    item.from_kernel = true;
    return Delegate_op{model.root_pd(), model.root_pd(), item};
}

// H is set now and then for any sender: only the root's is honoured.
Operation Operation_generator::delegate(Capability_model const& model)
{
    Object_id src = pick_pd(model), dst = pick_pd(model);
    Space_type type = pick_type();
    bool from_kernel = chance(0.05);
    Object_id source = from_kernel && src == model.root_pd() ? model.kernel_pd() : src;
    Crd send = crd_near(model, source, type);
    if (type == Space_type::obj && source == model.root_pd() && chance(0.3)) {
        send = Crd{type, root_cap_of(model, Object_type::pd), 0, pick_perms()};
    }
    mword hotspot = chance(0.5) ? key_near(model, source, type) : any() & 0xfffff;
    Delegate_item item{send, window_for(model, dst, send), hotspot};
    item.dma = chance(0.15);
    item.guest = chance(0.15);
    item.from_kernel = from_kernel;
    return Delegate_op{src, dst, item};
}

Operation Operation_generator::revoke(Capability_model const& model)
{
    Object_id pd = pick_pd(model);
    Crd crd = crd_near(model, pd, pick_type());
    bool self = chance(0.5);
    if (pd != model.root_pd()) return Revoke_op{pd, crd, self};
    if (!keeps_root_running(model, crd, self)) self = false;
    if (chance(0.5)) return Revoke_op{pd, crd, self};
    Hypercall_args args;
    args.rsi = crd.raw();
    args.flags = self ? nova::flag::revoke_self : 0;
    return hypercall(nova::Hypercall::revoke, args);
}

// The root lets go of one of its capabilities and of everything derived from it: this is how
// objects die, PDs with their ECs, and with them what others derived from their spaces.
Operation Operation_generator::drop_capability(Capability_model const& model)
{
    Object_type type = chance(0.5) ? Object_type::pd : static_cast<Object_type>(below(5));
    mword sel = root_cap_of(model, type);
    u8 perms = chance(0.8) ? nova::perm::all : pick_perms();
    Crd crd{Space_type::obj, sel, 0, perms};
    bool own_pd = model.space(model.root_pd(), Space_type::obj).wrap(sel) == root_pd_sel;
    if ((own_pd && chance(0.9)) || !keeps_root_running(model, crd, true)) return lookup(model);
    return Revoke_op{model.root_pd(), crd, true};
}

Operation Operation_generator::lookup(Capability_model const& model)
{
    Object_id pd = pick_pd(model);
    Crd crd = chance(0.05) ? Crd{any() & ~mword{3}} : crd_near(model, pd, pick_type());
    if (pd != model.root_pd() || chance(0.5)) return Lookup_op{pd, crd};
    Hypercall_args args;
    args.rsi = crd.raw();
    return hypercall(nova::Hypercall::lookup, args);
}

Operation Operation_generator::translate(Capability_model const& model)
{
    Object_id src = pick_pd(model), dst = pick_pd(model);
    Crd crd = crd_near(model, src, pick_type());
    Crd everything{crd.type(), 0, 31, nova::perm::all};
    return Translate_op{src, dst, crd, chance(0.4) ? everything : window_for(model, dst, crd)};
}

Space_type Operation_generator::pick_type()
{
    static constexpr Space_type focused[] = {Space_type::obj, Space_type::obj, Space_type::mem,
                                             Space_type::pio};
    if (focus_ != Focus::all && chance(0.9)) return focused[static_cast<unsigned>(focus_)];
    std::uint64_t roll = below(100);
    return roll < 45 ? Space_type::obj : roll < 80 ? Space_type::mem : Space_type::pio;
}

// A user PD (never the kernel's), the root's more often than any other.
Object_id Operation_generator::pick_pd(Capability_model const& model)
{
    std::vector<Object_id> pds = model.live_pds();
    std::erase(pds, model.kernel_pd());
    if (chance(0.4)) return model.root_pd();
    return pds[below(pds.size())];
}

// A selector of the root's that names an object of `type`, now and then aliased by wrap-around.
mword Operation_generator::root_cap_of(Capability_model const& model, Object_type type)
{
    std::vector<mword> selectors;
    for (auto const& [sel, m] : model.space(model.root_pd(), Space_type::obj).mappings()) {
        if (model.objects().at(static_cast<Object_id>(m.resource)).type == type) {
            selectors.push_back(sel);
        }
    }
    if (selectors.empty()) return key_anywhere(model, Space_type::obj);
    mword alias = chance(0.05) ? mword{1} << model.config().sel_bits : 0;
    return selectors[below(selectors.size())] + alias;
}

// Inside (or at the start of) a mapping the PD has, else anywhere.
mword Operation_generator::key_near(Capability_model const& model, Object_id pd, Space_type type)
{
    Space const& space = model.space(pd, type);
    if (space.mappings().empty() || chance(0.3)) return key_anywhere(model, type);
    auto picked =
        std::next(space.mappings().begin(), static_cast<long>(below(space.mappings().size())));
    Mapping const& m = picked->second;
    mword offset = chance(0.5) ? 0 : below(m.size());
    mword alias = chance(0.05) ? space.limit() : 0;
    return m.base + offset + alias;
}

// Mostly small windows so that ranges collide; the edges of the space now and then.
mword Operation_generator::key_anywhere(Capability_model const& model, Space_type type)
{
    std::uint64_t roll = below(100);
    if (type == Space_type::obj) {
        mword limit = mword{1} << model.config().sel_bits;
        return roll < 80 ? below(200) : roll < 90 ? limit - 16 + below(32) : any() >> 12;
    }
    if (type == Space_type::pio)
        return roll < 70 ? below(256) : roll < 90 ? below(65536) : any() >> 12;
    if (roll < 55) return below(1024);
    if (roll < 70) return below(model.config().user_frames + 512);
    if (roll < 85) return user_page_limit - 24 + below(32); // where the host view ends
    if (roll < 95) return mem_limit - 16 + below(32);       // where the space wraps
    return any() >> 12;
}

Crd Operation_generator::crd_near(Capability_model const& model, Object_id pd, Space_type type)
{
    return Crd{type, key_near(model, pd, type), static_cast<u8>(pick_order()), pick_perms()};
}

// Mostly of the sender's type; ports mostly overlapping the sender's, as they must to move.
Crd Operation_generator::window_for(Capability_model const& model, Object_id dst, Crd send)
{
    Space_type type = chance(0.04) ? pick_type() : send.type();
    unsigned order = pick_order();
    mword base = chance(0.5) ? key_near(model, dst, type) : key_anywhere(model, type);
    if (type == Space_type::pio && chance(0.8)) base = send.base() ^ below(mword{1} << (order % 8));
    return Crd{type, base, static_cast<u8>(order), pick_perms()};
}

unsigned Operation_generator::pick_order()
{
    std::uint64_t roll = below(100);
    if (roll < 35) return 0;
    if (roll < 60) return 1 + static_cast<unsigned>(below(2));
    if (roll < 80) return 3 + static_cast<unsigned>(below(3));
    if (roll < 92) return 6 + static_cast<unsigned>(below(5));
    if (roll < 97) return 11 + static_cast<unsigned>(below(6));
    return 17 + static_cast<unsigned>(below(15));
}

u8 Operation_generator::pick_perms()
{
    std::uint64_t roll = below(100);
    if (roll < 60) return nova::perm::all;
    return roll < 97 ? static_cast<u8>(1 + below(31)) : 0;
}

// The root EC makes the hypercalls and the root SC gives it time, so both must outlive every
// sequence. Their capabilities at EXC+1 and EXC+2 are the roots of their derivation trees: only
// a self-revoke of the root's object space that covers one and takes all the rights it has left
// can remove it.
bool Operation_generator::keeps_root_running(Capability_model const& model, Crd crd,
                                             bool self) const
{
    if (!self || crd.type() != Space_type::obj) return true;
    Space const& obj = model.space(model.root_pd(), Space_type::obj);
    unsigned order = obj.clamp_order(crd.order());
    mword base = obj.wrap(crd.base()) & ~order_mask(order);
    for (mword sel : {root_ec_sel, root_sc_sel}) {
        Mapping const* cap = obj.find(sel);
        bool covered = sel >= base && sel - base < (mword{1} << order);
        if (covered && cap != nullptr && (cap->perms & ~crd.perms()) == 0) return false;
    }
    return true;
}

} // namespace novamodel
