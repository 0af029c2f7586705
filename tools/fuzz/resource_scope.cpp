#include "resource_scope.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>

namespace fuzz {

namespace {

using nova::Hypercall;

std::optional<Resource> created_kind(hcl::Instruction const& instruction)
{
    switch (*instruction.call.form->number) {
    case Hypercall::create_pd:
        return Resource::pd;
    case Hypercall::create_ec:
        return hcl::flag_set(instruction.call, "global") ? Resource::global_ec : Resource::local_ec;
    case Hypercall::create_sc:
        return Resource::sc;
    case Hypercall::create_pt:
        return Resource::pt;
    case Hypercall::create_sm:
        return Resource::sm;
    default:
        return std::nullopt;
    }
}

Resources selector_kinds(hcl::Form const& form)
{
    switch (form.number.value_or(Hypercall::reply)) {
    case Hypercall::call:
    case Hypercall::pt_ctrl:
        return of(Resource::pt);
    case Hypercall::ec_ctrl:
        return any_ec;
    case Hypercall::sc_ctrl:
        return of(Resource::sc);
    case Hypercall::sm_ctrl:
    case Hypercall::assign_gsi:
        return of(Resource::sm);
    case Hypercall::assign_pci:
        return of(Resource::pd);
    default:
        return any_resource;
    }
}

Resources operand_kinds(hcl::Form const& form, hcl::Operand const& operand)
{
    std::string_view name = operand.name;
    if (name == "owner" || name == "src" || name == "dst") return of(Resource::pd);
    if (name != "ec") return any_resource; // a CRD base names anything
    bool global_ec = form.number == Hypercall::create_sc;
    return global_ec ? of(Resource::global_ec) : of(Resource::local_ec);
}

} // namespace

std::optional<Resource> bound_kind(hcl::Instruction const& binding)
{
    hcl::Form const& form = *binding.call.form;
    if (!form.binds()) return std::nullopt;
    switch (form.declaration.value_or(hcl::Declaration::slot)) {
    case hcl::Declaration::ec:
        return Resource::local_ec;
    case hcl::Declaration::portal:
        return Resource::pt;
    case hcl::Declaration::thread:
        return Resource::global_ec;
    case hcl::Declaration::slot:
        if (form.declaration) return Resource::slot;
        break;
    }
    return created_kind(binding);
}

Resources wanted(hcl::Form const& form, std::size_t slot)
{
    if (slot == 0) return selector_kinds(form);
    return operand_kinds(form, form.operands[slot - 1]);
}

Resource_scope::Resource_scope() : slots_(64)
{
    bind("$root_pd", Resource::pd);
    bind("$root_ec", Resource::global_ec);
    bind("$root_sc", Resource::sc);
}

// The predefined names, the first bindings, stay: a scope is cleared once or more per change of
// a mutant, and binding them anew (hashing, copying) was half of what clearing cost.
void Resource_scope::clear()
{
    bindings_.erase(bindings_.begin() + predefined, bindings_.end());
    std::ranges::fill(slots_, 0);
    counts_ = {};
    for (std::size_t i = 0; i < predefined; ++i) {
        ++counts_[static_cast<std::size_t>(bindings_[i].kind)];
        index(i);
    }
    reserved_.clear();
    next_ = 0;
}

void Resource_scope::bind(hcl::Instruction const& instruction)
{
    std::optional<Resource> kind = bound_kind(instruction);
    std::string const& name = instruction.names[0];
    if (!kind || name.empty()) return;
    bind(name, *kind);
    if (instruction.call.form->declaration == hcl::Declaration::thread) {
        bind(name + ".sc", Resource::sc);
    }
}

// A name keeps the kind it was bound with first.
void Resource_scope::bind(std::string_view name, Resource kind)
{
    std::uint64_t hash = hash_bytes(name);
    if (find(name, hash) != nullptr) return;
    bindings_.push_back({hash, std::string(name), kind});
    ++counts_[static_cast<std::size_t>(kind)];
    if (2 * bindings_.size() <= slots_.size()) return index(bindings_.size() - 1);
    slots_.assign(2 * slots_.size(), 0);
    for (std::size_t i = 0; i < bindings_.size(); ++i) index(i);
}

void Resource_scope::index(std::size_t binding)
{
    std::size_t mask = slots_.size() - 1;
    std::size_t slot = bindings_[binding].hash & mask;
    while (slots_[slot] != 0) slot = (slot + 1) & mask;
    slots_[slot] = static_cast<std::uint32_t>(binding + 1);
}

Resource_scope::Binding const* Resource_scope::find(std::string_view name, std::uint64_t hash) const
{
    std::size_t mask = slots_.size() - 1;
    for (std::size_t slot = hash & mask; slots_[slot] != 0; slot = (slot + 1) & mask) {
        Binding const& binding = bindings_[slots_[slot] - 1];
        if (binding.hash == hash && binding.name == name) return &binding;
    }
    return nullptr;
}

std::optional<Resource> Resource_scope::kind_of(std::string_view name) const
{
    Binding const* binding = find(name, hash_bytes(name));
    if (binding == nullptr) return std::nullopt;
    return binding->kind;
}

std::size_t Resource_scope::count(Resources kinds) const
{
    std::size_t total = 0;
    for (std::size_t i = 0; i < resource_count; ++i) {
        if ((kinds >> i & 1) != 0) total += counts_[i];
    }
    return total;
}

std::string const& Resource_scope::nth(Resources kinds, std::size_t index) const
{
    std::size_t kind = 0; // the kind the name at `index` has
    while ((kinds >> kind & 1) == 0 || index >= counts_[kind]) {
        if ((kinds >> kind & 1) != 0) index -= counts_[kind];
        ++kind;
        assert(kind < resource_count && "index < count(kinds)");
    }
    for (Binding const& binding : bindings_) {
        if (static_cast<std::size_t>(binding.kind) == kind && index-- == 0) return binding.name;
    }
    __builtin_unreachable();
}

void Resource_scope::reserve(hcl::Program const& program)
{
    reserve(program.instructions);
}

void Resource_scope::reserve(std::vector<hcl::Instruction> const& block)
{
    for (hcl::Instruction const& instruction : block) {
        if (!instruction.names[0].empty()) reserved_.push_back(instruction.names[0]);
        reserve(instruction.block);
    }
}

std::string Resource_scope::fresh(std::string_view stem)
{
    for (;;) {
        std::string name = fmt::format("${}{}", stem, next_++);
        if (!bound(name) && std::ranges::find(reserved_, name) == reserved_.end()) return name;
    }
}

} // namespace fuzz
