// Writes programs in their canonical text: the mnemonic, the selector, the operands in the form's
// order (optional ones only when they differ from their fallback), `words=` and `items=`, the
// flags in the form's order, then `-> STATUS` and the expected outputs; a block's statements
// follow their declaration's ` {`, indented by four spaces, and a `}` line ends it. Names print
// as written. parse_program(format_program(p)) == p for every program, and formatting a parsed
// file gives the file back once it is canonical.
#pragma once

#include "program/program.hpp"

#include <string>
#include <vector>

namespace hcl {

std::string format_call(Call const& call);
// The call as written: with its names, relative deadlines and message.
std::string format_statement(Instruction const& instruction);
// "SUCCESS crd=obj:64/0": a status and the outputs that are set (and a call's reply words).
std::string format_outcome(Form const& form, nova::Status status, Outputs const& outputs,
                           std::optional<std::vector<std::uint64_t>> const& words = {},
                           std::array<std::string, max_outputs> const& names = {});
std::string format_instruction(Instruction const& instruction); // without the block
std::string format_program(Program const& program); // one line per statement, each ended by \n

} // namespace hcl
