#include "vmm/state_text.hpp"

#include <fmt/format.h>

namespace vmm {

namespace {

template <typename Format>
std::string joined(std::vector<u64> const& values, Format format, std::string_view absent)
{
    if (values.empty()) return std::string(absent);
    std::string out;
    for (u64 value : values) out += (out.empty() ? "" : ",") + format(value);
    return out;
}

} // namespace

State_line::State_line(std::string_view label) : line_(std::string(label) + ":")
{
}

State_line& State_line::field(std::string_view name, std::string_view value)
{
    line_ += fmt::format(" {}={}", name, value);
    return *this;
}

State_line& State_line::hex(std::string_view name, u64 value, unsigned digits)
{
    return field(name, fmt::format("0x{:0{}x}", value, digits));
}

State_line& State_line::dec(std::string_view name, u64 value)
{
    return field(name, fmt::format("{}", value));
}

State_line& State_line::flag(std::string_view name, bool value)
{
    return field(name, value ? "1" : "0");
}

State_line& State_line::text(std::string_view name, std::string_view value)
{
    return field(name, value);
}

State_line& State_line::deadline(std::string_view name, Nanoseconds at)
{
    return field(name, at == never ? std::string("never") : fmt::format("{}ns", at));
}

State_line& State_line::hex_list(std::string_view name, std::vector<u64> const& values)
{
    return field(name, joined(
                           values, [](u64 v) { return fmt::format("0x{:02x}", v); }, absent));
}

State_line& State_line::dec_list(std::string_view name, std::vector<u64> const& values)
{
    return field(name, joined(
                           values, [](u64 v) { return fmt::format("{}", v); }, absent));
}

State_line& State_line::names(std::string_view name,
                              std::initializer_list<std::pair<std::string_view, bool>> candidates)
{
    std::string set;
    for (auto const& [candidate, holds] : candidates)
        if (holds) set += (set.empty() ? "" : ",") + std::string(candidate);
    return field(name, set.empty() ? absent : std::string_view(set));
}

} // namespace vmm
