// How operand values are read and written: by the operand's kind (selectors and counts in
// decimal, addresses in hex, CRDs in their own syntax), limited to the bits the frame can carry.
#pragma once

#include "program/form.hpp"
#include "program/number_text.hpp"

#include <string>
#include <string_view>

namespace hcl {

// The value of `operand` written as `text`; fails on text of the wrong kind and on values with
// bits outside operand.value_mask(), so every value read can be encoded and printed back.
Value_result parse_operand_value(Operand const& operand, std::string_view text);

std::string format_operand_value(Operand const& operand, std::uint64_t value);
void append_operand_value(std::string& text, Operand const& operand, std::uint64_t value);

} // namespace hcl
