#include "program/number_text.hpp"

#include <charconv>

#include <fmt/format.h>

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

std::string format_decimal(std::uint64_t value)
{
    return fmt::format("{}", value);
}

std::string format_hex(std::uint64_t value)
{
    return fmt::format("{:#x}", value);
}

} // namespace hcl
