#include "vmm/apic_bus.hpp"

#include "vmm/devices/lapic.hpp"

#include <string>

namespace vmm {

namespace {

// SDM table "Valid combinations for the Pentium 4 and Intel Xeon processors' local xAPIC ICR".
bool valid(Apic_message const& m)
{
    if (m.mode == Delivery_mode::init && m.level_triggered && !m.assert) return false; // de-assert
    if (m.shorthand == Shorthand::self || m.shorthand == Shorthand::all)
        return m.mode == Delivery_mode::fixed;
    return true;
}

} // namespace

void Apic_bus::attach(Lapic& lapic)
{
    Vcpu_id const vcpu = lapic.vcpu();
    if (vcpu >= lapics_.size()) lapics_.resize(vcpu + 1, nullptr);
    if (lapics_[vcpu] != nullptr)
        throw Config_error("vCPU " + std::to_string(vcpu) + " already has a local APIC");
    lapics_[vcpu] = &lapic;
}

bool Apic_bus::reaches(Lapic const& lapic, Vcpu_id source, Apic_message const& m)
{
    if (!lapic.hardware_enabled()) return false;
    switch (m.shorthand) {
    case Shorthand::self:
        return lapic.vcpu() == source;
    case Shorthand::all:
        return true;
    case Shorthand::all_but_self:
        return lapic.vcpu() != source;
    case Shorthand::none:
        break;
    }
    if (m.logical) return lapic.matches_logical(m.destination);
    return m.destination == 0xff || lapic.id() == m.destination;
}

void Apic_bus::send(Vcpu_id source, Apic_message const& message)
{
    if (!valid(message)) return;
    if (message.mode == Delivery_mode::lowest_priority) {
        Lapic* lowest = nullptr; // the lowest PPR; ties go to the lowest vCPU
        for (Lapic* lapic : lapics_)
            if (lapic && reaches(*lapic, source, message) &&
                (!lowest || lapic->processor_priority() < lowest->processor_priority()))
                lowest = lapic;
        if (lowest) deliver(*lowest, message);
        return;
    }
    for (Lapic* lapic : lapics_)
        if (lapic && reaches(*lapic, source, message)) deliver(*lapic, message);
}

void Apic_bus::deliver(Lapic& target, Apic_message const& m)
{
    switch (m.mode) {
    case Delivery_mode::fixed:
    case Delivery_mode::lowest_priority:
        return target.accept(m.vector, m.level_triggered);
    case Delivery_mode::nmi:
        return target.accept_nmi();
    case Delivery_mode::init:
        target.init_reset();
        return control_.init(target.vcpu());
    case Delivery_mode::startup:
        return control_.startup(target.vcpu(), m.vector);
    default:
        return; // SMI, ExtINT and the reserved mode are not modelled
    }
}

} // namespace vmm
