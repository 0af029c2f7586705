#include "program/printer.hpp"

#include "program/operand_text.hpp"
#include "program/status_text.hpp"

#include <fmt/format.h>

namespace hcl {

namespace {

void append_assignment(std::string& text, Operand const& operand, std::uint64_t value)
{
    text += fmt::format(" {}={}", operand.name, format_operand_value(operand, value));
}

} // namespace

std::string format_call(Call const& call)
{
    Form const& form = *call.form;
    std::string text(form.mnemonic);
    if (form.has_selector) text += " " + format_operand_value(selector_operand(), call.selector);
    for (std::size_t i = 0; i < form.operands.size(); ++i) {
        Operand const& operand = form.operands[i];
        if (operand.required || call.operands[i] != operand.fallback) {
            append_assignment(text, operand, call.operands[i]);
        }
    }
    for (Flag_word const& flag : form.flags) {
        if ((call.flags & flag.bit) != 0) text += fmt::format(" {}", flag.name);
    }
    return text;
}

std::string format_outcome(Form const& form, nova::Status status, Outputs const& outputs)
{
    std::string text = format_status(status);
    for (std::size_t i = 0; i < form.outputs.size(); ++i) {
        if (outputs[i]) append_assignment(text, form.outputs[i], *outputs[i]);
    }
    return text;
}

std::string format_instruction(Instruction const& instruction)
{
    std::string text = format_call(instruction.call);
    if (instruction.expect) {
        Expectation const& expect = *instruction.expect;
        text += " -> " + format_outcome(*instruction.call.form, expect.status, expect.outputs);
    }
    return text;
}

std::string format_program(Program const& program)
{
    std::string text;
    for (Instruction const& instruction : program.instructions) {
        text += format_instruction(instruction) + "\n";
    }
    return text;
}

} // namespace hcl
