#include "resource_scope.hpp"

#include <fmt/format.h>

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

Resource_scope::Resource_scope()
{
    bind("$root_pd", Resource::pd);
    bind("$root_ec", Resource::global_ec);
    bind("$root_sc", Resource::sc);
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

void Resource_scope::bind(std::string const& name, Resource kind)
{
    if (!kinds_.emplace(name, kind).second) return;
    by_kind_[static_cast<std::size_t>(kind)].push_back(name);
}

std::optional<Resource> Resource_scope::kind_of(std::string const& name) const
{
    auto it = kinds_.find(name);
    if (it == kinds_.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> Resource_scope::names_of(Resources kinds) const
{
    std::vector<std::string> names;
    for (std::size_t i = 0; i < resource_count; ++i) {
        if ((kinds >> i & 1) != 0)
            names.insert(names.end(), by_kind_[i].begin(), by_kind_[i].end());
    }
    return names;
}

void Resource_scope::reserve(hcl::Program const& program)
{
    hcl::for_each_statement(program.instructions, [this](hcl::Instruction const& instruction) {
        if (!instruction.names[0].empty()) reserved_.insert(instruction.names[0]);
    });
}

std::string Resource_scope::fresh(std::string_view stem)
{
    for (;;) {
        std::string name = fmt::format("${}{}", stem, next_++);
        if (!bound(name) && !reserved_.contains(name)) return name;
    }
}

} // namespace fuzz
