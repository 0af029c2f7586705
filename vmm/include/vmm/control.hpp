// What the device side asks of the vCPU side. The vCPU layer implements both interfaces (and
// owns the objects); tests fake them. Calls come on the VMM's one thread, from inside device
// code (a port write, an expiring timer), so an implementation only records the request and
// acts on it when the device call has returned.
#pragma once

#include "vmm/types.hpp"

namespace vmm {

class Vcpu_control {
  public:
    virtual ~Vcpu_control() = default;

    // Something became deliverable to this vCPU (an interrupt its LAPIC accepted, the PIC's INTR
    // reaching it, an NMI): recall it if it runs guest code, wake it if it halts. It may come
    // more than once for one interrupt; Interrupt_router says what is actually there.
    virtual void recall(Vcpu_id vcpu) = 0;

    // An INIT reached this vCPU. Its LAPIC has already been reset; the vCPU side resets the
    // processor and holds it waiting for a SIPI.
    virtual void init(Vcpu_id vcpu) = 0;

    // A STARTUP IPI. A processor waiting for SIPI starts in real mode at CS = vector << 8,
    // IP = 0 (address vector << 12); one that is not waiting ignores it. That state is the
    // vCPU side's, so every SIPI is passed on.
    virtual void startup(Vcpu_id vcpu, u8 vector) = 0;
};

enum class Reset_source : u8 {
    keyboard_controller, // i8042 command 0xfe, or output port bit 0 cleared
    port_92,             // system control port A, fast reset bit
};

class Machine_control {
  public:
    virtual ~Machine_control() = default;

    // The guest ends the run with this exit status (debug-exit port: (v << 1) | 1). The status
    // is not truncated; the caller decides what a process exit code makes of it.
    virtual void request_exit(u64 status) = 0;

    // The guest pulled the reset line: the whole machine restarts.
    virtual void request_reset(Reset_source source) = 0;
};

} // namespace vmm
