#include "program/message_text.hpp"

#include "nova/utcb.hpp"

#include <array>
#include <optional>
#include <span>

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
    "a typed item (delegate(CRD[,HOTSPOT][,dma][,guest][,kernel]) or translate(CRD))";

// A delegate item's flag words, in canonical order, and the bits of the item's flags word.
constexpr std::array<std::pair<std::string_view, std::uint64_t>, 3> item_flags{
    {{"dma", nova::item::dma}, {"guest", nova::item::guest}, {"kernel", nova::item::from_kernel}}};

std::uint64_t item_flag(std::string_view word)
{
    for (auto const& [name, bit] : item_flags) {
        if (word == name) return bit;
    }
    return 0;
}

// A delegate item's arguments after its CRD: a hotspot first, if any, then flag words.
std::optional<Value_error>
parse_delegate_options(Typed_item& item,
                       std::span<std::pair<std::string_view, std::size_t> const> options)
{
    for (std::size_t i = 0; i < options.size(); ++i) {
        auto [text, offset] = options[i];
        if (std::uint64_t bit = item_flag(text); bit != 0 && (item.flags & bit) == 0) {
            item.flags |= bit;
            continue;
        }
        auto hotspot = i == 0 ? parse_number(text) : std::nullopt;
        if (!hotspot) {
            return Value_error{offset,
                               i == 0 ? "a hotspot number or a flag (dma, guest, kernel)"
                                      : "a flag (dma, guest, kernel), each once",
                               std::string(text)};
        }
        item.hotspot = *hotspot;
    }
    return std::nullopt;
}

std::variant<Typed_item, Value_error> parse_item(std::string_view text)
{
    Typed_item item{};
    item.translate = text.starts_with("translate(");
    std::size_t open = item.translate ? 9 : 8;
    if ((!item.translate && !text.starts_with("delegate(")) || !text.ends_with(')')) {
        return Value_error{0, std::string(item_expectation), std::string(text)};
    }
    auto arguments = split_list(text.substr(open + 1, text.size() - open - 2));
    if (item.translate && arguments.size() > 1) {
        return Value_error{open + 1 + arguments.back().second, "')'",
                           std::string(arguments.back().first)};
    }
    Named_result crd = parse_named_crd(arguments[0].first);
    if (auto const* error = std::get_if<Value_error>(&crd)) return at(*error, open + 1);
    item.crd = std::get<Named_value>(crd).value;
    item.base_name = std::get<Named_value>(crd).name;
    auto options = std::span{arguments}.subspan(1);
    if (auto error = parse_delegate_options(item, options)) return at(*error, open + 1);
    return item;
}

void append_item(std::string& text, Typed_item const& item)
{
    text += item.translate ? "translate(" : "delegate(";
    append_named_crd(text, item.crd, item.base_name);
    if (!item.translate) {
        if (item.hotspot != 0) {
            text += ',';
            append_decimal(text, item.hotspot);
        }
        for (auto const& [name, bit] : item_flags) {
            if ((item.flags & bit) == 0) continue;
            text += ',';
            text += name;
        }
    }
    text += ')';
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

void append_words(std::string& text, std::vector<std::uint64_t> const& words)
{
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i != 0) text += ',';
        append_decimal(text, words[i]);
    }
}

void append_items(std::string& text, std::vector<Typed_item> const& items)
{
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i != 0) text += ',';
        append_item(text, items[i]);
    }
}

std::string format_words(std::vector<std::uint64_t> const& words)
{
    std::string text;
    append_words(text, words);
    return text;
}

std::string format_items(std::vector<Typed_item> const& items)
{
    std::string text;
    append_items(text, items);
    return text;
}

} // namespace hcl
