// The architectural state of a VM-exit message, field by field: which fields of nova::Utcb_arch
// each MTD group names, with their names and places. One table serves the trace's encoding, its
// field-by-field diff and its readable dump.
#pragma once

#include "nova/utcb.hpp"

#include <cstdint>
#include <cstring>
#include <span>
#include <string>

namespace kvm::trace {

using nova::mword;

struct Field {
    mword group;      // the MTD bit that names it
    char const* name; // "rax", "cs.base", "access.data", ...
    std::uint16_t offset;
    std::uint8_t size; // 1..8 bytes
};

// Every field, in the order of their MTD bits (and within a group, the UTCB's).
std::span<Field const> all_fields();
// Every MTD bit that names a field.
mword all_groups();

// The table as runs of consecutive fields of one group: what a message's MTD names is a few runs,
// found without looking at every field.
struct Field_run {
    mword group;
    std::span<Field const> fields;
};
std::span<Field_run const> field_runs();

// Calls `fn` for each field that `mtd` names, in the table's order.
template <class Fn> void for_each_field(mword mtd, Fn&& fn)
{
    for (Field_run const& run : field_runs()) {
        if ((run.group & mtd) == 0) continue;
        for (Field const& f : run.fields) fn(f);
    }
}
// How many fields `mtd` names.
std::size_t field_count(mword mtd);
// The value of a field (zero-extended) and writing it; inline, for the replay's inner loop.
inline std::uint64_t get(nova::Utcb_arch const& a, Field const& f)
{
    auto const* at = reinterpret_cast<std::uint8_t const*>(&a) + f.offset;
    // Sizes known at compile time: each copy is one load, not a call.
    switch (f.size) {
    case 1:
        return *at;
    case 2: {
        std::uint16_t v;
        std::memcpy(&v, at, 2);
        return v;
    }
    case 4: {
        std::uint32_t v;
        std::memcpy(&v, at, 4);
        return v;
    }
    default: {
        std::uint64_t v;
        std::memcpy(&v, at, 8);
        return v;
    }
    }
}
inline void set(nova::Utcb_arch& a, Field const& f, std::uint64_t value)
{
    auto* at = reinterpret_cast<std::uint8_t*>(&a) + f.offset;
    switch (f.size) {
    case 1:
        *at = static_cast<std::uint8_t>(value);
        return;
    case 2: {
        auto v = static_cast<std::uint16_t>(value);
        std::memcpy(at, &v, 2);
        return;
    }
    case 4: {
        auto v = static_cast<std::uint32_t>(value);
        std::memcpy(at, &v, 4);
        return;
    }
    default:
        std::memcpy(at, &value, 8);
        return;
    }
}
// "name=0x1234 other=0x5" for the fields `mtd` names; an empty string for none.
std::string describe(nova::Utcb_arch const& a, mword mtd);
// The names of MTD bits set in `mtd`, "RIP_LEN|QUAL".
std::string mtd_names(mword mtd);

} // namespace kvm::trace
