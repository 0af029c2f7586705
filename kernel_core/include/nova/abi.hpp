// The pinned hypercall interface: classic x86-64 NOVA ([C14] in reference/nova-abi.md).
// Numbers, status codes, permission bits and register conventions are the specification's;
// everything that crosses the user/kernel boundary is declared here and nowhere else.
#pragma once

#include "types.hpp"

namespace nova {

// [C14] §2.3: hypercall numbers, bits 3:0 of RDI.
enum class Hypercall : u8 {
    call = 0x0,
    reply = 0x1,
    create_pd = 0x2,
    create_ec = 0x3,
    create_sc = 0x4,
    create_pt = 0x5,
    create_sm = 0x6,
    revoke = 0x7,
    lookup = 0x8,
    ec_ctrl = 0x9,
    sc_ctrl = 0xa,
    pt_ctrl = 0xb,
    sm_ctrl = 0xc,
    assign_pci = 0xd,
    assign_gsi = 0xe,
};

// [C14] status codes in RDI bits 7:0. OOM (9) is not in [C14], which cannot run out of kernel
// memory gracefully; the Genode and Hedron forks both give it the value 9 (see kernel_core/README).
enum class Status : u8 {
    success = 0,
    timeout = 1,
    aborted = 2,
    bad_hyp = 3,
    bad_cap = 4,
    bad_par = 5,
    bad_ftr = 6,
    bad_cpu = 7,
    bad_dev = 8,
    oom = 9,
};

char const* status_name(Status s);
char const* hypercall_name(Hypercall h);

// Kernel object types ([C14] include/kobject.hpp).
enum class Object_type : u8 { pd = 0, ec = 1, sc = 2, pt = 3, sm = 4 };

// [C14] §3.2: permission bits per capability type.
namespace perm {
inline constexpr u8 pd_pd = 1u << 0, pd_ec = 1u << 1, pd_sc = 1u << 2, pd_pt = 1u << 3,
                    pd_sm = 1u << 4;
inline constexpr u8 ec_ct = 1u << 0, ec_sc = 1u << 2, ec_pt = 1u << 3;
inline constexpr u8 sc_ct = 1u << 0;
inline constexpr u8 pt_ct = 1u << 0, pt_call = 1u << 1;
inline constexpr u8 sm_up = 1u << 0, sm_dn = 1u << 1;
inline constexpr u8 mem_r = 1u << 0, mem_w = 1u << 1, mem_x = 1u << 2;
inline constexpr u8 pio_a = 1u << 0;
inline constexpr u8 all = 0x1f;
} // namespace perm

// Permissions a freshly created object's capability carries ([C14] constructors).
namespace initial_perm {
inline constexpr u8 ec = 0xd, sc = 0x1, pt = 0x3, sm = 0x3;
}

// Capability range descriptor, one machine word ([C14] §3.3).
class Crd {
  public:
    enum class Type : u8 { null = 0, mem = 1, pio = 2, obj = 3 };

    constexpr Crd() = default;
    constexpr explicit Crd(mword raw) : value_{raw} {}
    constexpr Crd(Type t, mword base, u8 order, u8 perms)
        : value_{static_cast<mword>(t) | (mword{perms} & 0x1f) << 2 | (mword{order} & 0x1f) << 7 |
                 base << 12}
    {
    }

    constexpr Type type() const { return static_cast<Type>(value_ & 3); }
    constexpr u8 perms() const { return static_cast<u8>(value_ >> 2 & 0x1f); }
    constexpr u8 order() const { return static_cast<u8>(value_ >> 7 & 0x1f); }
    constexpr mword base() const { return value_ >> 12; }
    constexpr mword raw() const { return value_; }
    constexpr bool operator==(Crd const& o) const { return value_ == o.value_; }

  private:
    mword value_{0};
};

// Quantum-priority descriptor for create_sc: quantum µs in bits 63:12, priority in bits 7:0.
class Qpd {
  public:
    constexpr explicit Qpd(mword raw) : value_{raw} {}
    constexpr Qpd(mword quantum_us, u8 prio) : value_{quantum_us << 12 | prio} {}
    constexpr u8 prio() const { return static_cast<u8>(value_ & 0xff); }
    constexpr mword quantum_us() const { return value_ >> 12; }
    constexpr mword raw() const { return value_; }

  private:
    mword value_;
};

// The register frame exactly as the `syscall` instruction leaves it for the kernel, in the
// order of the UTCB's GPR block. ARG1..5 = RDI, RSI, RDX, RAX, R8; RCX and R11 are clobbered.
struct Sys_regs {
    u64 rax{}, rcx{}, rdx{}, rbx{}, rsp{}, rbp{}, rsi{}, rdi{};
    u64 r8{}, r9{}, r10{}, r11{}, r12{}, r13{}, r14{}, r15{};
    u64 rip{}, rflags{};

    Hypercall number() const { return static_cast<Hypercall>(rdi & 0xf); }
    u8 flags() const { return static_cast<u8>(rdi >> 4 & 0xf); }
    mword sel() const { return rdi >> 8; }
    Status status() const { return static_cast<Status>(rdi & 0xff); }

    // The kernel writes the whole of RDI: status in bits 7:0, zero above.
    void set_status(Status s) { rdi = static_cast<u8>(s); }

    static constexpr u64 word(Hypercall h, u8 flags, mword sel)
    {
        return static_cast<u64>(h) | u64{flags & 0xfu} << 4 | u64{sel} << 8;
    }
};

// Flag bits of individual hypercalls (bits 7:4 of RDI, shifted down).
namespace flag {
inline constexpr u8 call_disable_blocking = 1u << 0;
inline constexpr u8 create_ec_global = 1u << 0;
inline constexpr u8 revoke_self = 1u << 0;
inline constexpr u8 sm_down = 1u << 0, sm_zero = 1u << 1;
} // namespace flag

// Events of host ECs besides the exception vectors 0x00-0x1d ([C14] §7.2); a vCPU's are in vmx.hpp.
namespace event {
inline constexpr mword startup = 0x1e;
inline constexpr mword recall = 0x1f;
} // namespace event

// Address-space layout of a user PD on x86-64 ([C14] §6.1).
inline constexpr mword user_addr = 0x7fff'ffff'f000;
inline constexpr mword hip_addr = user_addr - page_size;
inline constexpr mword root_utcb_addr = hip_addr - page_size;

} // namespace nova
