#include "trace/json_text.hpp"

#include <fmt/format.h>

namespace trace_tools {

namespace {

// The length of the well-formed UTF-8 sequence `s` starts with (Unicode table 3-7); 0 for none.
std::size_t utf8_sequence(std::string_view s)
{
    auto at = [s](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    unsigned char lead = at(0);
    if (lead < 0x80) return 1;
    std::size_t n = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
    if (n == 0 || lead > 0xf4 || s.size() < n) return 0;
    for (std::size_t i = 1; i < n; ++i) {
        if ((at(i) & 0xc0) != 0x80) return 0;
    }
    unsigned char second = at(1); // rules out overlong forms, surrogates and beyond U+10FFFF
    if ((lead == 0xe0 && second < 0xa0) || (lead == 0xed && second >= 0xa0) ||
        (lead == 0xf0 && second < 0x90) || (lead == 0xf4 && second >= 0x90))
        return 0;
    return n;
}

void append_escaped(char c, std::string& out)
{
    switch (c) {
    case '"':
        out += "\\\"";
        return;
    case '\\':
        out += "\\\\";
        return;
    case '\n':
        out += "\\n";
        return;
    case '\t':
        out += "\\t";
        return;
    case '\r':
        out += "\\r";
        return;
    default:
        if (static_cast<unsigned char>(c) < 0x20)
            out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
        else
            out += c;
    }
}

} // namespace

std::string json_quoted(std::string_view text)
{
    std::string out = "\"";
    while (!text.empty()) {
        std::size_t n = utf8_sequence(text);
        if (n == 0) {
            out += "\\ufffd";
            n = 1;
        } else if (n == 1) {
            append_escaped(text[0], out);
        } else {
            out.append(text.substr(0, n));
        }
        text.remove_prefix(n);
    }
    return out + '"';
}

} // namespace trace_tools
