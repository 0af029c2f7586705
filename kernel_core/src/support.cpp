// Small freestanding helpers: byte copies, names for diagnostics, HIP accessors.
#include "nova/abi.hpp"
#include "nova/hip.hpp"
#include "nova/pd.hpp"

namespace nova {

void copy_bytes(void* dst, void const* src, usize n)
{
    auto* d = static_cast<u8*>(dst);
    auto const* s = static_cast<u8 const*>(src);
    while (n-- > 0) *d++ = *s++;
}

void fill_bytes(void* dst, u8 value, usize n)
{
    auto* d = static_cast<u8*>(dst);
    while (n-- > 0) *d++ = value;
}

char const* status_name(Status s)
{
    constexpr char const* names[] = {"SUCCESS", "TIMEOUT", "ABORTED", "BAD_HYP", "BAD_CAP",
                                     "BAD_PAR", "BAD_FTR", "BAD_CPU", "BAD_DEV", "OOM"};
    auto i = static_cast<u8>(s);
    return i < sizeof(names) / sizeof(names[0]) ? names[i] : "UNKNOWN";
}

char const* hypercall_name(Hypercall h)
{
    constexpr char const* names[] = {"call",      "reply",      "create_pd",  "create_ec",
                                     "create_sc", "create_pt",  "create_sm",  "revoke",
                                     "lookup",    "ec_ctrl",    "sc_ctrl",    "pt_ctrl",
                                     "sm_ctrl",   "assign_pci", "assign_gsi", "reserved"};
    return names[static_cast<u8>(h) & 0xf];
}

Space& Pd::space(Crd::Type type)
{
    switch (type) {
    case Crd::Type::mem:
        return mem;
    case Crd::Type::pio:
        return pio;
    default:
        return obj;
    }
}

Hip_mem const* Hip::mem_desc() const
{
    return reinterpret_cast<Hip_mem const*>(reinterpret_cast<u8 const*>(this) + mem_offs);
}

u16 Hip::sum() const
{
    auto const* words = reinterpret_cast<u16 const*>(this);
    u16 total = 0;
    for (usize i = 0; i < length / 2u; ++i) total = static_cast<u16>(total + words[i]);
    return total;
}

} // namespace nova
