#include "program/status_text.hpp"

#include "program/number_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

namespace hcl {

namespace {

// Status values 0..oom have names; any other byte can still come back in RDI (a `call` returns
// its own flags nibble there on success, reference/nova-abi.md §2.1) and is spelled as a number.
constexpr unsigned named_statuses = static_cast<unsigned>(nova::Status::oom) + 1;

std::string upper_name(nova::Status status)
{
    std::string name = nova::status_name(status);
    std::ranges::transform(name, name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return name;
}

nova::Status status_at(unsigned value)
{
    return static_cast<nova::Status>(value);
}

// The upper-case names, made once: every expectation is parsed and printed with them.
std::array<std::string, named_statuses> const& upper_names()
{
    static std::array<std::string, named_statuses> const names = [] {
        std::array<std::string, named_statuses> upper;
        for (unsigned value = 0; value < named_statuses; ++value) {
            upper[value] = upper_name(status_at(value));
        }
        return upper;
    }();
    return names;
}

} // namespace

std::optional<nova::Status> parse_status(std::string_view text)
{
    auto const& names = upper_names();
    for (unsigned value = 0; value < named_statuses; ++value) {
        if (names[value] == text) return status_at(value);
    }
    auto number = parse_number(text);
    if (!number || *number > UINT8_MAX) return std::nullopt;
    return status_at(static_cast<unsigned>(*number));
}

void append_status(std::string& text, nova::Status status)
{
    auto value = static_cast<unsigned>(status);
    if (value < named_statuses) {
        text += upper_names()[value];
    } else {
        append_hex(text, value);
    }
}

std::string format_status(nova::Status status)
{
    std::string text;
    append_status(text, status);
    return text;
}

std::string status_list()
{
    std::string list;
    for (unsigned value = 0; value < named_statuses; ++value) {
        if (value != 0) list += ", ";
        list += upper_names()[value];
    }
    return list;
}

} // namespace hcl
