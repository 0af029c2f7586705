// Where the vCPU side asks for interrupts. The 8259A pair's INTR goes to the BSP: through its
// LAPIC's LINT0 when that is in ExtINT mode (virtual wire), or straight to the processor when
// the BSP has no LAPIC or it is hardware-disabled. LAPICs deliver their own vectors.
//
// The exit handler's injection step (the vCPU side's) is:
//   if (router.take_nmi(v)) inject NMI;
//   else if (guest can take an interrupt: RFLAGS.IF, no STI/MOV-SS shadow, nothing injected yet)
//       if (auto vector = router.acknowledge(v)) inject vector;
//   request the interrupt window while router.interrupt_pending(v) stays true;
// and Vcpu_control::recall(v) tells it when to run that step for a vCPU that runs or halts.
#pragma once

#include "vmm/apic_bus.hpp"
#include "vmm/devices/lapic.hpp"
#include "vmm/devices/pic8259.hpp"

#include <optional>
#include <string>

namespace vmm {

// Owned by whoever wires the machine; the PIC and the LAPICs are not owned.
class Interrupt_router final : public Irq_sink {
  public:
    Interrupt_router(Apic_bus& apics, Vcpu_control& control, Vcpu_id bsp = 0)
        : apics_(apics), control_(control), bsp_(bsp)
    {
    }
    Interrupt_router(Interrupt_router const&) = delete;
    Interrupt_router& operator=(Interrupt_router const&) = delete;

    // The PIC takes the router as its INTR sink when it is made; then the router learns of it.
    void connect_pic(Pic_pair& pic) { pic_ = &pic; }

    // A maskable interrupt waits for this vCPU: whether the guest can take it now (IF, the
    // interrupt shadow, an event already being injected) is the caller's to check.
    bool interrupt_pending(Vcpu_id vcpu) const;
    // INTA: the vector to inject, now in service at its controller. The LAPIC's vectors come
    // before the PIC's (as in QEMU); empty when nothing is pending.
    std::optional<u8> acknowledge(Vcpu_id vcpu);
    // An NMI is pending; taking it clears it.
    bool take_nmi(Vcpu_id vcpu);

    // The PIC's INTR output (pin 0).
    void irq_level(unsigned pin, bool level) override;

    // The BSP, whether the PIC's INTR reaches it and how, and for each of the first `vcpus`
    // vCPUs whether an interrupt or NMI waits (state_text.hpp).
    std::string describe_state(unsigned vcpus) const;

  private:
    bool pic_reaches(Vcpu_id vcpu) const;
    Lapic* enabled_lapic(Vcpu_id vcpu) const;

    Apic_bus& apics_;       // not owned
    Vcpu_control& control_; // not owned
    Vcpu_id bsp_;
    Pic_pair* pic_{nullptr};
};

} // namespace vmm
