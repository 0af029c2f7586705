#include "program/name_text.hpp"

#include "program/crd_text.hpp"
#include "program/operand_text.hpp"

#include <algorithm>
#include <cctype>

namespace hcl {

namespace {

constexpr std::string_view object_prefix = "obj:$";

bool name_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.';
}

} // namespace

bool is_name(std::string_view text)
{
    return text.size() > 1 && text[0] == '$' && std::ranges::all_of(text.substr(1), name_char);
}

Named_result parse_named_crd(std::string_view text)
{
    if (!text.starts_with(object_prefix)) {
        Value_result crd = parse_crd(text);
        if (auto const* error = std::get_if<Value_error>(&crd)) return *error;
        return Named_value{std::get<std::uint64_t>(crd), {}};
    }
    std::size_t end = std::min(text.find('/'), text.size());
    std::string_view name = text.substr(4, end - 4);
    if (!is_name(name))
        return Value_error{4, "a name ($ and letters, digits, _ or .)", std::string(name)};
    std::string rest = "obj:0" + std::string(text.substr(end));
    Value_result crd = parse_crd(rest);
    if (auto* error = std::get_if<Value_error>(&crd)) {
        error->offset += name.size() - 1;
        return *error;
    }
    return Named_value{std::get<std::uint64_t>(crd), std::string(name)};
}

Named_result parse_named_value(Operand const& operand, std::string_view text)
{
    if (operand.kind == Value_kind::crd) return parse_named_crd(text);
    if (operand.kind == Value_kind::selector && text.starts_with('$')) {
        if (!is_name(text))
            return Value_error{0, "a name ($ and letters, digits, _ or .)", std::string(text)};
        return Named_value{0, std::string(text)};
    }
    bool relative = operand.kind == Value_kind::tsc && text.starts_with('+');
    Value_result value = parse_operand_value(operand, text.substr(relative ? 1 : 0));
    if (auto* error = std::get_if<Value_error>(&value)) {
        error->offset += relative ? 1 : 0;
        return *error;
    }
    return Named_value{std::get<std::uint64_t>(value), {}, relative};
}

std::string format_named_crd(std::uint64_t crd, std::string const& name)
{
    std::string text = format_crd(nova::Crd{crd});
    if (name.empty()) return text;
    std::size_t slash = text.find('/');
    return "obj:" + name + text.substr(slash);
}

std::string format_named_value(Operand const& operand, std::uint64_t value, std::string const& name,
                               bool relative)
{
    if (operand.kind == Value_kind::crd) return format_named_crd(value, name);
    if (!name.empty()) return name;
    return (relative ? "+" : "") + format_operand_value(operand, value);
}

std::uint64_t with_base(std::uint64_t crd, std::uint64_t base)
{
    return (crd & 0xfff) | base << 12;
}

} // namespace hcl
