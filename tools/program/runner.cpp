#include "program/runner.hpp"

#include "program/frame.hpp"
#include "program/printer.hpp"

#include <fmt/format.h>

namespace hcl {

namespace {

nova::Crd crd_operand(Call const& call, std::string_view name)
{
    return nova::Crd{operand_value(call, name)};
}

Delegate_request delegate_request(Call const& call)
{
    return {.src = operand_value(call, "src"),
            .dst = operand_value(call, "dst"),
            .send = crd_operand(call, "send"),
            .window = crd_operand(call, "window"),
            .hotspot = operand_value(call, "hotspot"),
            .dma = flag_set(call, "dma"),
            .guest = flag_set(call, "guest"),
            .kernel = flag_set(call, "kernel")};
}

Translate_request translate_request(Call const& call)
{
    return {.src = operand_value(call, "src"),
            .dst = operand_value(call, "dst"),
            .crd = crd_operand(call, "crd"),
            .window = crd_operand(call, "window")};
}

Kernel_result call_function(Call const& call, Hypercall_target& target)
{
    switch (call.form->function.value()) {
    case Kernel_function::delegate:
        return target.delegate(delegate_request(call));
    case Kernel_function::translate:
        return target.translate(translate_request(call));
    }
    __builtin_unreachable();
}

Outcome execute_function(Call const& call, Hypercall_target& target)
{
    Kernel_result result = call_function(call, target);
    Outcome outcome{result.status, {}};
    if (result.status == nova::Status::success) {
        outcome.outputs[call.form->output_index("crd").value()] = result.crd.raw();
    }
    return outcome;
}

} // namespace

bool meets(Expectation const& expect, Outcome const& outcome)
{
    if (expect.status != outcome.status) return false;
    for (std::size_t i = 0; i < max_outputs; ++i) {
        if (expect.outputs[i] && expect.outputs[i] != outcome.outputs[i]) return false;
    }
    return !expect.words || expect.words == outcome.words;
}

Outcome execute_call(Call const& call, Hypercall_target& target)
{
    if (call.form->kind() == Form_kind::kernel_function) return execute_function(call, target);
    nova::Sys_regs frame = to_frame(call);
    nova::Status status = target.execute(frame);
    bool has_outputs = status == nova::Status::success;
    return {status, has_outputs ? read_outputs(*call.form, frame) : Outputs{}};
}

std::string error_prefix(std::string_view filename, Source_location where)
{
    return fmt::format("{}:{}:{}: error:", filename, where.line, where.column);
}

// Reports an outcome that does not meet the instruction's expectation; true when it meets it.
bool check_expectation(Instruction const& instruction, Outcome const& outcome,
                       std::string_view filename, std::ostream& out)
{
    Form const& form = *instruction.call.form;
    Expectation const& expect = *instruction.expect;
    if (meets(expect, outcome)) return true;
    out << fmt::format("{} expected -> {}, got -> {}\n", error_prefix(filename, instruction.where),
                       format_outcome(form, expect.status, expect.outputs, expect.words),
                       format_outcome(form, outcome.status, outcome.outputs, outcome.words));
    return false;
}

Run_summary run_program(Program const& program, std::string_view filename, Hypercall_target& target,
                        std::ostream& out)
{
    Run_summary summary{};
    for (Instruction const& instruction : program.instructions) {
        Outcome outcome = execute_call(instruction.call, target);
        ++summary.executed;
        out << fmt::format("{}: {} -> {}\n", instruction.where.line, format_call(instruction.call),
                           format_outcome(*instruction.call.form, outcome.status, outcome.outputs));
        if (instruction.expect) {
            ++summary.expectations;
            if (!check_expectation(instruction, outcome, filename, out)) ++summary.failed;
        }
        if (std::string broken = target.broken_invariant(); !broken.empty()) {
            summary.fired = Oracle::invariant;
            summary.finding = "kernel invariant broken: " + broken;
            out << fmt::format("{} {}\n", error_prefix(filename, instruction.where),
                               summary.finding);
            break;
        }
    }
    return summary;
}

} // namespace hcl
