#include "trace/event_names.hpp"

#include "nova/platform.hpp"
#include "nova/vmx.hpp"

#include <cctype>
#include <charconv>

namespace trace_tools {

namespace {

constexpr mword last_event = 0xff; // events are portal offsets below 256

char lower(char c)
{
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::optional<mword> parse_number(std::string_view text)
{
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && lower(text[1]) == 'x')
        text.remove_prefix(2), base = 16;
    mword value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

} // namespace

std::string event_keyword(mword event)
{
    if (event == nova::Vm_exit::none) return "none";
    char const* name = nova::vmx::event_name(event);
    std::string keyword;
    for (char const* c = name; c != nullptr && *c != '\0'; ++c) {
        if (*c == ' ') keyword += '_';
        if (std::isalnum(static_cast<unsigned char>(*c)) != 0) keyword += lower(*c);
    }
    return keyword;
}

std::string event_label(mword event)
{
    if (event == nova::Vm_exit::none) return "no exit";
    char const* name = nova::vmx::event_name(event);
    return name != nullptr ? name : "?";
}

std::optional<mword> parse_event(std::string_view text)
{
    std::optional<mword> number = parse_number(text);
    if (number) {
        if (*number <= last_event && nova::vmx::event_name(*number) != nullptr) return number;
        return std::nullopt;
    }
    std::string wanted;
    for (char c : text) wanted += lower(c);
    if (wanted == "none") return nova::Vm_exit::none;
    for (mword event = 0; event <= last_event; ++event) {
        if (nova::vmx::event_name(event) != nullptr && event_keyword(event) == wanted) return event;
    }
    return std::nullopt;
}

std::string event_keywords()
{
    std::string out;
    for (mword event = 0; event <= last_event; ++event) {
        if (nova::vmx::event_name(event) == nullptr) continue;
        out += event_keyword(event) + ", ";
    }
    return out + "none";
}

} // namespace trace_tools
