// How numbers are spelled in a program (decimal, or hex after `0x`), and the error every value
// reader reports when a token is not what it should be.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace hcl {

// What a value reader expected, where in the token it gave up, and the text it found there.
struct Value_error {
    std::size_t offset{0};
    std::string expected;
    std::string found;
};

using Value_result = std::variant<std::uint64_t, Value_error>;

// A whole token as a 64-bit number: decimal digits, or `0x` and hex digits. Nothing else, so a
// number never silently absorbs a following character.
std::optional<std::uint64_t> parse_number(std::string_view text);

std::string format_decimal(std::uint64_t value);
std::string format_hex(std::uint64_t value); // 0x, lower case, no leading zeros

// The same spellings appended to `text`: the printer writes a whole program into one string
// rather than a string per number.
void append_decimal(std::string& text, std::uint64_t value);
void append_hex(std::string& text, std::uint64_t value);

} // namespace hcl
