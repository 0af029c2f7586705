// Message transfer descriptor bits ([C14] §7.4, with the fork extensions pinned in design.md §2):
// which architectural state an event message carries, and which state a reply writes back.
#pragma once

#include "types.hpp"

namespace nova::mtd {

inline constexpr mword gpr_acdb = 1ul << 0; // RAX, RCX, RDX, RBX
inline constexpr mword gpr_bsd = 1ul << 1;  // RBP, RSI, RDI
inline constexpr mword rsp = 1ul << 2;
inline constexpr mword rip_len = 1ul << 3; // RIP and instruction length
inline constexpr mword rflags = 1ul << 4;
inline constexpr mword ds_es = 1ul << 5;
inline constexpr mword fs_gs = 1ul << 6;
inline constexpr mword cs_ss = 1ul << 7;
inline constexpr mword tr = 1ul << 8;
inline constexpr mword ldtr = 1ul << 9;
inline constexpr mword gdtr = 1ul << 10;
inline constexpr mword idtr = 1ul << 11;
inline constexpr mword cr = 1ul << 12;
inline constexpr mword dr = 1ul << 13;
inline constexpr mword sysenter = 1ul << 14;
inline constexpr mword qual = 1ul << 15; // read only
inline constexpr mword ctrl = 1ul << 16; // write only
inline constexpr mword inj = 1ul << 17;
inline constexpr mword sta = 1ul << 18;
inline constexpr mword tsc = 1ul << 19;
inline constexpr mword efer = 1ul << 20;
inline constexpr mword pdpte = 1ul << 21;  // fork extension
inline constexpr mword r8_r15 = 1ul << 22; // fork extension
inline constexpr mword syscall_swapgs = 1ul << 23;
inline constexpr mword tpr = 1ul << 24;
inline constexpr mword tsc_aux = 1ul << 25;
inline constexpr mword fpu = 1ul << 31;

// What a host EC's exception message can carry ([C14]: GPRs, RSP, RIP, RFLAGS, QUAL).
inline constexpr mword host_state = gpr_acdb | gpr_bsd | rsp | rip_len | rflags | qual | r8_r15;

} // namespace nova::mtd
