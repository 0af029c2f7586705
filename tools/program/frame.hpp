// Between calls and register frames: the frame is what the `syscall` instruction hands the
// kernel ([C14] §2.1): RDI = number | flags << 4 | selector << 8, then RSI, RDX, RAX, R8.
#pragma once

#include "program/program.hpp"

namespace hcl {

// Frames exist for hypercalls and `raw` only: a kernel function's call has none, and from_frame
// never gives one.
nova::Sys_regs to_frame(Call const& call); // call.form->kind() != Form_kind::kernel_function

// The call that writes the argument registers (RDI, RSI, RDX, RAX, R8) of `frame`: in the form
// of its hypercall number when that form reproduces them exactly, else in the `raw` form. So
// every frame has a text, and to_frame(from_frame(f)) has f's argument registers.
Call from_frame(nova::Sys_regs const& frame);

// The form's outputs as the kernel left them in `frame`.
Outputs read_outputs(Form const& form, nova::Sys_regs const& frame);

} // namespace hcl
