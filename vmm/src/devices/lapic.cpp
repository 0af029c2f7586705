#include "vmm/devices/lapic.hpp"

#include "vmm/state_text.hpp"

#include <algorithm>
#include <string>

namespace vmm {

namespace {

enum Offset : u32 {
    reg_id = 0x020,
    reg_version = 0x030,
    reg_tpr = 0x080,
    reg_apr = 0x090,
    reg_ppr = 0x0a0,
    reg_eoi = 0x0b0,
    reg_rrd = 0x0c0,
    reg_ldr = 0x0d0,
    reg_dfr = 0x0e0,
    reg_svr = 0x0f0,
    reg_isr = 0x100, // ISR, TMR and IRR: eight registers each
    reg_tmr = 0x180,
    reg_irr = 0x200,
    reg_esr = 0x280,
    reg_icr_low = 0x300,
    reg_icr_high = 0x310,
    reg_lvt_first = 0x320,
    reg_lvt_last = 0x370,
    reg_initial_count = 0x380,
    reg_current_count = 0x390,
    reg_divide = 0x3e0,
};

constexpr u32 masked = 0x1'0000;
constexpr u32 lvt_writable[] = {0x0007'00ff, 0x0001'07ff, 0x0001'07ff,
                                0x0001'a7ff, 0x0001'a7ff, 0x0001'00ff};
constexpr u32 extint_unmasked = 0x700;
constexpr u32 esr_send_illegal = 0x20, esr_receive_illegal = 0x40, esr_illegal_register = 0x80;
constexpr u64 base_enable = 0x800, base_bsp = 0x100;
constexpr unsigned mode_fixed = 0, mode_nmi = 4, mode_extint = 7;

unsigned delivery_mode(u32 lvt)
{
    return (lvt >> 8) & 7;
}

// LVT timer bits 17–18; TSC-deadline is named as what the guest asked for, though it counts
// as one-shot here.
std::string_view timer_mode_name(u32 lvt)
{
    static constexpr std::string_view names[] = {"one-shot", "periodic", "tsc-deadline",
                                                 "reserved"};
    return names[(lvt >> 17) & 3];
}

bool is_register(u32 reg)
{
    switch (reg) {
    case reg_id:
    case reg_version:
    case reg_tpr:
    case reg_apr:
    case reg_ppr:
    case reg_eoi:
    case reg_rrd:
    case reg_ldr:
    case reg_dfr:
    case reg_svr:
    case reg_esr:
    case reg_icr_low:
    case reg_icr_high:
    case reg_initial_count:
    case reg_current_count:
    case reg_divide:
        return true;
    default:
        return (reg >= reg_isr && reg < reg_esr) || (reg >= reg_lvt_first && reg <= reg_lvt_last);
    }
}

} // namespace

Lapic::Lapic(Bus& bus, Timer_queue& timers, Apic_bus& apics, Vcpu_id vcpu, Lapic_config config)
    : apics_(apics), timers_(timers), config_(config), vcpu_(vcpu),
      timer_(timers, [this] { timer_expired(); }), id_(static_cast<u8>(vcpu))
{
    if (vcpu > 254)
        throw Config_error("an xAPIC ID is 8 bits and 0xff means broadcast: vCPU " +
                           std::to_string(vcpu) + " cannot have one");
    if (config.bus_hz == 0) throw Config_error("a LAPIC timer needs a non-zero bus frequency");
    if (apics.lapic(vcpu) != nullptr)
        throw Config_error("vCPU " + std::to_string(vcpu) + " already has a local APIC");
    power_up();
    if (vcpu == 0) lvt_[lvt_lint0] = extint_unmasked; // the BIOS's virtual wire
    bus.add_local_mmio(vcpu, {default_base, 0x1000}, *this, "lapic", Widths{1 | 2 | 4});
    apics.attach(*this);
}

void Lapic::assign(Vector_set& set, u8 vector, bool value)
{
    u32 const bit = u32{1} << (vector % 32);
    set[vector / 32] = value ? set[vector / 32] | bit : set[vector / 32] & ~bit;
}

std::optional<u8> Lapic::highest(Vector_set const& set)
{
    for (unsigned word = 8; word-- > 0;)
        if (set[word] != 0) return static_cast<u8>(word * 32 + 31 - __builtin_clz(set[word]));
    return std::nullopt;
}

void Lapic::power_up()
{
    tpr_ = ldr_ = 0;
    dfr_ = ~u32{0};
    svr_ = 0xff;
    isr_ = irr_ = tmr_ = {};
    esr_ = esr_pending_ = 0;
    icr_low_ = icr_high_ = 0;
    lvt_.fill(masked);
    nmi_pending_ = false;
    initial_count_ = divide_config_ = first_count_ = 0;
    last_periodic_.reset();
    timer_.cancel();
}

void Lapic::init_reset()
{
    power_up();
}

u8 Lapic::processor_priority() const
{
    u8 const in_service = highest(isr_).value_or(0);
    return (tpr_ >> 4) >= (in_service >> 4) ? tpr_ : in_service & 0xf0;
}

u8 Lapic::arbitration_priority() const
{
    u8 const requested = highest(irr_).value_or(0);
    u8 const in_service = highest(isr_).value_or(0);
    if ((tpr_ >> 4) >= (requested >> 4) && (tpr_ >> 4) > (in_service >> 4)) return tpr_;
    return std::max({static_cast<u8>(tpr_ & 0xf0), static_cast<u8>(in_service & 0xf0),
                     static_cast<u8>(requested & 0xf0)});
}

std::optional<u8> Lapic::deliverable() const
{
    if (!hardware_enabled_ || !software_enabled()) return std::nullopt;
    std::optional<u8> const requested = highest(irr_);
    if (!requested || (*requested >> 4) <= (processor_priority() >> 4)) return std::nullopt;
    return requested;
}

std::optional<u8> Lapic::acknowledge()
{
    std::optional<u8> const vector = deliverable();
    if (!vector) return std::nullopt;
    assign(irr_, *vector, false);
    assign(isr_, *vector, true);
    return vector;
}

bool Lapic::take_nmi()
{
    bool const pending = nmi_pending_;
    nmi_pending_ = false;
    return pending;
}

void Lapic::set_tpr(u8 value)
{
    tpr_ = value;
    recall_if_pending();
}

u64 Lapic::apic_base() const
{
    return default_base | (hardware_enabled_ ? base_enable : 0) | (vcpu_ == 0 ? base_bsp : 0);
}

bool Lapic::set_apic_base(u64 value)
{
    if ((value & ~base_enable) != (default_base | (vcpu_ == 0 ? base_bsp : 0))) return false;
    bool const enable = (value & base_enable) != 0;
    if (enable == hardware_enabled_) return true;
    power_up(); // disabling loses all state; enabling comes back as after power-up
    hardware_enabled_ = enable;
    return true;
}

void Lapic::set_lint(unsigned pin, bool level)
{
    if (pin > 1) return;
    bool const rising = level && !lint_level_[pin];
    lint_level_[pin] = level;
    Lvt const entry = pin == 0 ? lvt_lint0 : lvt_lint1;
    if (delivery_mode(lvt_[entry]) == mode_extint) return recall_if_pending();
    if (rising) local_interrupt(entry);
}

bool Lapic::lint0_extint() const
{
    return hardware_enabled_ && !(lvt_[lvt_lint0] & masked) &&
           delivery_mode(lvt_[lvt_lint0]) == mode_extint;
}

bool Lapic::matches_logical(u8 destination) const
{
    if (destination == 0xff) return true; // broadcast in both models
    switch (dfr_ >> 28) {
    case 0xf:
        return (ldr_ & destination) != 0;
    case 0x0:
        return (ldr_ >> 4) == (destination >> 4) && (ldr_ & destination & 0x0f) != 0;
    default:
        return false;
    }
}

void Lapic::accept(u8 vector, bool level_triggered)
{
    if (!hardware_enabled_) return;
    if (vector < 16) return signal_error(esr_receive_illegal);
    assign(irr_, vector, true);
    assign(tmr_, vector, level_triggered);
    recall_if_pending();
}

void Lapic::accept_nmi()
{
    if (!hardware_enabled_) return;
    nmi_pending_ = true;
    recall_if_pending();
}

u64 Lapic::mmio_read(u64 address, unsigned)
{
    if (!hardware_enabled_) return ~u64{0};
    u32 const offset = static_cast<u32>(address & 0xfff);
    if ((offset & 0xf) >= 4) return 0; // each register is the low 32 bits of a 16-byte slot
    u32 const reg = offset & 0xff0;
    if (!is_register(reg)) {
        signal_error(esr_illegal_register);
        return 0;
    }
    return read_register(reg) >> (8 * (offset & 3));
}

void Lapic::mmio_write(u64 address, unsigned size, u64 value)
{
    u32 const offset = static_cast<u32>(address & 0xfff);
    if (!hardware_enabled_ || size != 4 || (offset & 0xf) != 0) return; // only whole registers
    write_register(offset, static_cast<u32>(value));
}

u32 Lapic::read_register(u32 reg) const
{
    switch (reg) {
    case reg_id:
        return u32{id_} << 24;
    case reg_version:
        return version;
    case reg_tpr:
        return tpr_;
    case reg_apr:
        return arbitration_priority();
    case reg_ppr:
        return processor_priority();
    case reg_ldr:
        return u32{ldr_} << 24;
    case reg_dfr:
        return dfr_;
    case reg_svr:
        return svr_;
    case reg_esr:
        return esr_;
    case reg_icr_low:
        return icr_low_; // delivery status: always idle
    case reg_icr_high:
        return icr_high_;
    case reg_initial_count:
        return initial_count_;
    case reg_current_count:
        return current_count();
    case reg_divide:
        return divide_config_;
    default:
        break;
    }
    if (reg >= reg_isr && reg < reg_esr) {
        Vector_set const* sets[] = {&isr_, &tmr_, &irr_};
        return (*sets[(reg - reg_isr) / 0x80])[(reg & 0x7f) >> 4];
    }
    if (reg >= reg_lvt_first && reg <= reg_lvt_last) return lvt_[(reg - reg_lvt_first) >> 4];
    return 0; // EOI and remote read
}

void Lapic::write_register(u32 reg, u32 value)
{
    switch (reg) {
    case reg_id:
        id_ = static_cast<u8>(value >> 24);
        return;
    case reg_tpr:
        return set_tpr(static_cast<u8>(value));
    case reg_eoi:
        return end_of_interrupt();
    case reg_ldr:
        ldr_ = static_cast<u8>(value >> 24);
        return;
    case reg_dfr:
        dfr_ = value | 0x0fff'ffff;
        return;
    case reg_svr:
        return write_svr(value);
    case reg_esr:
        esr_ = esr_pending_, esr_pending_ = 0;
        return; // a write latches the errors
    case reg_icr_low:
        return write_icr(value);
    case reg_icr_high:
        icr_high_ = value & 0xff00'0000;
        return;
    case reg_initial_count:
        initial_count_ = value;
        return start_timer(value, timers_.now());
    case reg_divide: {
        u32 const remaining = current_count(); // counting goes on from here at the new rate
        divide_config_ = value & 0xb;
        return start_timer(remaining, timers_.now());
    }
    case reg_version:
    case reg_apr:
    case reg_ppr:
    case reg_rrd:
    case reg_current_count:
        return; // read-only
    default:
        break;
    }
    if (reg >= reg_lvt_first && reg <= reg_lvt_last)
        return write_lvt(Lvt((reg - reg_lvt_first) >> 4), value);
    if (!is_register(reg)) signal_error(esr_illegal_register); // ISR, TMR and IRR are read-only
}

void Lapic::write_svr(u32 value)
{
    bool const was_enabled = software_enabled();
    svr_ = value & 0x3ff; // spurious vector, software enable, focus processor checking
    if (was_enabled && !software_enabled())
        for (u32& entry : lvt_) entry |= masked;
    arm_timer();
    recall_if_pending();
}

void Lapic::write_lvt(Lvt entry, u32 value)
{
    u32 v = value & lvt_writable[entry];
    if (!software_enabled()) v |= masked; // the masks stick while the APIC is disabled
    lvt_[entry] = v;
    if (entry == lvt_timer) arm_timer();
    recall_if_pending();
}

void Lapic::write_icr(u32 value)
{
    icr_low_ = value & 0x000c'cfff;
    Apic_message message;
    message.mode = static_cast<Delivery_mode>((value >> 8) & 7);
    message.vector = static_cast<u8>(value);
    message.logical = (value & 0x800) != 0;
    message.destination = static_cast<u8>(icr_high_ >> 24);
    message.shorthand = static_cast<Shorthand>((value >> 18) & 3);
    message.level_triggered = (value & 0x8000) != 0;
    message.assert = (value & 0x4000) != 0;
    bool const needs_vector =
        message.mode == Delivery_mode::fixed || message.mode == Delivery_mode::lowest_priority;
    if (needs_vector && message.vector < 16) return signal_error(esr_send_illegal);
    apics_.send(vcpu_, message);
}

void Lapic::end_of_interrupt()
{
    std::optional<u8> const vector = highest(isr_);
    if (!vector) return;
    assign(isr_, *vector, false);
    if (test(tmr_, *vector)) apics_.count_level_eoi();
    recall_if_pending();
}

void Lapic::signal_error(u32 bits)
{
    esr_pending_ |= bits;
    local_interrupt(lvt_error);
}

// An interrupt from one of this APIC's own sources, as its LVT entry says.
void Lapic::local_interrupt(Lvt entry)
{
    u32 const lvt = lvt_[entry];
    if (lvt & masked) return;
    bool const has_mode = entry != lvt_timer && entry != lvt_error;
    unsigned const mode = has_mode ? delivery_mode(lvt) : mode_fixed;
    if (mode == mode_nmi) return accept_nmi();
    if (mode != mode_fixed) return; // ExtINT is the router's; SMI and INIT are not modelled
    u8 const vector = static_cast<u8>(lvt);
    if (vector < 16) {
        esr_pending_ |= esr_receive_illegal; // no error interrupt for the error interrupt
        return;
    }
    accept(vector, false);
}

void Lapic::recall_if_pending()
{
    if (deliverable() || nmi_pending_ || (lint0_extint() && lint_level_[0]))
        apics_.control().recall(vcpu_);
}

Tick_rate Lapic::timer_rate() const
{
    unsigned const code = ((divide_config_ >> 1) & 4) | (divide_config_ & 3);
    return Tick_rate{config_.bus_hz, code == 7 ? 1u : 2u << code};
}

u32 Lapic::current_count() const
{
    if (first_count_ == 0) return 0;
    u64 const done = timer_rate().ticks_in(timers_.now() - timer_start_);
    if (done < first_count_) return static_cast<u32>(first_count_ - done);
    if (!periodic() || initial_count_ == 0) return 0;
    return static_cast<u32>(initial_count_ - (done - first_count_) % initial_count_);
}

void Lapic::start_timer(u32 first_count, Nanoseconds now)
{
    timer_start_ = now;
    first_count_ = first_count;
    last_periodic_.reset();
    arm_timer();
}

// Only an unmasked timer needs a Timer: a masked one's count is computed when read.
void Lapic::arm_timer()
{
    if (first_count_ == 0 || (lvt_[lvt_timer] & masked)) return timer_.cancel();
    Tick_rate const rate = timer_rate();
    u64 const done = rate.ticks_in(timers_.now() - timer_start_);
    u64 tick = first_count_;
    if (done >= first_count_) {
        if (!periodic() || initial_count_ == 0) return timer_.cancel();
        tick = first_count_ + ((done - first_count_) / initial_count_ + 1) * initial_count_;
    }
    Nanoseconds const span = rate.time_for(tick);
    Nanoseconds at = span > never - timer_start_ ? never : timer_start_ + span;
    if (periodic() && last_periodic_) at = std::max(at, *last_periodic_ + config_.min_period);
    timer_due_ = at;
    timer_.arm_at(at);
}

void Lapic::timer_expired()
{
    local_interrupt(lvt_timer);
    if (periodic()) last_periodic_ = timer_due_;
    arm_timer();
}

std::optional<std::string> Lapic::broken_invariant() const
{
    if ((irr_[0] | isr_[0]) & 0xffff) return "a vector below 16 is requested or in service";
    for (unsigned entry = 0; entry < lvt_count; ++entry)
        if (lvt_[entry] & ~lvt_writable[entry])
            return "an LVT entry holds bits that cannot be written";
    if ((dfr_ & 0x0fff'ffff) != 0x0fff'ffff) return "DFR bits 0-27 are not all ones";
    if (svr_ & ~u32{0x3ff}) return "SVR holds reserved bits";
    if (!hardware_enabled_ && (irr_ != Vector_set{} || isr_ != Vector_set{}))
        return "a disabled APIC holds interrupts";
    bool const counting = first_count_ != 0 && (current_count() != 0 || periodic());
    if (counting && !(lvt_[lvt_timer] & masked) && !timer_.armed())
        return "an unmasked running timer has no Timer";
    return std::nullopt;
}

std::vector<u64> Lapic::members(Vector_set const& set)
{
    std::vector<u64> vectors;
    for (unsigned vector = 0; vector < 256; ++vector)
        if (test(set, static_cast<u8>(vector))) vectors.push_back(vector);
    return vectors;
}

std::string Lapic::describe_registers() const
{
    State_line line("registers");
    line.hex("ID", id_)
        .flag("hw-enabled", hardware_enabled_)
        .flag("sw-enabled", software_enabled());
    line.hex("TPR", tpr_).hex("PPR", processor_priority()).hex("APR", arbitration_priority());
    line.hex("SVR", svr_, 3).hex("LDR", ldr_).hex("DFR", dfr_, 8);
    line.hex("ESR", esr_).hex("ESR-pending", esr_pending_);
    line.hex("ICR", u64{icr_high_} << 32 | icr_low_, 16).flag("nmi-pending", nmi_pending_);
    return line.str();
}

std::string Lapic::describe_lvt() const
{
    State_line line("lvt");
    line.hex("timer", lvt_[lvt_timer], 5).hex("thermal", lvt_[lvt_thermal], 5);
    line.hex("perf", lvt_[lvt_performance], 5).hex("LINT0", lvt_[lvt_lint0], 5);
    line.hex("LINT1", lvt_[lvt_lint1], 5).hex("error", lvt_[lvt_error], 5);
    line.flag("lint0-level", lint_level_[0]).flag("lint1-level", lint_level_[1]);
    return line.str();
}

std::string Lapic::describe_timer() const
{
    u32 const lvt = lvt_[lvt_timer];
    State_line line("timer");
    line.text("mode", timer_mode_name(lvt)).hex("vector", lvt & 0xff);
    line.flag("masked", (lvt & masked) != 0).dec("initial", initial_count_);
    line.dec("current", current_count()).dec("divide", timer_rate().divisor());
    line.deadline("deadline", timer_.deadline());
    return line.str();
}

std::string Lapic::describe_state() const
{
    State_line vectors("vectors");
    vectors.hex_list("ISR", members(isr_)).hex_list("IRR", members(irr_));
    vectors.hex_list("TMR", members(tmr_));
    return describe_registers() + vectors.str() + describe_lvt() + describe_timer();
}

} // namespace vmm
