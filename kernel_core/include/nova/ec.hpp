// Execution context ([C14] §1.1): a local thread (portals only), a global thread (SCs only) or a
// vCPU (no UTCB). The EC pins its PD.
#pragma once

#include "kobject.hpp"

namespace nova {

class Pd;
class Sc;
class Sm;

class Ec : public Kobject {
  public:
    static constexpr Object_type type_id = Object_type::ec;

    struct Params {
        Pd* pd;
        u32 cpu;
        bool global;     // flag G of create_ec
        mword utcb_addr; // 0 for a vCPU
        void* utcb;      // the kernel page behind utcb_addr
        mword sp;
        mword evt;
    };

    explicit Ec(Params const& p)
        : Kobject{type_id}, pd{p.pd}, cpu{p.cpu}, global{p.global}, utcb_addr{p.utcb_addr},
          utcb{p.utcb}, sp{p.sp}, evt{p.evt}
    {
        regs.rsp = p.sp; // what a STARTUP message reports as RSP
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
    Sys_regs regs{};  // user state: the frame of its last kernel entry, RIP/RSP from events

    // IPC ([C14] §4.2). `caller` is the reply capability: the EC whose call this EC serves (at
    // most one). `partner` is the EC this EC called and waits for. `helping` is the busy EC
    // whose chain this EC's SC runs while this EC retries its call ([C14] §4.5).
    Ec* caller{nullptr};
    Ec* partner{nullptr};
    Ec* helping{nullptr};
    bool in_event{false}; // blocked in an exception or VM exit, not in a call

    // Blocking in a semaphore ([C14] §5): the queue link and an absolute TSC deadline (0: none)
    // on this EC's CPU's timeout list.
    Sm* waiting_on{nullptr};
    Ec* sm_next{nullptr};
    Ec* timeout_next{nullptr};
    u64 deadline{0};
    Status wake_status{Status::success};

    Sc* parked{nullptr}; // SCs that ran into this EC while it was blocked

    bool startup_pending{false}; // STARTUP at the first return to user after the first SC
    bool recall_pending{false};  // RECALL at the next return to user ([C14] §7.6)
    bool flow_running{false};    // the flow of a global EC exists (it holds a reference)
    bool finished{false};        // the flow's code ended: the EC blocks for good
    bool dead{false};            // killed: an event without a usable portal, or its handler died
    bool orphaned{false};        // killed because only its own flow still referenced it; its
                                 // UTCB and PD are released, `pd` must not be used any more
    u64 qual[2]{};               // exception qualification for the event message

    // A vCPU parked by the activity state a handler replied (HLT, wait-for-SIPI): it does not
    // run until a recall or an injection wakes it ([C14] §7.7). Owned by the kernel.
    bool halted{false};

    // Blocked for good (until a wake-up, for a halted vCPU), whatever semaphore it waits in.
    bool stopped() const { return finished || dead || halted; }
    bool blocked() const { return waiting_on != nullptr || stopped(); }
};

} // namespace nova
