// The forms of the program language: for each mnemonic, the operands it takes and, for a
// hypercall, the bits of the register frame each one occupies ([C14] §2.1 and §2.3 in
// reference/nova-abi.md). The parser, the printer, the frame codec and the runner all read this
// one table, so the syntax and the register layout of a call are written down exactly once.
#pragma once

#include "nova/abi.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace hcl {

// How an operand value is spelled; the printer uses it to pick the radix.
enum class Value_kind : std::uint8_t {
    selector, // decimal: a capability selector
    count,    // decimal: a count, an id, a priority or a time
    address,  // hex: an address, a register word or a bit mask
    crd,      // a capability range descriptor (crd_text.hpp)
    tsc,      // decimal: an absolute TSC value, or `+N`: N cycles after the executing CPU's now
};

// The argument and result registers of the x86-64 hypercall convention.
enum class Reg : std::uint8_t { rdi, rsi, rdx, rax, r8 };

// `width` bits of an operand: value bits [from, from+width) sit in bits [at, at+width) of `reg`.
struct Bit_run {
    Reg reg;
    std::uint8_t at;
    std::uint8_t width;
    std::uint8_t from;
};

// An operand of a hypercall occupies bit runs of the frame. An operand of a kernel function has
// none: it is a whole 64-bit word, passed as an argument.
struct Operand {
    std::string_view name;
    Value_kind kind;
    std::array<Bit_run, 2> runs;
    std::uint8_t run_count;
    bool required;
    std::uint64_t fallback; // the value of an optional operand that is not written

    std::span<Bit_run const> bits() const { return {runs.data(), run_count}; }
    // The value bits the frame can carry; a value with other bits set cannot be encoded.
    std::uint64_t value_mask() const;
};

// A flag word such as `global`: for a hypercall a bit of the flags nibble, RDI bits 7:4; for a
// kernel function a bit of Call::flags.
struct Flag_word {
    std::string_view name;
    std::uint8_t bit;
};

inline constexpr std::size_t max_operands = 5;
inline constexpr std::size_t max_outputs = 2;

// The kernel functions a program calls directly. They are not hypercalls: until IPC exists, the
// delegate and translate typed items are exercised through them (runner.hpp, Hypercall_target).
enum class Kernel_function : std::uint8_t { delegate, translate };

// What running a form does.
enum class Form_kind : std::uint8_t {
    hypercall,       // a hypercall of the root EC, its operands encoded in a register frame
    raw,             // a hypercall frame written register by register
    kernel_function, // a call of a Kernel_function, its operands passed as whole words
    declaration,     // a component the runner builds from several hypercalls (Declaration)
};

// The components a program declares; each binds its `$name` (tools/README.md, "Components").
enum class Declaration : std::uint8_t {
    slot,   // a free selector, nothing created (a receive window, say)
    ec,     // a local EC with its own UTCB, serving portals
    portal, // a portal of a local EC whose handler runs the declaration's block
    thread, // a global EC with an SC, started through a STARTUP portal, running its block
};

struct Form {
    std::string_view mnemonic;
    std::optional<nova::Hypercall> number; // hypercalls only
    bool has_selector;                     // the first selector, RDI bits 63:8
    std::span<Operand const> operands;     // at most max_operands
    std::span<Flag_word const> flags;
    std::span<Operand const> outputs; // at most max_outputs; defined when the status is SUCCESS
    std::optional<Kernel_function> function{}; // kernel functions only
    std::uint8_t fixed_flags{0};               // flag bits always set (sm_down: down)
    bool message{false};                       // takes `words=` and `items=` (call, reply)
    std::optional<Declaration> declaration{};  // declarations only
    bool block{false};                         // a `{ ... }` block of statements follows

    Form_kind kind() const;
    std::uint8_t flag_mask() const;
    std::optional<std::size_t> operand_index(std::string_view name) const;
    std::optional<std::size_t> output_index(std::string_view name) const;
    std::optional<std::uint8_t> flag_bit(std::string_view name) const;
    // The selector written after the mnemonic names a new object: `$name` binds the name.
    bool binds() const;
};

// Every form: one per hypercall number of abi.hpp, then `raw`, then one per Kernel_function.
std::span<Form const> all_forms();
Form const* find_form(std::string_view mnemonic);
Form const* form_of(nova::Hypercall number); // nullptr for numbers abi.hpp does not name
Form const& raw_form();

// The first selector, RDI bits 63:8, written right after the mnemonic of a form that has one.
Operand const& selector_operand();

} // namespace hcl
