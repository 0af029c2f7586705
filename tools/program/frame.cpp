#include "program/frame.hpp"

namespace hcl {

namespace {

// One argument register of a frame, const or not.
template <typename Frame> auto& reg(Frame& frame, Reg name)
{
    switch (name) {
    case Reg::rdi:
        return frame.rdi;
    case Reg::rsi:
        return frame.rsi;
    case Reg::rdx:
        return frame.rdx;
    case Reg::rax:
        return frame.rax;
    case Reg::r8:
        return frame.r8;
    }
    __builtin_unreachable();
}

std::uint64_t low_ones(unsigned width)
{
    return width >= 64 ? ~0ull : (1ull << width) - 1;
}

void place(Operand const& operand, std::uint64_t value, nova::Sys_regs& frame)
{
    for (Bit_run const& run : operand.bits()) {
        reg(frame, run.reg) |= (value >> run.from & low_ones(run.width)) << run.at;
    }
}

std::uint64_t gather(Operand const& operand, nova::Sys_regs const& frame)
{
    std::uint64_t value = 0;
    for (Bit_run const& run : operand.bits()) {
        value |= (reg(frame, run.reg) >> run.at & low_ones(run.width)) << run.from;
    }
    return value;
}

Call decode_as(Form const& form, nova::Sys_regs const& frame)
{
    Call call = blank_call(form);
    if (form.has_selector) call.selector = frame.sel();
    call.flags = static_cast<std::uint8_t>(frame.flags() & form.flag_mask());
    for (std::size_t i = 0; i < form.operands.size(); ++i) {
        call.operands[i] = gather(form.operands[i], frame);
    }
    return call;
}

bool same_arguments(nova::Sys_regs const& a, nova::Sys_regs const& b)
{
    return a.rdi == b.rdi && a.rsi == b.rsi && a.rdx == b.rdx && a.rax == b.rax && a.r8 == b.r8;
}

} // namespace

nova::Sys_regs to_frame(Call const& call)
{
    Form const& form = *call.form;
    nova::Sys_regs frame{};
    if (form.number) {
        frame.rdi = nova::Sys_regs::word(*form.number,
                                         static_cast<std::uint8_t>(call.flags | form.fixed_flags),
                                         form.has_selector ? call.selector : 0);
    }
    for (std::size_t i = 0; i < form.operands.size(); ++i) {
        place(form.operands[i], call.operands[i], frame);
    }
    return frame;
}

Call from_frame(nova::Sys_regs const& frame)
{
    if (Form const* form = form_of(frame.number())) {
        Call call = decode_as(*form, frame);
        if (same_arguments(to_frame(call), frame)) return call;
    }
    return decode_as(raw_form(), frame);
}

Outputs read_outputs(Form const& form, nova::Sys_regs const& frame)
{
    Outputs outputs{};
    for (std::size_t i = 0; i < form.outputs.size(); ++i) {
        outputs[i] = gather(form.outputs[i], frame);
    }
    return outputs;
}

} // namespace hcl
