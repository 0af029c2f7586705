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

// A typed item of a message ([C14] §3.4): `delegate(CRD[,HOTSPOT][,dma][,guest][,kernel])` or
// `translate(CRD)`. The CRD's object base may be a `$name` (base_name), resolved like any
// selector. `flags` holds the item's D, G and H bits where the item's flags word has them
// (nova::item::dma, ::guest, ::from_kernel).
struct Typed_item {
    bool translate{false};
    std::uint64_t crd{0};
    std::uint64_t hotspot{0};
    std::uint64_t flags{0};
    std::string base_name;

    bool operator==(Typed_item const&) const = default;
};

// The UTCB part of a call or reply: untyped words and typed items (forms with Form::message).
struct Message {
    std::optional<std::vector<std::uint64_t>> words; // `words=1,2,3`; `words=` is none
    std::vector<Typed_item> items;

    bool operator==(Message const&) const = default;
};

// `-> STATUS [output=value ...]`: outputs not written are not checked.
struct Expectation {
    nova::Status status{nova::Status::success};
    Outputs outputs{};
    std::optional<std::vector<std::uint64_t>> words;     // a call's reply words
    std::array<std::string, max_outputs> output_names{}; // an output's selector or CRD base name

    bool operator==(Expectation const&) const = default;
};

// Selectors written as names: [0] the first selector, [1 + i] operand i (a selector, or the
// base of an object CRD); empty where a number was written.
using Operand_names = std::array<std::string, max_operands + 1>;

struct Instruction {
    Source_location where; // of the mnemonic
    Call call;
    Operand_names names{};
    std::uint8_t relative{0}; // bit i: operand i was written `+N` (Value_kind::tsc)
    Message message;
    std::optional<Expectation> expect;
    std::vector<Instruction> block; // a declaration's statements (Form::block)

    // Where the text came from is not part of what an instruction means: a program and its
    // printed form (comments and blank lines gone) are equal.
    bool operator==(Instruction const& other) const
    {
        return call == other.call && names == other.names && relative == other.relative &&
               message == other.message && expect == other.expect && block == other.block;
    }
};

struct Program {
    std::vector<Instruction> instructions;

    bool operator==(Program const&) const = default;
};

// Builds a call of `form` with every operand at its fallback.
Call blank_call(Form const& form);

// Visits every statement in text order: each one, then the statements of its block. A template
// rather than a std::function: the parser resolves names with it, a call per statement.
template <typename Visit> void for_each_statement(std::vector<Instruction>& block, Visit&& visit)
{
    for (Instruction& instruction : block) {
        visit(instruction);
        for_each_statement(instruction.block, visit);
    }
}

template <typename Visit>
void for_each_statement(std::vector<Instruction> const& block, Visit&& visit)
{
    for (Instruction const& instruction : block) {
        visit(instruction);
        for_each_statement(instruction.block, visit);
    }
}

// The value of the call's operand `name`, and whether its flag `name` is set. The call's form
// must have such an operand or flag (std::bad_optional_access otherwise).
std::uint64_t operand_value(Call const& call, std::string_view name);
bool flag_set(Call const& call, std::string_view name);

} // namespace hcl
