// How the UTCB part of a message is spelled: `words=1,2,0x10` (untyped words; `words=` is an
// empty message) and `items=delegate(obj:$sm/0),delegate(mem:0x100/2,0x100),translate(obj:5/0)`
// (typed items, each with a CRD whose object base may be a name; a delegate item's optional
// second argument is its hotspot).
#pragma once

#include "program/name_text.hpp"
#include "program/program.hpp"

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hcl {

using Words_result = std::variant<std::vector<std::uint64_t>, Value_error>;
using Items_result = std::variant<std::vector<Typed_item>, Value_error>;

Words_result parse_words(std::string_view text);
Items_result parse_items(std::string_view text);

std::string format_words(std::vector<std::uint64_t> const& words);
std::string format_items(std::vector<Typed_item> const& items);
void append_words(std::string& text, std::vector<std::uint64_t> const& words);
void append_items(std::string& text, std::vector<Typed_item> const& items);

} // namespace hcl
