#include "program/operand_text.hpp"

#include "program/crd_text.hpp"

#include <bit>

#include <fmt/format.h>

namespace hcl {

namespace {

// How error messages name an operand: `owner=`, or `selector` for the positional one.
std::string label(Operand const& operand)
{
    if (&operand == &selector_operand()) return std::string(operand.name);
    return fmt::format("{}=", operand.name);
}

std::string kind_expectation(Operand const& operand)
{
    switch (operand.kind) {
    case Value_kind::selector:
        return fmt::format("a selector number for {}", label(operand));
    case Value_kind::address:
        return fmt::format("an address or mask for {}", label(operand));
    default:
        return fmt::format("a number for {}", label(operand));
    }
}

// Which values fit the bits the frame has for the operand, in words.
std::string range_expectation(Operand const& operand)
{
    std::uint64_t mask = operand.value_mask();
    if ((mask & (mask + 1)) == 0) {
        return fmt::format("{} up to {}", label(operand), format_operand_value(operand, mask));
    }
    if (mask == ~0ull << std::countr_zero(mask)) {
        return fmt::format("{} aligned to {}", label(operand), format_hex(mask & -mask));
    }
    return fmt::format("{} within mask {}", label(operand), format_hex(mask));
}

Value_result parse_plain_number(Operand const& operand, std::string_view text)
{
    auto value = parse_number(text);
    if (!value) return Value_error{0, kind_expectation(operand), std::string(text)};
    return *value;
}

} // namespace

Value_result parse_operand_value(Operand const& operand, std::string_view text)
{
    Value_result value =
        operand.kind == Value_kind::crd ? parse_crd(text) : parse_plain_number(operand, text);
    auto const* number = std::get_if<std::uint64_t>(&value);
    if (number != nullptr && (*number & ~operand.value_mask()) != 0) {
        return Value_error{0, range_expectation(operand), std::string(text)};
    }
    return value;
}

void append_operand_value(std::string& text, Operand const& operand, std::uint64_t value)
{
    switch (operand.kind) {
    case Value_kind::crd:
        append_crd(text, nova::Crd(value));
        break;
    case Value_kind::address:
        append_hex(text, value);
        break;
    default:
        append_decimal(text, value);
        break;
    }
}

std::string format_operand_value(Operand const& operand, std::uint64_t value)
{
    std::string text;
    append_operand_value(text, operand, value);
    return text;
}

} // namespace hcl
