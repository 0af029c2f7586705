// The APIC bus: how local APICs reach each other. An ICR write becomes an Apic_message that
// the bus delivers to its destinations: fixed and lowest-priority interrupts into the targets'
// IRR, NMIs, and INIT and STARTUP, which go on to the vCPU side through Vcpu_control. (An I/O
// APIC or MSIs would send the same messages later.)
#pragma once

#include "vmm/control.hpp"

#include <vector>

namespace vmm {

class Lapic;

enum class Delivery_mode : u8 {
    fixed = 0,
    lowest_priority = 1,
    smi = 2,
    nmi = 4,
    init = 5,
    startup = 6,
    extint = 7
};
enum class Shorthand : u8 { none = 0, self = 1, all = 2, all_but_self = 3 };

// One interrupt message, as the ICR encodes it.
struct Apic_message {
    Delivery_mode mode{Delivery_mode::fixed};
    u8 vector{0};
    bool logical{false}; // destination mode
    u8 destination{0};
    Shorthand shorthand{Shorthand::none};
    bool level_triggered{false};
    bool assert{
        true}; // level bit: only an INIT with level trigger and this clear means "de-assert"
};

// Owned by whoever wires the machine; holds the LAPICs (not owned) by vCPU.
class Apic_bus {
  public:
    explicit Apic_bus(Vcpu_control& control) : control_(control) {}
    Apic_bus(Apic_bus const&) = delete;
    Apic_bus& operator=(Apic_bus const&) = delete;

    // Config_error when the vCPU already has one.
    void attach(Lapic& lapic);
    Lapic* lapic(Vcpu_id vcpu) const { return vcpu < lapics_.size() ? lapics_[vcpu] : nullptr; }
    Vcpu_control& control() const { return control_; }

    // Delivers to every hardware-enabled LAPIC the message names. Combinations the SDM calls
    // invalid (INIT or STARTUP to self or to all including self, an INIT de-assert) are dropped.
    void send(Vcpu_id source, Apic_message const& message);

    u64 level_eois() const { return level_eois_; }
    void count_level_eoi() { ++level_eois_; } // where an I/O APIC would hear the EOI broadcast

  private:
    static bool reaches(Lapic const& lapic, Vcpu_id source, Apic_message const& message);
    void deliver(Lapic& target, Apic_message const& message);

    Vcpu_control& control_;      // not owned
    std::vector<Lapic*> lapics_; // by vCPU; nullptr where a vCPU has none
    u64 level_eois_{0};
};

} // namespace vmm
