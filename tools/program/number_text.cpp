#include "program/number_text.hpp"

#include <array>
#include <charconv>

namespace hcl {

std::optional<std::uint64_t> parse_number(std::string_view text)
{
    int base = 10;
    if (text.starts_with("0x")) {
        text.remove_prefix(2);
        base = 16;
    }
    // from_chars would accept a sign for some types and stop at the first stray character; both
    // must fail here, as must an empty digit string.
    if (text.empty() || text.front() == '-' || text.front() == '+') return std::nullopt;
    std::uint64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

namespace {

void append_digits(std::string& text, std::uint64_t value, int base)
{
    std::array<char, 20> digits; // 2^64 - 1 has 20 decimal digits
    char* end = std::to_chars(digits.data(), digits.data() + digits.size(), value, base).ptr;
    text.append(digits.data(), end);
}

} // namespace

void append_decimal(std::string& text, std::uint64_t value)
{
    append_digits(text, value, 10);
}

void append_hex(std::string& text, std::uint64_t value)
{
    text += "0x";
    append_digits(text, value, 16); // to_chars writes lower-case digits
}

std::string format_decimal(std::uint64_t value)
{
    std::string text;
    append_decimal(text, value);
    return text;
}

std::string format_hex(std::uint64_t value)
{
    std::string text;
    append_hex(text, value);
    return text;
}

} // namespace hcl
