// JSON string literals (RFC 8259 §7): the export's names and texts come from the trace, so any
// byte may be in them; the literal is valid JSON whatever they hold.
#pragma once

#include <string>
#include <string_view>

namespace trace_tools {

// `text` in double quotes with `"`, `\` and control characters escaped. Bytes that are not UTF-8
// become U+FFFD, because a JSON text must be UTF-8 and a trace's strings need not be.
std::string json_quoted(std::string_view text);

} // namespace trace_tools
