// Writes programs in their canonical text: the mnemonic, the selector, the operands in the form's
// order (optional ones only when they differ from their fallback), the flags in the form's order,
// then `-> STATUS` and the expected outputs. parse_program(format_program(p)) == p for every
// program, and formatting a parsed file gives the file back once it is canonical.
#pragma once

#include "program/program.hpp"

#include <string>

namespace hcl {

std::string format_call(Call const& call);
// "SUCCESS crd=obj:64/0": a status and the outputs that are set.
std::string format_outcome(Form const& form, nova::Status status, Outputs const& outputs);
std::string format_instruction(Instruction const& instruction);
std::string format_program(Program const& program); // one line per instruction, each ended by \n

} // namespace hcl
