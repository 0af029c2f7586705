#include "program/message_text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace hcl {

namespace {

// Splits `text` at commas outside parentheses; each piece with its offset in `text`.
std::vector<std::pair<std::string_view, std::size_t>> split_list(std::string_view text)
{
    std::vector<std::pair<std::string_view, std::size_t>> pieces;
    std::size_t begin = 0;
    int depth = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || (text[i] == ',' && depth == 0)) {
            pieces.emplace_back(text.substr(begin, i - begin), begin);
            begin = i + 1;
        } else if (text[i] == '(') {
            ++depth;
        } else if (text[i] == ')') {
            --depth;
        }
    }
    return pieces;
}

Value_error at(Value_error error, std::size_t offset)
{
    error.offset += offset;
    return error;
}

constexpr std::string_view item_expectation =
    "a typed item (delegate(CRD), delegate(CRD,HOTSPOT) or translate(CRD))";

std::variant<Typed_item, Value_error> parse_item(std::string_view text)
{
    Typed_item item{};
    item.translate = text.starts_with("translate(");
    std::size_t open = item.translate ? 9 : 8;
    if ((!item.translate && !text.starts_with("delegate(")) || !text.ends_with(')')) {
        return Value_error{0, std::string(item_expectation), std::string(text)};
    }
    auto arguments = split_list(text.substr(open + 1, text.size() - open - 2));
    if (arguments.size() > (item.translate ? 1u : 2u)) {
        return Value_error{open + 1 + arguments.back().second, "')'",
                           std::string(arguments.back().first)};
    }
    Named_result crd = parse_named_crd(arguments[0].first);
    if (auto const* error = std::get_if<Value_error>(&crd)) return at(*error, open + 1);
    item.crd = std::get<Named_value>(crd).value;
    item.base_name = std::get<Named_value>(crd).name;
    if (arguments.size() == 2) {
        auto hotspot = parse_number(arguments[1].first);
        if (!hotspot)
            return Value_error{open + 1 + arguments[1].second, "a hotspot number",
                               std::string(arguments[1].first)};
        item.hotspot = *hotspot;
    }
    return item;
}

std::string format_item(Typed_item const& item)
{
    std::string crd = format_named_crd(item.crd, item.base_name);
    if (item.translate) return fmt::format("translate({})", crd);
    if (item.hotspot == 0) return fmt::format("delegate({})", crd);
    return fmt::format("delegate({},{})", crd, format_decimal(item.hotspot));
}

} // namespace

Words_result parse_words(std::string_view text)
{
    std::vector<std::uint64_t> words;
    if (text.empty()) return words;
    for (auto [piece, offset] : split_list(text)) {
        auto value = parse_number(piece);
        if (!value) return Value_error{offset, "a word (a number)", std::string(piece)};
        words.push_back(*value);
    }
    return words;
}

Items_result parse_items(std::string_view text)
{
    std::vector<Typed_item> items;
    for (auto [piece, offset] : split_list(text)) {
        auto item = parse_item(piece);
        if (auto const* error = std::get_if<Value_error>(&item)) return at(*error, offset);
        items.push_back(std::get<Typed_item>(item));
    }
    return items;
}

std::string format_words(std::vector<std::uint64_t> const& words)
{
    std::vector<std::string> texts;
    for (std::uint64_t word : words) texts.push_back(format_decimal(word));
    return fmt::format("{}", fmt::join(texts, ","));
}

std::string format_items(std::vector<Typed_item> const& items)
{
    std::vector<std::string> texts;
    for (Typed_item const& item : items) texts.push_back(format_item(item));
    return fmt::format("{}", fmt::join(texts, ","));
}

} // namespace hcl
