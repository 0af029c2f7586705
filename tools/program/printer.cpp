#include "program/printer.hpp"

#include "program/message_text.hpp"
#include "program/name_text.hpp"
#include "program/status_text.hpp"

#include <fmt/format.h>

namespace hcl {

namespace {

void append_assignment(std::string& text, Operand const& operand, std::uint64_t value,
                       std::string const& name = {}, bool relative = false)
{
    text += fmt::format(" {}={}", operand.name, format_named_value(operand, value, name, relative));
}

std::string format_call(Call const& call, Operand_names const& names, std::uint8_t relative,
                        Message const& message)
{
    Form const& form = *call.form;
    std::string text(form.mnemonic);
    if (form.has_selector) {
        text += " " + format_named_value(selector_operand(), call.selector, names[0]);
    }
    for (std::size_t i = 0; i < form.operands.size(); ++i) {
        Operand const& operand = form.operands[i];
        bool written = operand.required || call.operands[i] != operand.fallback ||
                       !names[1 + i].empty() || (relative >> i & 1) != 0;
        if (written)
            append_assignment(text, operand, call.operands[i], names[1 + i], relative >> i & 1);
    }
    if (message.words) text += " words=" + format_words(*message.words);
    if (!message.items.empty()) text += " items=" + format_items(message.items);
    for (Flag_word const& flag : form.flags) {
        if ((call.flags & flag.bit) != 0) text += fmt::format(" {}", flag.name);
    }
    return text;
}

void append_program(std::string& text, std::vector<Instruction> const& instructions,
                    std::string const& indent)
{
    for (Instruction const& instruction : instructions) {
        text += indent + format_instruction(instruction);
        if (!instruction.call.form->block) {
            text += "\n";
            continue;
        }
        text += " {\n";
        append_program(text, instruction.block, indent + "    ");
        text += indent + "}\n";
    }
}

} // namespace

std::string format_call(Call const& call)
{
    return format_call(call, Operand_names{}, 0, Message{});
}

std::string format_statement(Instruction const& instruction)
{
    return format_call(instruction.call, instruction.names, instruction.relative,
                       instruction.message);
}

std::string format_outcome(Form const& form, nova::Status status, Outputs const& outputs,
                           std::optional<std::vector<std::uint64_t>> const& words,
                           std::array<std::string, max_outputs> const& names)
{
    std::string text = format_status(status);
    for (std::size_t i = 0; i < form.outputs.size(); ++i) {
        if (outputs[i]) append_assignment(text, form.outputs[i], *outputs[i], names[i]);
    }
    if (words) text += " words=" + format_words(*words);
    return text;
}

std::string format_instruction(Instruction const& instruction)
{
    std::string text = format_statement(instruction);
    if (instruction.expect) {
        Expectation const& expect = *instruction.expect;
        text += " -> " + format_outcome(*instruction.call.form, expect.status, expect.outputs,
                                        expect.words, expect.output_names);
    }
    return text;
}

std::string format_program(Program const& program)
{
    std::string text;
    append_program(text, program.instructions, "");
    return text;
}

} // namespace hcl
