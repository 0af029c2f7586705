#include "operation.hpp"

#include <sstream>
#include <stdexcept>

namespace novamodel {

namespace {

Outcome read_one(Capability_model const& model, Hypercall_op const& op)
{
    return model.reading_hypercall(op.pd.value_or(model.root_pd()), op.args);
}

Outcome read_one(Capability_model const& model, Lookup_op const& op)
{
    return Outcome{Status::success, model.lookup(op.pd, op.crd)};
}

Outcome read_one(Capability_model const& model, Translate_op const& op)
{
    return Outcome{Status::success, model.translate(op.src, op.dst, op.crd, op.window)};
}

template <typename Writing> Outcome read_one(Capability_model const&, Writing const&)
{
    throw std::logic_error("model: a delegation or revocation is not a reading");
}

Outcome apply_one(Capability_model& model, Hypercall_op const& op)
{
    return model.hypercall(op.pd.value_or(model.root_pd()), op.args);
}

Outcome apply_one(Capability_model& model, Delegate_op const& op)
{
    return Outcome{Status::success, model.delegate(op.src, op.dst, op.item)};
}

Outcome apply_one(Capability_model& model, Revoke_op const& op)
{
    model.revoke(op.pd, op.crd, op.self);
    return Outcome{};
}

// Lookups and translations change nothing: applying one is reading it.
template <typename Reading> Outcome apply_one(Capability_model& model, Reading const& op)
{
    return read_one(model, op);
}

std::string describe_one(Hypercall_op const& op)
{
    Hypercall_args const& a = op.args;
    std::ostringstream out;
    out << (op.pd ? "pd" + std::to_string(*op.pd) : std::string{"root"}) << " "
        << nova::hypercall_name(a.call) << " sel=" << hex(a.sel) << " flags=" << hex(a.flags)
        << " rsi=" << hex(a.rsi) << " rdx=" << hex(a.rdx) << " rax=" << hex(a.rax)
        << " r8=" << hex(a.r8);
    if (a.call == nova::Hypercall::revoke || a.call == nova::Hypercall::lookup) {
        out << " (rsi=" << describe(Crd{a.rsi}) << ")";
    }
    if (a.call == nova::Hypercall::create_pd) out << " (rdx=" << describe(Crd{a.rdx}) << ")";
    return out.str();
}

std::string describe_one(Delegate_op const& op)
{
    Delegate_item const& d = op.item;
    std::ostringstream out;
    out << "delegate pd" << op.src << " -> pd" << op.dst << " send=" << describe(d.send)
        << " window=" << describe(d.window) << " hotspot=" << hex(d.hotspot);
    if (d.dma) out << " D";
    if (d.guest) out << " G";
    if (d.from_kernel) out << " H";
    return out.str();
}

std::string describe_one(Revoke_op const& op)
{
    return "revoke pd" + std::to_string(op.pd) + " " + describe(op.crd) + (op.self ? " self" : "");
}

std::string describe_one(Lookup_op const& op)
{
    return "lookup pd" + std::to_string(op.pd) + " " + describe(op.crd);
}

std::string describe_one(Translate_op const& op)
{
    return "translate pd" + std::to_string(op.src) + " -> pd" + std::to_string(op.dst) + " " +
           describe(op.crd) + " window=" + describe(op.window);
}

} // namespace

Outcome apply(Capability_model& model, Operation const& op)
{
    return std::visit([&model](auto const& one) { return apply_one(model, one); }, op);
}

bool writes(Operation const& op)
{
    if (std::holds_alternative<Delegate_op>(op) || std::holds_alternative<Revoke_op>(op)) {
        return true;
    }
    auto const* call = std::get_if<Hypercall_op>(&op);
    return call != nullptr && changes_capabilities(call->args.call);
}

Outcome apply_reading(Capability_model const& model, Operation const& op)
{
    return std::visit([&model](auto const& one) { return read_one(model, one); }, op);
}

Named_pds pds_named_by(Operation const& op)
{
    if (auto const* d = std::get_if<Delegate_op>(&op)) return {{d->src, d->dst}, 2};
    if (auto const* r = std::get_if<Revoke_op>(&op)) return {{r->pd}, 1};
    if (auto const* l = std::get_if<Lookup_op>(&op)) return {{l->pd}, 1};
    if (auto const* t = std::get_if<Translate_op>(&op)) return {{t->src, t->dst}, 2};
    if (auto const* h = std::get_if<Hypercall_op>(&op); h != nullptr && h->pd) {
        return {{*h->pd}, 1};
    }
    return {};
}

std::string describe(Operation const& op)
{
    return std::visit([](auto const& one) { return describe_one(one); }, op);
}

std::string hex(mword value)
{
    std::ostringstream out;
    out << "0x" << std::hex << value;
    return out.str();
}

std::string describe(Space_type type)
{
    switch (type) {
    case Space_type::null:
        return "null";
    case Space_type::mem:
        return "mem";
    case Space_type::pio:
        return "pio";
    case Space_type::obj:
        return "obj";
    }
    return "?";
}

std::string describe(Object_type type)
{
    static char const* const names[] = {"pd", "ec", "sc", "pt", "sm"};
    auto index = static_cast<unsigned>(type);
    return index < 5 ? names[index] : "?";
}

// "mem(0x100, order 2, perms 0x7)" or "null(raw)" for a CRD of type null.
std::string describe(Crd crd)
{
    if (crd.type() == Space_type::null)
        return crd.raw() == 0 ? "null" : "null(" + hex(crd.raw()) + ")";
    return describe(crd.type()) + "(" + hex(crd.base()) + ", order " + std::to_string(crd.order()) +
           ", perms " + hex(crd.perms()) + ")";
}

std::string describe(Outcome const& outcome)
{
    if (outcome.scheduler_decides) return "not BAD_CAP (the scheduler decides)";
    return std::string{nova::status_name(outcome.status)} + " " + describe(outcome.crd);
}

} // namespace novamodel
