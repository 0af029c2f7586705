// Events as a user writes them on the command line: a number (0x1e, 30) or a keyword made from
// nova::vmx::event_name ("I/O" is io, "EPT violation" is ept_violation), so the keywords follow
// the kernel's one table of names. `none` stands for a stretch that ended without an exit.
#pragma once

#include "nova/types.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace trace_tools {

using nova::mword;

// "io" for I/O; "none" for Vm_exit::none; empty for an event novasim does not deliver.
std::string event_keyword(mword event);
// "I/O", or "no exit" for Vm_exit::none; "?" for an event novasim does not deliver.
std::string event_label(mword event);
// The event `text` names (case-insensitive keyword, decimal or 0x hex); nothing when it names
// none that novasim delivers.
std::optional<mword> parse_event(std::string_view text);
// "triple_fault, init, ..., recall, none": for an error message.
std::string event_keywords();

} // namespace trace_tools
