// A hypercall program: what a `.hcl` file means once parsed. One instruction per call (a
// hypercall or a kernel function), in the order they run; each may state the status (and
// outputs) it expects.
#pragma once

#include "program/form.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hcl {

struct Source_location {
    std::uint32_t line{0};   // 1-based
    std::uint32_t column{0}; // 1-based
};

// One call as written: which form, and the value of everything the form lets you write.
// Operand values are the numbers the frame (or the kernel function) gets; an operand left out
// holds its fallback, so writing an optional operand's fallback and leaving it out mean the same
// call.
struct Call {
    Form const* form{nullptr};
    std::uint64_t selector{0};                          // RDI bits 63:8 when form->has_selector
    std::array<std::uint64_t, max_operands> operands{}; // in the order of form->operands
    std::uint8_t flags{0}; // named by form->flags; for a hypercall RDI bits 7:4

    bool operator==(Call const&) const = default;
};

// Output values in the order of form->outputs; an empty one is unknown or not asked for.
using Outputs = std::array<std::optional<std::uint64_t>, max_outputs>;

// `-> STATUS [output=value ...]`: outputs not written are not checked.
struct Expectation {
    nova::Status status{nova::Status::success};
    Outputs outputs{};

    bool operator==(Expectation const&) const = default;
};

struct Instruction {
    Source_location where; // of the mnemonic
    Call call;
    std::optional<Expectation> expect;

    // Where the text came from is not part of what an instruction means: a program and its
    // printed form (comments and blank lines gone) are equal.
    bool operator==(Instruction const& other) const
    {
        return call == other.call && expect == other.expect;
    }
};

struct Program {
    std::vector<Instruction> instructions;

    bool operator==(Program const&) const = default;
};

// Builds a call of `form` with every operand at its fallback.
Call blank_call(Form const& form);

// The value of the call's operand `name`, and whether its flag `name` is set. The call's form
// must have such an operand or flag (std::bad_optional_access otherwise).
std::uint64_t operand_value(Call const& call, std::string_view name);
bool flag_set(Call const& call, std::string_view name);

} // namespace hcl
