// The modelled hypercalls of the root EC. The order of the checks is the specification of the
// error statuses, so each create_* reads top to bottom like its sys_* handler in the kernel.
#include "capability_model.hpp"

namespace novamodel {

namespace {

using nova::Hypercall;
namespace perm = nova::perm;
namespace initial_perm = nova::initial_perm;

constexpr mword page_mask = nova::page_size - 1;
constexpr u8 max_prio = 127;

} // namespace

std::optional<Outcome> Capability_model::hypercall(Hypercall_args const& args)
{
    switch (args.call) {
    case Hypercall::create_pd:
        return create_pd(args);
    case Hypercall::create_ec:
        return create_ec(args);
    case Hypercall::create_sc:
        return create_sc(args);
    case Hypercall::create_pt:
        return create_pt(args);
    case Hypercall::create_sm:
        return create_sm(args);
    case Hypercall::revoke:
        revoke(root_pd_, Crd{args.rsi}, (args.flags & nova::flag::revoke_self) != 0);
        return Outcome{};
    case Hypercall::lookup:
        return Outcome{Status::success, lookup(root_pd_, Crd{args.rsi})};
    default:
        return std::nullopt;
    }
}

// The root's capability at `sel` if it names an object of `type` and carries `needed`.
std::optional<Capability_model::Cap> Capability_model::root_cap(mword sel, Object_type type,
                                                                u8 needed) const
{
    Space const& obj = space(root_pd_, Space_type::obj);
    Mapping const* cap = obj.find(obj.wrap(sel));
    if (cap == nullptr || (cap->perms & needed) != needed) return std::nullopt;
    Object_id object = static_cast<Object_id>(cap->resource);
    if (objects_.at(object).type != type) return std::nullopt;
    return Cap{object, cap->perms};
}

bool Capability_model::root_selector_taken(mword sel) const
{
    Space const& obj = space(root_pd_, Space_type::obj);
    return obj.find(obj.wrap(sel)) != nullptr;
}

// The new PD's capability carries the owner capability's rights; RDX is delegated into it.
Outcome Capability_model::create_pd(Hypercall_args const& args)
{
    std::optional<Cap> owner = root_cap(args.rsi, Object_type::pd, perm::pd_pd);
    if (!owner || root_selector_taken(args.sel)) return Outcome{Status::bad_cap};
    Object_id pd = make_object(Object::plain(Object_type::pd));
    install(root_pd_, args.sel, pd, owner->perms);
    Crd everything{Space_type::obj, 0, 31, perm::all};
    delegate(root_pd_, pd, Delegate_item{Crd{args.rdx}, everything});
    return Outcome{};
}

// RDX = UTCB address | CPU; a UTCB of 0 asks for a vCPU.
Outcome Capability_model::create_ec(Hypercall_args const& args)
{
    mword cpu = args.rdx & page_mask;
    mword utcb = args.rdx & ~page_mask;
    if (cpu >= config_.cpus) return Outcome{Status::bad_cpu};
    std::optional<Cap> owner = root_cap(args.rsi, Object_type::pd, perm::pd_ec);
    if (!owner) return Outcome{Status::bad_cap};
    if (utcb == 0 && !config_.vmx) return Outcome{Status::bad_ftr};
    mword utcb_page = utcb >> nova::page_bits;
    if (utcb >= nova::user_addr ||
        (utcb != 0 && space(owner->object, Space_type::mem).find(utcb_page) != nullptr)) {
        return Outcome{Status::bad_par};
    }
    if (root_selector_taken(args.sel)) return Outcome{Status::bad_cap};
    bool global = (args.flags & nova::flag::create_ec_global) != 0;
    std::optional<mword> utcb_at;
    if (utcb != 0) {
        map_kernel_page(owner->object, utcb_page, perm::mem_r | perm::mem_w);
        utcb_at = utcb_page;
    }
    Object_id ec = make_object(Object::ec(owner->object, global, utcb_at));
    install(root_pd_, args.sel, ec, initial_perm::ec);
    return Outcome{};
}

// RDX = a global EC (bind-SC right), RAX = QPD (quantum µs in 63:12, priority in 7:0).
Outcome Capability_model::create_sc(Hypercall_args const& args)
{
    if (!root_cap(args.rsi, Object_type::pd, perm::pd_sc)) return Outcome{Status::bad_cap};
    std::optional<Cap> ec = root_cap(args.rdx, Object_type::ec, perm::ec_sc);
    if (!ec || !objects_.at(ec->object).global) return Outcome{Status::bad_cap};
    mword prio = args.rax & 0xff;
    mword quantum = args.rax >> nova::page_bits;
    if (prio == 0 || prio > max_prio || quantum == 0) return Outcome{Status::bad_par};
    if (root_selector_taken(args.sel)) return Outcome{Status::bad_cap};
    Object_id sc = make_object(Object::holding(Object_type::sc, ec->object));
    install(root_pd_, args.sel, sc, initial_perm::sc);
    return Outcome{};
}

// RDX = a local EC (bind-PT right): neither global nor a vCPU.
Outcome Capability_model::create_pt(Hypercall_args const& args)
{
    if (!root_cap(args.rsi, Object_type::pd, perm::pd_pt)) return Outcome{Status::bad_cap};
    std::optional<Cap> ec = root_cap(args.rdx, Object_type::ec, perm::ec_pt);
    if (!ec) return Outcome{Status::bad_cap};
    Object const& handler = objects_.at(ec->object);
    if (handler.global || !handler.utcb_page) return Outcome{Status::bad_cap};
    if (root_selector_taken(args.sel)) return Outcome{Status::bad_cap};
    Object_id pt = make_object(Object::holding(Object_type::pt, ec->object));
    install(root_pd_, args.sel, pt, initial_perm::pt);
    return Outcome{};
}

Outcome Capability_model::create_sm(Hypercall_args const& args)
{
    if (!root_cap(args.rsi, Object_type::pd, perm::pd_sm)) return Outcome{Status::bad_cap};
    if (root_selector_taken(args.sel)) return Outcome{Status::bad_cap};
    install(root_pd_, args.sel, make_object(Object::plain(Object_type::sm)), initial_perm::sm);
    return Outcome{};
}

} // namespace novamodel
