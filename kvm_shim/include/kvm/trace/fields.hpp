// The architectural state of a VM-exit message, field by field: which fields of nova::Utcb_arch
// each MTD group names, with their names and places. One table serves the trace's encoding, its
// field-by-field diff and its readable dump.
#pragma once

#include "nova/utcb.hpp"

#include <cstdint>
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
// The value of a field (zero-extended) and writing it.
std::uint64_t get(nova::Utcb_arch const& a, Field const& f);
void set(nova::Utcb_arch& a, Field const& f, std::uint64_t value);
// "name=0x1234 other=0x5" for the fields `mtd` names; an empty string for none.
std::string describe(nova::Utcb_arch const& a, mword mtd);
// The names of MTD bits set in `mtd`, "RIP_LEN|QUAL".
std::string mtd_names(mword mtd);

} // namespace kvm::trace
