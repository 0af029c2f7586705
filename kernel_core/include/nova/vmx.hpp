// VM exits as NOVA events ([C14] §7.3): a vCPU's exit is delivered to the portal at
// evt + reason, where reason is the basic VMX exit reason (Intel SDM numbering), plus NOVA's
// STARTUP and RECALL. The encodings of the qualification words and of the injection and activity
// fields are the SDM's, as [C14] passes them through; the few novasim extensions are marked.
#pragma once

#include "types.hpp"

namespace nova::vmx {

// Basic exit reasons that novasim delivers (kvm_shim/README.md has the full table).
inline constexpr mword triple_fault = 0x02;
inline constexpr mword init_signal = 0x03;
inline constexpr mword sipi = 0x04;
inline constexpr mword intr_window = 0x07;
inline constexpr mword nmi_window = 0x08;
inline constexpr mword cpuid = 0x0a;
inline constexpr mword hlt = 0x0c;
inline constexpr mword io = 0x1e;
inline constexpr mword rdmsr = 0x1f;
inline constexpr mword wrmsr = 0x20;
inline constexpr mword invalid_state = 0x21;
inline constexpr mword tpr_below_threshold = 0x2b;
inline constexpr mword ept_violation = 0x30;
// novasim extension: the host could not execute the guest's next instruction (KVM reports an
// emulation failure); qual[0] is the host's reason code, qual[1] the guest-linear RIP.
inline constexpr mword emulation_failure = 0xfb;
inline constexpr mword startup = 0xfe; // [C14]: the first exit of a vCPU, before it ever ran
inline constexpr mword recall = 0xff;  // [C14]: ec_ctrl asked the vCPU to stop

// The name of an event novasim delivers; nullptr for any other number (a trace that names one
// cannot come from novasim).
constexpr char const* event_name(mword event)
{
    switch (event) {
    case triple_fault:
        return "triple fault";
    case init_signal:
        return "INIT";
    case sipi:
        return "SIPI";
    case intr_window:
        return "interrupt window";
    case nmi_window:
        return "NMI window";
    case cpuid:
        return "CPUID";
    case hlt:
        return "HLT";
    case io:
        return "I/O";
    case rdmsr:
        return "RDMSR";
    case wrmsr:
        return "WRMSR";
    case invalid_state:
        return "invalid guest state";
    case tpr_below_threshold:
        return "TPR below threshold";
    case ept_violation:
        return "EPT violation";
    case emulation_failure:
        return "host failure";
    case startup:
        return "STARTUP";
    case recall:
        return "RECALL";
    default:
        return nullptr;
    }
}

// I/O qualification (SDM table 28-5): size-1 in 2:0, IN in 3, string 4, REP 5, port in 31:16.
namespace io_qual {
inline constexpr u64 in = 1u << 3;
inline constexpr u64 string = 1u << 4;
inline constexpr u64 rep = 1u << 5;
inline constexpr u64 immediate = 1u << 6; // the port is an immediate operand (else DX)
constexpr u64 make(unsigned size, bool is_in, u16 port)
{
    return u64{(size - 1) & 7} | (is_in ? in : 0) | u64{port} << 16;
}
constexpr unsigned size(u64 qual)
{
    return static_cast<unsigned>(qual & 7) + 1;
}
constexpr u16 port(u64 qual)
{
    return static_cast<u16>(qual >> 16);
}
} // namespace io_qual

// EPT-violation qualification (SDM table 28-7): what the access was.
namespace ept_qual {
inline constexpr u64 read = 1u << 0;
inline constexpr u64 write = 1u << 1;
inline constexpr u64 fetch = 1u << 2;
} // namespace ept_qual

// Interruption information, as INJ carries it ([C14] §7.7).
namespace inj {
inline constexpr u32 vector_mask = 0xff;
inline constexpr u32 type_shift = 8;
inline constexpr u32 type_ext_int = 0, type_nmi = 2, type_hw_exception = 3, type_sw_int = 4;
inline constexpr u32 type_priv_sw_exception = 5, type_sw_exception = 6;
inline constexpr u32 error_code = 1u << 11;  // deliver the error word
inline constexpr u32 want_window = 1u << 12; // NOVA: request an interrupt-window exit
inline constexpr u32 want_nmi = 1u << 13;    // NOVA: request an NMI-window exit
inline constexpr u32 valid = 1u << 31;
constexpr u32 type(u32 info)
{
    return info >> type_shift & 7;
}
} // namespace inj

// Activity states (SDM 25.4.2); any but `active` parks the vCPU until an injection or a recall.
namespace activity {
inline constexpr u32 active = 0, hlt = 1, shutdown = 2, wait_for_sipi = 3;
}

// Interruptibility state (SDM table 25-3).
namespace intr_state {
inline constexpr u32 sti_blocking = 1u << 0, mov_ss_blocking = 1u << 1, nmi_blocking = 1u << 3;
}

} // namespace nova::vmx
