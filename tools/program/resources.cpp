#include "program/resources.hpp"

#include "program/name_text.hpp"

#include <set>

namespace hcl {

namespace {

using Name_map = std::unordered_map<std::string, std::uint64_t>;

// The selectors binding forms write as numbers: named ones never land there.
std::set<std::uint64_t> numbered_selectors(Program& program)
{
    std::set<std::uint64_t> taken;
    for_each_statement(program.instructions, [&](Instruction& instruction) {
        if (instruction.call.form->binds() && instruction.names[0].empty()) {
            taken.insert(instruction.call.selector);
        }
    });
    return taken;
}

Name_map allocate(Program& program)
{
    std::set<std::uint64_t> taken = numbered_selectors(program);
    Name_map names = predefined_names();
    std::uint64_t next = first_named_selector;
    auto fresh = [&] {
        while (taken.contains(next)) ++next;
        return next++;
    };
    for_each_statement(program.instructions, [&](Instruction& instruction) {
        Form const& form = *instruction.call.form;
        if (!form.binds() || instruction.names[0].empty()) return;
        names[instruction.names[0]] = fresh();
        if (form.declaration == Declaration::thread) names[instruction.names[0] + ".sc"] = fresh();
    });
    return names;
}

void resolve(Instruction& instruction, Name_map const& names)
{
    Call& call = instruction.call;
    if (!instruction.names[0].empty()) call.selector = names.at(instruction.names[0]);
    for (std::size_t i = 0; i < call.form->operands.size(); ++i) {
        std::string const& name = instruction.names[1 + i];
        if (name.empty()) continue;
        std::uint64_t selector = names.at(name);
        bool crd = call.form->operands[i].kind == Value_kind::crd;
        call.operands[i] = crd ? with_base(call.operands[i], selector) : selector;
    }
    if (instruction.expect) {
        Expectation& expect = *instruction.expect;
        for (std::size_t i = 0; i < call.form->outputs.size(); ++i) {
            if (expect.output_names[i].empty()) continue;
            expect.outputs[i] = with_base(*expect.outputs[i], names.at(expect.output_names[i]));
        }
    }
    for (Typed_item& item : instruction.message.items) {
        if (!item.base_name.empty()) item.crd = with_base(item.crd, names.at(item.base_name));
    }
}

} // namespace

Name_map predefined_names()
{
    return {{"$root_pd", 32}, {"$root_ec", 33}, {"$root_sc", 34}};
}

void assign_selectors(Program& program)
{
    Name_map names = allocate(program);
    for_each_statement(program.instructions,
                       [&](Instruction& instruction) { resolve(instruction, names); });
}

} // namespace hcl
