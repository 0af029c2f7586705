#include "vmm/interrupt_router.hpp"

#include "vmm/state_text.hpp"

#include <fmt/format.h>

namespace vmm {

Lapic* Interrupt_router::enabled_lapic(Vcpu_id vcpu) const
{
    Lapic* lapic = apics_.lapic(vcpu);
    return lapic != nullptr && lapic->hardware_enabled() ? lapic : nullptr;
}

// The PIC's INTR reaches the BSP directly without a usable LAPIC, else through ExtINT on LINT0.
bool Interrupt_router::pic_reaches(Vcpu_id vcpu) const
{
    if (vcpu != bsp_ || pic_ == nullptr || !pic_->intr()) return false;
    Lapic const* lapic = enabled_lapic(vcpu);
    return lapic == nullptr || lapic->lint0_extint();
}

bool Interrupt_router::interrupt_pending(Vcpu_id vcpu) const
{
    Lapic const* lapic = enabled_lapic(vcpu);
    return (lapic != nullptr && lapic->deliverable()) || pic_reaches(vcpu);
}

std::optional<u8> Interrupt_router::acknowledge(Vcpu_id vcpu)
{
    if (Lapic* lapic = enabled_lapic(vcpu))
        if (std::optional<u8> const vector = lapic->acknowledge()) return vector;
    if (pic_reaches(vcpu)) return pic_->acknowledge();
    return std::nullopt;
}

bool Interrupt_router::take_nmi(Vcpu_id vcpu)
{
    Lapic* lapic = enabled_lapic(vcpu);
    return lapic != nullptr && lapic->take_nmi();
}

// The LAPIC hears LINT0 even while disabled, so it knows the level when it is enabled again.
void Interrupt_router::irq_level(unsigned pin, bool level)
{
    if (pin != 0) return;
    Lapic* lapic = apics_.lapic(bsp_);
    if (lapic != nullptr) lapic->set_lint(0, level);
    if (level && enabled_lapic(bsp_) == nullptr) control_.recall(bsp_);
}

std::string Interrupt_router::describe_state(unsigned vcpus) const
{
    Lapic const* bsp_lapic = enabled_lapic(bsp_);
    std::string_view const path = pic_ == nullptr             ? "unconnected"
                                  : bsp_lapic == nullptr      ? "direct"
                                  : bsp_lapic->lint0_extint() ? "lint0-extint"
                                                              : "blocked-at-lint0";
    State_line pic("pic");
    pic.dec("bsp", bsp_).text("path", path).flag("INTR", pic_ != nullptr && pic_->intr());
    pic.flag("reaches-bsp", pic_reaches(bsp_));
    std::string text = pic.str();
    for (Vcpu_id vcpu = 0; vcpu < vcpus; ++vcpu) {
        Lapic const* lapic = enabled_lapic(vcpu);
        State_line line(fmt::format("vcpu{}", vcpu));
        line.flag("interrupt-pending", interrupt_pending(vcpu));
        line.flag("nmi-pending", lapic != nullptr && lapic->nmi_pending());
        text += line.str();
    }
    return text;
}

} // namespace vmm
