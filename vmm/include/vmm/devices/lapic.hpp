// A local APIC in xAPIC mode, one per vCPU, in the 4 KiB page at 0xfee00000 that only its own
// vCPU's accesses reach (Bus::add_local_mmio).
//
// Models: ID, version (0x00050014: integrated APIC, six LVT entries), TPR, APR, PPR, EOI, LDR and
// DFR (flat and cluster models), SVR with the software enable (disabling masks every LVT entry
// and keeps the masks set until it is enabled again), the 256-bit ISR, TMR and IRR, ESR
// (errors collect until a write latches them; illegal vectors sent or received and reserved
// register accesses, with the error LVT), ICR low and high (fixed, lowest-priority, NMI, INIT
// and STARTUP; physical and logical destinations, broadcast, the self / all / all-but-self
// shorthands; delivery is immediate, so the delivery-status bit always reads idle), the LVT
// timer, thermal, performance, LINT0, LINT1 and error entries, and the timer: initial count,
// current count, divide configuration, one-shot and periodic modes. Interrupts are prioritised
// as the SDM says: the highest IRR vector is delivered when its priority class is above PPR's.
// EOI clears the highest ISR bit; for a level-triggered vector it is counted where an I/O APIC
// would hear the broadcast (Apic_bus::level_eois). LINT0 and LINT1 take fixed (as edges), NMI
// and ExtINT deliveries; ExtINT on LINT0 is how the BSP receives the 8259A (Interrupt_router).
// The APIC base MSR: hardware disable (the APIC then answers nothing and reads all ones) and
// re-enable (power-up state).
//
// Reset state: as after power-up, except that the BSP's LINT0 is ExtINT and unmasked (0x700),
// the virtual-wire set-up a BIOS leaves behind (QEMU does the same), so PIC interrupts reach a
// guest booted without firmware. The APIC starts software-disabled (SVR 0xff).
//
// Time: the timer counts bus_hz / divide ticks a second (Tick_rate; bus_hz is configurable,
// default 1 GHz as KVM's LAPIC). The current count is computed from the Clock, so it counts on
// while the LVT entry is masked; a masked timer arms no Timer. A periodic timer interrupts at
// most once every `min_period` (default 100 µs, as KVM clamps it); missed periods are not
// replayed.
//
// Leaves out: x2APIC (refused in the base MSR), relocating the APIC page (refused), TSC-deadline
// mode (mode bits 10 behave as one-shot; CPUID must not announce it), the arbitration of
// lowest-priority delivery (the target with the lowest PPR wins, ties to the lowest vCPU), focus
// processor checking, remote read, SMI and ExtINT IPIs, level-triggered LINT inputs in fixed
// mode (taken as edges), thermal and performance interrupts (their entries are plain registers),
// EOI-broadcast suppression.
//
// Threat model: the guest writes any 32-bit value to any offset of its page, with any size.
// Registers keep only their writable bits; reserved offsets read 0 and set ESR bit 7; writes
// that are not whole aligned registers are ignored. No guest write loops over more than the 256
// vectors or the vCPUs, and none allocates.
#pragma once

#include "vmm/apic_bus.hpp"
#include "vmm/bus.hpp"
#include "vmm/time.hpp"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace vmm {

struct Lapic_config {
    u64 bus_hz{1'000'000'000};
    Nanoseconds min_period{100'000};
};

class Lapic final : public Mmio_device {
  public:
    static constexpr u64 default_base = 0xfee0'0000;
    static constexpr u32 version = 0x0005'0014;

    // Attaches itself to the APIC bus and claims the page for this vCPU. Config_error for a
    // zero bus frequency or a vCPU that already has a LAPIC.
    Lapic(Bus& bus, Timer_queue& timers, Apic_bus& apics, Vcpu_id vcpu, Lapic_config config = {});
    Lapic(Lapic const&) = delete;
    Lapic& operator=(Lapic const&) = delete;

    // --- What the vCPU side calls (usually through Interrupt_router). ---
    // The vector the processor would take now, if any.
    std::optional<u8> deliverable() const;
    // INTA: the deliverable vector moves from IRR to ISR.
    std::optional<u8> acknowledge();
    // An NMI is pending (from LINT or an IPI); taking it clears it.
    bool nmi_pending() const { return nmi_pending_; }
    bool take_nmi();
    // TPR as CR8 sees it: CR8 = TPR >> 4.
    u8 tpr() const { return tpr_; }
    void set_tpr(u8 value);
    // IA32_APIC_BASE (MSR 0x1b). set_apic_base is false for a value this model does not
    // support (x2APIC, another base, reserved bits, a different BSP bit): the caller injects #GP.
    u64 apic_base() const;
    bool set_apic_base(u64 value);
    bool hardware_enabled() const { return hardware_enabled_; }
    bool software_enabled() const { return (svr_ & 0x100) != 0; }

    // --- Inputs from the platform. ---
    // LINT0 (the PIC's INTR on the BSP) and LINT1.
    void set_lint(unsigned pin, bool level);
    // LINT0 is unmasked and in ExtINT mode: the 8259A delivers through it.
    bool lint0_extint() const;

    // --- The APIC bus side. ---
    Vcpu_id vcpu() const { return vcpu_; }
    u8 id() const { return id_; }
    u8 processor_priority() const;
    bool matches_logical(u8 destination) const;
    // A fixed interrupt arriving. Refused (ESR "receive illegal vector") below 16.
    void accept(u8 vector, bool level_triggered);
    void accept_nmi();
    // INIT: back to the power-up state, ID kept.
    void init_reset();

    u64 mmio_read(u64 address, unsigned size) override;
    void mmio_write(u64 address, unsigned size, u64 value) override;

    // For tests and traces.
    bool irr(u8 vector) const { return test(irr_, vector); }
    bool isr(u8 vector) const { return test(isr_, vector); }
    bool tmr(u8 vector) const { return test(tmr_, vector); }
    u32 current_count() const;
    std::optional<std::string> broken_invariant() const;
    // ID, priorities, SVR, ESR, ICR, the ISR/IRR/TMR vectors, the LVT entries and the timer
    // (mode, vector, mask, counts, divide, deadline), read without side effects (state_text.hpp).
    std::string describe_state() const;

  private:
    using Vector_set = std::array<u32, 8>;
    enum Lvt : unsigned {
        lvt_timer,
        lvt_thermal,
        lvt_performance,
        lvt_lint0,
        lvt_lint1,
        lvt_error,
        lvt_count
    };

    static bool test(Vector_set const& set, u8 vector)
    {
        return (set[vector / 32] >> (vector % 32)) & 1;
    }
    static void assign(Vector_set& set, u8 vector, bool value);
    static std::optional<u8> highest(Vector_set const& set);
    static std::vector<u64> members(Vector_set const& set);

    void power_up();
    u32 read_register(u32 offset) const;
    void write_register(u32 offset, u32 value);
    void write_svr(u32 value);
    void write_lvt(Lvt entry, u32 value);
    void write_icr(u32 value);
    void end_of_interrupt();
    void signal_error(u32 bits);
    void local_interrupt(Lvt entry);
    void recall_if_pending();
    u8 arbitration_priority() const;

    Tick_rate timer_rate() const;
    void start_timer(u32 first_count, Nanoseconds now);
    void arm_timer();
    void timer_expired();
    bool periodic() const { return ((lvt_[lvt_timer] >> 17) & 3) == 1; }
    std::string describe_registers() const;
    std::string describe_lvt() const;
    std::string describe_timer() const;

    Apic_bus& apics_;     // not owned
    Timer_queue& timers_; // not owned
    Lapic_config config_;
    Vcpu_id vcpu_;
    Timer timer_;
    bool hardware_enabled_{true};
    u8 id_;
    u8 tpr_{0};
    u8 ldr_{0};
    u32 dfr_{~u32{0}};
    u32 svr_{0xff};
    Vector_set isr_{}, irr_{}, tmr_{};
    u32 esr_{0}, esr_pending_{0};
    u32 icr_low_{0}, icr_high_{0};
    std::array<u32, lvt_count> lvt_{};
    bool lint_level_[2]{};
    bool nmi_pending_{false};
    u32 initial_count_{0};
    u32 divide_config_{0};
    // The running countdown: it started at timer_start_ with first_count_ ticks to go, then
    // (periodic) reloads initial_count_. first_count_ 0: the timer is stopped.
    Nanoseconds timer_start_{0};
    u32 first_count_{0};
    Nanoseconds timer_due_{0};                 // what timer_ was last armed for
    std::optional<Nanoseconds> last_periodic_; // when the last periodic interrupt was due
};

} // namespace vmm
