#include "program/name_text.hpp"

#include "program/crd_text.hpp"
#include "program/operand_text.hpp"

#include <algorithm>
#include <stdexcept>

namespace hcl {

namespace {

constexpr std::string_view object_prefix = "obj:$";

// What std::isalnum accepts in the "C" locale, without a call per character.
bool name_char(char c)
{
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return letter || (c >= '0' && c <= '9') || c == '_' || c == '.';
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
    std::size_t slash = text.find('/');
    std::string_view name = text.substr(4, std::min(slash, text.size()) - 4);
    if (!is_name(name))
        return Value_error{4, "a name ($ and letters, digits, _ or .)", std::string(name)};
    // The rest is read as if the base were 0; the name's selector replaces it later.
    Value_result crd = parse_object_crd_rest(text, slash);
    if (auto* error = std::get_if<Value_error>(&crd)) return std::move(*error);
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

void append_named_crd(std::string& text, std::uint64_t crd, std::string_view name)
{
    if (name.empty()) {
        append_crd(text, nova::Crd{crd});
        return;
    }
    // Only an object CRD has a base to name; a null one has no rest to go after the name.
    if (nova::Crd{crd}.type() == nova::Crd::Type::null) {
        throw std::out_of_range("format_named_crd: a named CRD must have a type");
    }
    text += "obj:";
    text += name;
    append_crd_rest(text, nova::Crd{crd});
}

void append_named_value(std::string& text, Operand const& operand, std::uint64_t value,
                        std::string_view name, bool relative)
{
    if (operand.kind == Value_kind::crd) {
        append_named_crd(text, value, name);
    } else if (!name.empty()) {
        text += name;
    } else {
        if (relative) text += '+';
        append_operand_value(text, operand, value);
    }
}

std::string format_named_crd(std::uint64_t crd, std::string const& name)
{
    std::string text;
    append_named_crd(text, crd, name);
    return text;
}

std::string format_named_value(Operand const& operand, std::uint64_t value, std::string const& name,
                               bool relative)
{
    std::string text;
    append_named_value(text, operand, value, name, relative);
    return text;
}

std::uint64_t with_base(std::uint64_t crd, std::uint64_t base)
{
    return (crd & 0xfff) | base << 12;
}

} // namespace hcl
