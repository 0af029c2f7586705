#include "program/crd_text.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace hcl {

namespace {

using Type = nova::Crd::Type;

// The spelling of one CRD type: letter i of `letters` names permission bit i.
struct Type_spelling {
    std::string_view name;
    Type type;
    std::string_view letters;
    bool hex_base;
};

constexpr std::array type_spellings{
    Type_spelling{"obj", Type::obj, "", false},
    Type_spelling{"mem", Type::mem, "rwx", true},
    Type_spelling{"pio", Type::pio, "a", true},
};

constexpr unsigned base_bits = 52;
constexpr unsigned max_order = 31;

Type_spelling const* find_spelling(std::string_view name)
{
    auto it = std::ranges::find(type_spellings, name, &Type_spelling::name);
    return it == type_spellings.end() ? nullptr : &*it;
}

Type_spelling const& spelling_of(Type type)
{
    return *std::ranges::find(type_spellings, type, &Type_spelling::type);
}

bool starts_with_digit(std::string_view text)
{
    return !text.empty() && text[0] >= '0' && text[0] <= '9';
}

std::string perms_expectation(Type_spelling const& spelling)
{
    if (spelling.letters.empty()) return "a permission mask up to 0x1f";
    return fmt::format("permissions (a mask up to 0x1f or letters from '{}')", spelling.letters);
}

// Letters each name one permission bit; each may appear once.
Value_result parse_perm_letters(Type_spelling const& spelling, std::string_view text,
                                std::size_t offset)
{
    std::uint64_t mask = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        std::size_t bit = spelling.letters.find(text[i]);
        if (bit == std::string_view::npos || (mask >> bit & 1) != 0) {
            return Value_error{offset + i, perms_expectation(spelling),
                               std::string(text.substr(i))};
        }
        mask |= 1ull << bit;
    }
    return mask;
}

Value_result parse_perms(Type_spelling const& spelling, std::string_view text, std::size_t offset)
{
    if (text.empty()) return Value_error{offset, perms_expectation(spelling), ""};
    if (!starts_with_digit(text)) return parse_perm_letters(spelling, text, offset);
    auto mask = parse_number(text);
    if (!mask || *mask > nova::perm::all) {
        return Value_error{offset, perms_expectation(spelling), std::string(text)};
    }
    return *mask;
}

// One number between `begin` and the next `delimiter` (or the end), at most `limit`.
struct Field_reading {
    std::optional<std::uint64_t> value;
    std::size_t end; // where the delimiter is, or npos
};

Field_reading read_field(std::string_view text, std::size_t begin, char delimiter,
                         std::uint64_t limit)
{
    std::size_t end = text.find(delimiter, begin);
    auto value = parse_number(text.substr(begin, end - begin));
    if (value && *value > limit) value.reset();
    return {value, end};
}

Value_error field_error(std::string_view text, std::size_t begin, std::size_t end,
                        std::string expected)
{
    return {begin, std::move(expected), std::string(text.substr(begin, end - begin))};
}

// /ORDER[:PERMS] of a CRD of the given type and base, `slash` pointing at the '/' (or npos).
Value_result parse_order_and_perms(Type_spelling const& spelling, std::uint64_t base,
                                   std::string_view text, std::size_t slash)
{
    if (slash == std::string_view::npos) return Value_error{text.size(), "'/' and an order", ""};
    std::size_t order_begin = slash + 1;
    Field_reading order = read_field(text, order_begin, ':', max_order);
    if (!order.value) return field_error(text, order_begin, order.end, "an order 0..31");
    Value_result perms = std::uint64_t{nova::perm::all};
    if (order.end != std::string_view::npos) {
        perms = parse_perms(spelling, text.substr(order.end + 1), order.end + 1);
    }
    if (auto* error = std::get_if<Value_error>(&perms)) return *error;
    return nova::Crd(spelling.type, base, static_cast<std::uint8_t>(*order.value),
                     static_cast<std::uint8_t>(std::get<std::uint64_t>(perms)))
        .raw();
}

// BASE/ORDER[:PERMS] of a CRD of the given type, starting at `begin`.
Value_result parse_range(Type_spelling const& spelling, std::string_view text, std::size_t begin)
{
    Field_reading base = read_field(text, begin, '/', (1ull << base_bits) - 1);
    if (!base.value) return field_error(text, begin, base.end, "a base below 2^52, then '/'");
    return parse_order_and_perms(spelling, *base.value, text, base.end);
}

void append_perms(std::string& text, Type_spelling const& spelling, std::uint8_t perms)
{
    bool spellable = perms != 0 && perms >> spelling.letters.size() == 0;
    if (!spellable) {
        append_hex(text, perms);
        return;
    }
    for (std::size_t bit = 0; bit < spelling.letters.size(); ++bit) {
        if ((perms >> bit & 1) != 0) text += spelling.letters[bit];
    }
}

} // namespace

Value_result parse_crd(std::string_view text)
{
    if (text == "null") return std::uint64_t{0};
    if (starts_with_digit(text)) {
        if (auto word = parse_number(text)) return *word;
        return Value_error{0, "a CRD word", std::string(text)};
    }
    std::size_t colon = text.find(':');
    Type_spelling const* spelling = find_spelling(text.substr(0, colon));
    if (spelling == nullptr) {
        return Value_error{0, "a CRD (obj:, mem:, pio:, null or a number)",
                           std::string(text.substr(0, colon))};
    }
    if (colon == std::string_view::npos) return Value_error{text.size(), "':' and a base", ""};
    return parse_range(*spelling, text, colon + 1);
}

Value_result parse_object_crd_rest(std::string_view text, std::size_t slash)
{
    return parse_order_and_perms(spelling_of(Type::obj), 0, text, slash);
}

void append_crd(std::string& text, nova::Crd crd)
{
    if (crd.type() == Type::null) {
        if (crd.raw() == 0) {
            text += "null";
        } else {
            append_hex(text, crd.raw());
        }
        return;
    }
    Type_spelling const& spelling = spelling_of(crd.type());
    text += spelling.name;
    text += ':';
    if (spelling.hex_base) {
        append_hex(text, crd.base());
    } else {
        append_decimal(text, crd.base());
    }
    append_crd_rest(text, crd);
}

void append_crd_rest(std::string& text, nova::Crd crd)
{
    text += '/';
    append_decimal(text, crd.order());
    if (crd.perms() == nova::perm::all) return;
    text += ':';
    append_perms(text, spelling_of(crd.type()), crd.perms());
}

std::string format_crd(nova::Crd crd)
{
    std::string text;
    append_crd(text, crd);
    return text;
}

} // namespace hcl
