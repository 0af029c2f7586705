// Where a Vm keeps its objects in the root PD (internal): handler ECs per CPU, the VM PD, vCPUs
// and their SCs, the timer, and 256 exit portals per vCPU (at 0 in the VM PD).
#pragma once

#include "nova/types.hpp"

namespace vmm::selectors {

using nova::mword;

inline constexpr mword handlers = 0x10000, vm_pd = 0x10100, vcpu_base = 0x10200;
inline constexpr mword sc_base = 0x10300, timer_ec = 0x10400, timer_sc = 0x10401;
inline constexpr mword timer_sm = 0x10402, timer_evt = 0x10500;
inline constexpr mword console_ec = 0x10410, console_sc = 0x10411, console_sm = 0x10412;
inline constexpr mword console_evt = 0x10600;
inline constexpr mword portals = 0x20000; // aligned to 2^16: up to 256 vCPUs
inline constexpr unsigned portal_order = 16;
inline constexpr mword handler_utcbs = 0x4000'0000, timer_utcb = 0x4100'0000;
inline constexpr mword console_utcb = 0x4100'1000;

} // namespace vmm::selectors
