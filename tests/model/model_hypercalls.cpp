// The modelled hypercalls of an EC in any PD. The order of the checks is the specification of the
// error statuses, so each create_* reads top to bottom like its sys_* handler in the kernel.
#include "capability_model.hpp"

#include <stdexcept>

namespace novamodel {

namespace {

using nova::Hypercall;
namespace perm = nova::perm;
namespace initial_perm = nova::initial_perm;

constexpr mword page_mask = nova::page_size - 1;
constexpr u8 max_prio = 127;

} // namespace

Outcome Capability_model::hypercall(Object_id caller, Hypercall_args const& args)
{
    switch (args.call) {
    case Hypercall::create_pd:
        return create_pd(caller, args);
    case Hypercall::create_ec:
        return create_ec(caller, args);
    case Hypercall::create_sc:
        return create_sc(caller, args);
    case Hypercall::create_pt:
        return create_pt(caller, args);
    case Hypercall::create_sm:
        return create_sm(caller, args);
    case Hypercall::revoke:
        revoke(caller, Crd{args.rsi}, (args.flags & nova::flag::revoke_self) != 0);
        return Outcome{};
    default:
        return reading_hypercall(caller, args);
    }
}

Outcome Capability_model::reading_hypercall(Object_id caller, Hypercall_args const& args) const
{
    if (changes_capabilities(args.call)) {
        throw std::logic_error("model: a hypercall that changes capabilities is not a reading");
    }
    if (args.call == Hypercall::lookup)
        return Outcome{Status::success, lookup(caller, Crd{args.rsi})};
    return control(caller, args);
}

// The hypercalls that change no capability: only their capability check is the model's. A
// call needs a portal capability (any rights: [C14] checks the type only) and a caller with a
// UTCB, which every EC that runs component code has. Numbers without a handler are BAD_HYP.
Outcome Capability_model::control(Object_id caller, Hypercall_args const& args) const
{
    Object_type type{};
    u8 needed = 0;
    bool scheduled = false;
    switch (args.call) {
    case Hypercall::call:
        type = Object_type::pt, scheduled = true;
        break;
    case Hypercall::reply:
        return Outcome{};
    case Hypercall::ec_ctrl:
        type = Object_type::ec, needed = perm::ec_ct;
        break;
    case Hypercall::sc_ctrl:
        type = Object_type::sc, needed = perm::sc_ct;
        break;
    case Hypercall::pt_ctrl:
        type = Object_type::pt, needed = perm::pt_ct;
        break;
    case Hypercall::sm_ctrl:
        scheduled = (args.flags & nova::flag::sm_down) != 0;
        type = Object_type::sm, needed = scheduled ? perm::sm_dn : perm::sm_up;
        break;
    default:
        return Outcome{Status::bad_hyp};
    }
    if (!cap(caller, args.sel, type, needed)) return Outcome{Status::bad_cap};
    return Outcome{Status::success, Crd{}, scheduled};
}

// The capability of PD `pd` at `sel` if it names an object of `type` and carries `needed`.
std::optional<Capability_model::Cap> Capability_model::cap(Object_id pd, mword sel,
                                                           Object_type type, u8 needed) const
{
    Space const& obj = space(pd, Space_type::obj);
    Mapping const* found = obj.find(obj.wrap(sel));
    if (found == nullptr || (found->perms & needed) != needed) return std::nullopt;
    Object_id object = static_cast<Object_id>(found->resource);
    if (objects_.at(object).type != type) return std::nullopt;
    return Cap{object, found->perms};
}

bool Capability_model::selector_taken(Object_id pd, mword sel) const
{
    Space const& obj = space(pd, Space_type::obj);
    return obj.find(obj.wrap(sel)) != nullptr;
}

// The new PD's capability carries the owner capability's rights; RDX is delegated into it.
Outcome Capability_model::create_pd(Object_id caller, Hypercall_args const& args)
{
    std::optional<Cap> owner = cap(caller, args.rsi, Object_type::pd, perm::pd_pd);
    if (!owner || selector_taken(caller, args.sel)) return Outcome{Status::bad_cap};
    Object_id pd = make_object(Object::plain(Object_type::pd));
    install(caller, args.sel, pd, owner->perms);
    Crd everything{Space_type::obj, 0, 31, perm::all};
    delegate(caller, pd, Delegate_item{Crd{args.rdx}, everything});
    return Outcome{};
}

// RDX = UTCB address | CPU; a UTCB of 0 asks for a vCPU.
Outcome Capability_model::create_ec(Object_id caller, Hypercall_args const& args)
{
    mword cpu = args.rdx & page_mask;
    mword utcb = args.rdx & ~page_mask;
    if (cpu >= config_.cpus) return Outcome{Status::bad_cpu};
    std::optional<Cap> owner = cap(caller, args.rsi, Object_type::pd, perm::pd_ec);
    if (!owner) return Outcome{Status::bad_cap};
    if (utcb == 0 && !config_.vmx) return Outcome{Status::bad_ftr};
    mword utcb_page = utcb >> nova::page_bits;
    if (utcb >= nova::user_addr ||
        (utcb != 0 && space(owner->object, Space_type::mem).find(utcb_page) != nullptr)) {
        return Outcome{Status::bad_par};
    }
    if (selector_taken(caller, args.sel)) return Outcome{Status::bad_cap};
    bool global = (args.flags & nova::flag::create_ec_global) != 0;
    std::optional<mword> utcb_at;
    if (utcb != 0) {
        map_kernel_page(owner->object, utcb_page, perm::mem_r | perm::mem_w);
        utcb_at = utcb_page;
    }
    Object_id ec = make_object(Object::ec(owner->object, global, utcb_at));
    install(caller, args.sel, ec, initial_perm::ec);
    return Outcome{};
}

// RDX = a global EC (bind-SC right), RAX = QPD (quantum µs in 63:12, priority in 7:0).
Outcome Capability_model::create_sc(Object_id caller, Hypercall_args const& args)
{
    if (!cap(caller, args.rsi, Object_type::pd, perm::pd_sc)) return Outcome{Status::bad_cap};
    std::optional<Cap> ec = cap(caller, args.rdx, Object_type::ec, perm::ec_sc);
    if (!ec || !objects_.at(ec->object).global) return Outcome{Status::bad_cap};
    mword prio = args.rax & 0xff;
    mword quantum = args.rax >> nova::page_bits;
    if (prio == 0 || prio > max_prio || quantum == 0) return Outcome{Status::bad_par};
    if (selector_taken(caller, args.sel)) return Outcome{Status::bad_cap};
    Object_id sc = make_object(Object::holding(Object_type::sc, ec->object));
    install(caller, args.sel, sc, initial_perm::sc);
    return Outcome{};
}

// RDX = a local EC (bind-PT right): neither global nor a vCPU.
Outcome Capability_model::create_pt(Object_id caller, Hypercall_args const& args)
{
    if (!cap(caller, args.rsi, Object_type::pd, perm::pd_pt)) return Outcome{Status::bad_cap};
    std::optional<Cap> ec = cap(caller, args.rdx, Object_type::ec, perm::ec_pt);
    if (!ec) return Outcome{Status::bad_cap};
    Object const& handler = objects_.at(ec->object);
    if (handler.global || !handler.utcb_page) return Outcome{Status::bad_cap};
    if (selector_taken(caller, args.sel)) return Outcome{Status::bad_cap};
    Object_id pt = make_object(Object::holding(Object_type::pt, ec->object));
    install(caller, args.sel, pt, initial_perm::pt);
    return Outcome{};
}

Outcome Capability_model::create_sm(Object_id caller, Hypercall_args const& args)
{
    if (!cap(caller, args.rsi, Object_type::pd, perm::pd_sm)) return Outcome{Status::bad_cap};
    if (selector_taken(caller, args.sel)) return Outcome{Status::bad_cap};
    install(caller, args.sel, make_object(Object::plain(Object_type::sm)), initial_perm::sm);
    return Outcome{};
}

} // namespace novamodel
