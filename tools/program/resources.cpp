#include "program/resources.hpp"

#include "program/name_text.hpp"

#include <algorithm>
#include <stdexcept>

namespace hcl {

namespace {

using Selector_map = Name_map<std::uint64_t>;

// The selectors binding forms write as numbers, sorted: named ones never land there.
std::vector<std::uint64_t> numbered_selectors(Program const& program)
{
    std::vector<std::uint64_t> taken;
    for_each_statement(program.instructions, [&](Instruction const& instruction) {
        if (instruction.call.form->binds() && instruction.names[0].empty()) {
            taken.push_back(instruction.call.selector);
        }
    });
    std::ranges::sort(taken);
    return taken;
}

void allocate(Program const& program, Selector_map& names)
{
    std::vector<std::uint64_t> taken = numbered_selectors(program);
    std::uint64_t next = first_named_selector;
    auto fresh = [&] {
        while (std::ranges::binary_search(taken, next)) ++next;
        return next++;
    };
    for_each_statement(program.instructions, [&](Instruction const& instruction) {
        Form const& form = *instruction.call.form;
        std::string const& name = instruction.names[0];
        if (!form.binds() || name.empty()) return;
        names.insert_or_assign(name, fresh());
        if (form.declaration == Declaration::thread) names.insert_or_assign(name + ".sc", fresh());
    });
}

// A name the program binds, else a predefined one; the parser has checked there is one.
std::uint64_t selector_of(Selector_map const& names, std::string_view name)
{
    if (auto it = names.find(name); it != names.end()) return it->second;
    for (Predefined_name const& predefined : predefined_selectors) {
        if (predefined.name == name) return predefined.selector;
    }
    throw std::out_of_range("assign_selectors: a name that is not bound");
}

void resolve(Instruction& instruction, Selector_map const& names)
{
    Call& call = instruction.call;
    if (!instruction.names[0].empty()) call.selector = selector_of(names, instruction.names[0]);
    for (std::size_t i = 0; i < call.form->operands.size(); ++i) {
        std::string const& name = instruction.names[1 + i];
        if (name.empty()) continue;
        std::uint64_t selector = selector_of(names, name);
        bool crd = call.form->operands[i].kind == Value_kind::crd;
        call.operands[i] = crd ? with_base(call.operands[i], selector) : selector;
    }
    if (instruction.expect) {
        Expectation& expect = *instruction.expect;
        for (std::size_t i = 0; i < call.form->outputs.size(); ++i) {
            if (expect.output_names[i].empty()) continue;
            std::uint64_t selector = selector_of(names, expect.output_names[i]);
            expect.outputs[i] = with_base(*expect.outputs[i], selector);
        }
    }
    for (Typed_item& item : instruction.message.items) {
        if (item.base_name.empty()) continue;
        item.crd = with_base(item.crd, selector_of(names, item.base_name));
    }
}

} // namespace

void assign_selectors(Program& program)
{
    Local_name_map<std::uint64_t> names;
    allocate(program, *names);
    for_each_statement(program.instructions,
                       [&](Instruction& instruction) { resolve(instruction, *names); });
}

} // namespace hcl
