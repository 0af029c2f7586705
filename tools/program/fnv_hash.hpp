// FNV-1a over bytes, inline: the parser's name tables and the fuzzer (its name index, and the
// seeds it derives from text) hash strings of a few characters, where a call costs more than
// the hash. One definition for both, so that the two never drift apart.
#pragma once

#include <cstdint>
#include <string_view>

namespace hcl {

inline std::uint64_t fnv1a(std::string_view bytes)
{
    std::uint64_t hash = 0xcbf2'9ce4'8422'2325;
    for (char c : bytes) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100'0000'01b3;
    return hash;
}

} // namespace hcl
