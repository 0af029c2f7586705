#include "program/printer.hpp"

#include "program/message_text.hpp"
#include "program/name_text.hpp"
#include "program/status_text.hpp"

namespace hcl {

namespace {

// Everything appends to one string: a program prints without a string per piece.
void append_assignment(std::string& text, Operand const& operand, std::uint64_t value,
                       std::string_view name = {}, bool relative = false)
{
    text += ' ';
    text += operand.name;
    text += '=';
    append_named_value(text, operand, value, name, relative);
}

void append_operands(std::string& text, Call const& call, Operand_names const& names,
                     std::uint8_t relative)
{
    std::span<Operand const> operands = call.form->operands;
    for (std::size_t i = 0; i < operands.size(); ++i) {
        Operand const& operand = operands[i];
        bool is_relative = (relative >> i & 1) != 0;
        bool written = operand.required || call.operands[i] != operand.fallback ||
                       !names[1 + i].empty() || is_relative;
        if (written) append_assignment(text, operand, call.operands[i], names[1 + i], is_relative);
    }
}

void append_call(std::string& text, Call const& call, Operand_names const& names,
                 std::uint8_t relative, Message const& message)
{
    Form const& form = *call.form;
    text += form.mnemonic;
    if (form.has_selector) {
        text += ' ';
        append_named_value(text, selector_operand(), call.selector, names[0]);
    }
    append_operands(text, call, names, relative);
    if (message.words) {
        text += " words=";
        append_words(text, *message.words);
    }
    if (!message.items.empty()) {
        text += " items=";
        append_items(text, message.items);
    }
    for (Flag_word const& flag : form.flags) {
        if ((call.flags & flag.bit) == 0) continue;
        text += ' ';
        text += flag.name;
    }
}

void append_outcome(std::string& text, Form const& form, nova::Status status,
                    Outputs const& outputs, std::optional<std::vector<std::uint64_t>> const& words,
                    std::array<std::string, max_outputs> const& names)
{
    append_status(text, status);
    for (std::size_t i = 0; i < form.outputs.size(); ++i) {
        if (outputs[i]) append_assignment(text, form.outputs[i], *outputs[i], names[i]);
    }
    if (words) {
        text += " words=";
        append_words(text, *words);
    }
}

void append_instruction(std::string& text, Instruction const& instruction)
{
    append_call(text, instruction.call, instruction.names, instruction.relative,
                instruction.message);
    if (!instruction.expect) return;
    Expectation const& expect = *instruction.expect;
    text += " -> ";
    append_outcome(text, *instruction.call.form, expect.status, expect.outputs, expect.words,
                   expect.output_names);
}

// `depth` blocks deep: each level indents by four spaces.
void append_program(std::string& text, std::vector<Instruction> const& instructions,
                    std::size_t depth)
{
    for (Instruction const& instruction : instructions) {
        text.append(4 * depth, ' ');
        append_instruction(text, instruction);
        if (!instruction.call.form->block) {
            text += '\n';
            continue;
        }
        text += " {\n";
        append_program(text, instruction.block, depth + 1);
        text.append(4 * depth, ' ');
        text += "}\n";
    }
}

} // namespace

std::string format_call(Call const& call)
{
    std::string text;
    append_call(text, call, Operand_names{}, 0, Message{});
    return text;
}

std::string format_statement(Instruction const& instruction)
{
    std::string text;
    append_call(text, instruction.call, instruction.names, instruction.relative,
                instruction.message);
    return text;
}

std::string format_outcome(Form const& form, nova::Status status, Outputs const& outputs,
                           std::optional<std::vector<std::uint64_t>> const& words,
                           std::array<std::string, max_outputs> const& names)
{
    std::string text;
    append_outcome(text, form, status, outputs, words, names);
    return text;
}

std::string format_instruction(Instruction const& instruction)
{
    std::string text;
    append_instruction(text, instruction);
    return text;
}

std::string format_program(Program const& program)
{
    std::string text;
    text.reserve(64 * program.instructions.size()); // a line is 35 bytes on average: one allocation
    append_program(text, program.instructions, 0);
    return text;
}

} // namespace hcl
