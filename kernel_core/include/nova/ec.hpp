// Execution context ([C14] §1.1): a local thread (portals only), a global thread (SCs only) or a
// vCPU (no UTCB). The EC pins its PD.
#pragma once

#include "kobject.hpp"

namespace nova {

class Pd;

class Ec : public Kobject {
  public:
    static constexpr Object_type type_id = Object_type::ec;

    struct Params {
        Pd* pd;
        u32 cpu;
        bool global; // flag G of create_ec
        mword utcb_addr; // 0 for a vCPU
        void* utcb;      // the kernel page behind utcb_addr
        mword sp;
        mword evt;
    };

    explicit Ec(Params const& p)
        : Kobject{type_id}, pd{p.pd}, cpu{p.cpu}, global{p.global}, utcb_addr{p.utcb_addr},
          utcb{p.utcb}, sp{p.sp}, evt{p.evt}
    {
    }

    bool is_vcpu() const { return utcb == nullptr; }
    bool is_local() const { return !global && !is_vcpu(); }
    // [C14] create_sc accepts any EC created with G, a vCPU included.
    bool accepts_sc() const { return global; }
    bool accepts_pt() const { return is_local(); }

    Pd* const pd;
    u32 const cpu;
    bool const global;
    mword const utcb_addr;
    void* const utcb;
    mword sp;
    mword evt;
    u32 bound_scs{0}; // SCs bound to this EC
    u32 bound_pts{0}; // portals bound to this EC
    Sys_regs regs{};
};

} // namespace nova
