// The user thread control block: one 4 KiB page per EC with a UTCB ([C14] §3.4, §4.1). A regular
// message has untyped words from the data area upwards and typed items (two words each) from the
// end of the page downwards. An event message uses the architectural layout instead: the
// Genode-fork layout (reference/nova-abi.md §7.5), because it carries the fork's MTD fields.
#pragma once

#include "abi.hpp"

namespace nova {

struct Utcb_segment {
    u16 sel;
    u16 ar;
    u32 limit;
    u64 base;
};

// novasim extension, carried with QUAL (kvm_shim/README.md): what the host already decoded about
// the exiting access, so that a VMM needs no instruction emulator. A reply naming QUAL writes
// `data` back: the value an MMIO or string-I/O read returns.
struct Utcb_access {
    u64 data;     // 0x248 the value written, or the value to read
    u32 size;     // 0x250 bytes accessed (1, 2, 4, 8); 0: the host decoded nothing
    u32 flags;    // 0x254 Utcb_access::write
    u32 count;    // 0x258 string I/O: elements still to transfer, this one included
    u32 insn_len; // 0x25c valid bytes in insn
    u8 insn[16];  // 0x260 the instruction bytes, where the host reported them
    u32 host[4];  // 0x270 CPUID collected at STARTUP: the host's answer (EAX, EBX, ECX, EDX)

    static constexpr u32 write = 1u << 0;
};

// Architectural state from offset 0x20 (after the header); offsets in comments are page offsets.
struct Utcb_arch {
    u64 mtd;                // 0x020
    u64 inst_len;           // 0x028
    u64 rip;                // 0x030
    u64 rflags;             // 0x038
    u32 intr_state;         // 0x040
    u32 actv_state;         // 0x044
    u32 inj_info;           // 0x048
    u32 inj_error;          // 0x04c
    u64 rax, rcx, rdx, rbx; // 0x050
    u64 rsp, rbp, rsi, rdi; // 0x070
    u64 r8, r9, r10, r11;   // 0x090
    u64 r12, r13, r14, r15; // 0x0b0
    u64 qual[2];            // 0x0d0 exit qualification / error code, guest-physical / fault address
    u32 ctrl[2];            // 0x0e0
    u64 reserved;           // 0x0e8
    u64 cr0, cr2, cr3, cr4; // 0x0f0
    u64 pdpte[4];           // 0x110
    u64 cr8, efer;          // 0x130
    u64 star, lstar, cstar, fmask, kernel_gs_base;             // 0x140
    u32 tpr, tpr_threshold;                                    // 0x168
    u64 dr7;                                                   // 0x170
    u64 sysenter_cs, sysenter_sp, sysenter_ip;                 // 0x178
    Utcb_segment es, cs, ss, ds, fs, gs, ldtr, tr, gdtr, idtr; // 0x190
    u64 tsc_val, tsc_off;                                      // 0x230
    u32 tsc_aux;                                               // 0x240
    u32 exit_reason;    // 0x244 the event this message reports (Genode fork; set for every event)
    Utcb_access access; // 0x248 novasim extension, with QUAL
    u8 fpu[512];        // 0x280 FPU and SSE state, FXSAVE layout (MTD FPU)
};

class Utcb {
  public:
    static constexpr usize words = (page_size - 32) / sizeof(mword); // 508
    static constexpr usize max_typed = words / 2;                    // 254

    // Header ([C14] §3.4).
    mword items; // untyped count in bits 15:0, typed count in bits 31:16
    Crd xlt;     // translation receive window
    Crd del;     // delegation receive window
    mword tls;   // never touched by the kernel
    union {
        mword data[words];
        Utcb_arch arch;
    };

    usize untyped() const { return items & 0xffff; }
    usize typed() const { return items >> 16 & 0xffff; }
    void set_counts(usize untyped_words, usize typed_items)
    {
        items = (untyped_words & 0xffff) | (typed_items & 0xffff) << 16;
    }

    // Typed item i: its CRD at page offset 4096-16(i+1), its flags/hotspot word just above.
    mword& item_crd(usize i) { return data[words - 2 * (i + 1)]; }
    mword& item_flags(usize i) { return data[words - 2 * (i + 1) + 1]; }
};

static_assert(sizeof(Utcb) == page_size);
static_assert(__builtin_offsetof(Utcb, data) == 0x20);
static_assert(__builtin_offsetof(Utcb_arch, qual) + 0x20 == 0xd0);
static_assert(__builtin_offsetof(Utcb_arch, cr0) + 0x20 == 0x0f0);
static_assert(__builtin_offsetof(Utcb_arch, es) + 0x20 == 0x190);
static_assert(__builtin_offsetof(Utcb_arch, tsc_aux) + 0x20 == 0x240);
static_assert(__builtin_offsetof(Utcb_arch, access) + 0x20 == 0x248);
static_assert(__builtin_offsetof(Utcb_arch, access.host) + 0x20 == 0x270);
static_assert(__builtin_offsetof(Utcb_arch, fpu) + 0x20 == 0x280);

// Flags word of a typed item ([C14] §3.4).
namespace item {
inline constexpr mword delegate = 1ul << 0; // 0: translate
inline constexpr mword dma = 1ul << 9;
inline constexpr mword guest = 1ul << 10;
inline constexpr mword from_kernel = 1ul << 11;
inline constexpr mword hotspot(mword flags)
{
    return flags >> 12;
}
} // namespace item

} // namespace nova
