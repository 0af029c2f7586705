// What the kernel needs from the machine under it. sim/ implements this for the host; a
// bare-metal port implements it again. The kernel never reaches past this interface.
#pragma once

#include "types.hpp"

namespace nova {

class Ec;
class Pd;
struct Utcb_arch;

// How a stretch of guest execution ended (Platform::vcpu_run).
struct Vm_exit {
    static constexpr mword none = ~mword{0}; // no event: the platform took the CPU back

    mword event{none}; // delivered to the portal at evt + event (nova/vmx.hpp)
    u64 qual[2]{};     // the event's qualification ([C14] §7.5 qual[0], qual[1])
    // An exit the platform makes up before the first entry (CPUID collection): without a
    // portal for it the vCPU carries on instead of dying.
    bool optional{false};
};

class Platform {
  public:
    // One zeroed, page-aligned page of kernel memory, or nullptr when the pool is exhausted.
    virtual void* alloc_page() = 0;
    virtual void free_page(void* page) = 0;

    // Physical frame number of a kernel page (kernel pages are part of the simulated machine).
    virtual mword frame_of(void const* page) = 0;

    // --- Time and interrupts ---------------------------------------------------------------
    // The time stamp counter of one CPU.
    virtual u64 tsc(u32 cpu) = 0;
    // The cost model: kernel work on `cpu` takes `cycles` of that CPU's time.
    virtual void charge(u32 cpu, u64 cycles) = 0;
    // The CPU's one-shot timer (~0: off). Once the CPU's clock reaches it, the platform calls
    // Kernel::timer_interrupt(cpu) at that CPU's next kernel entry, or while the CPU idles.
    virtual void set_timer(u32 cpu, u64 deadline) = 0;
    // Interrupts another CPU: the platform calls Kernel::ipi(cpu) there.
    virtual void send_ipi(u32 cpu) = 0;
    // Called at every kernel entry: delivers what is due on `cpu` (timer, IPIs) by calling back
    // into the kernel. The platform may also let other CPUs catch up in time here.
    virtual void poll_interrupts(u32 cpu) = 0;

    // --- Execution -------------------------------------------------------------------------
    // A flow is the host context (a fiber) of a global EC or vCPU; local ECs run on the flow of
    // the chain that called them. The current flow of `cpu`, owned by `flow`, stops here and
    // continues when Kernel::dispatch(cpu) names `flow` again.
    virtual void suspend(u32 cpu, Ec& flow) = 0;
    // Runs the portal handler of local EC `handler` (its entry IP in handler.regs.rip, the PID in
    // handler.regs.rdi) on the current flow. Returns when the handler has replied or was killed.
    virtual void run_handler(u32 cpu, Ec& handler) = 0;
    // The kernel killed `flow`, which may be suspended: let its code run on to where the
    // platform unwinds it (the flow then ends with Kernel::end_flow).
    virtual void flow_killed(Ec& flow) = 0;

    // --- Virtual CPUs (design.md §4) -----------------------------------------------------------
    // The hardware side of a vCPU EC: its virtual CPU. State lives with the platform (a VMCS,
    // a KVM vCPU); the kernel moves it between the vCPU and its handlers as MTDs say.
    // True when a virtual CPU now backs `vcpu` (false: BAD_FTR).
    virtual bool vcpu_create(Ec& vcpu) = 0;
    virtual void vcpu_destroy(Ec& vcpu) = 0;
    // Runs the guest of `vcpu` on its CPU, charging that CPU for the time it takes, until the
    // guest exits or the platform takes the CPU back (another CPU's turn, the budget's end).
    virtual Vm_exit vcpu_run(Ec& vcpu) = 0;
    // The state `mtd` names, from the vCPU into `to`; from `from` into the vCPU, which applies
    // it at its next entry.
    virtual void vcpu_load(Ec& vcpu, mword mtd, Utcb_arch& to) = 0;
    virtual void vcpu_store(Ec& vcpu, mword mtd, Utcb_arch const& from) = 0;
    // The guest view of `pd`'s memory changed in pages [first, first + count): what a vCPU of
    // `pd` may touch from its next entry on (on hardware: an EPT invalidation).
    virtual void guest_view_changed(Pd& pd, mword first, mword count) = 0;

  protected:
    Platform() = default;
    Platform(Platform const&) = default;
    Platform& operator=(Platform const&) = default;
    ~Platform() = default;
};

} // namespace nova
