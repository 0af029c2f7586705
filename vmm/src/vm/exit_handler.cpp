#include "vmm/vm/exit_handler.hpp"

#include "nova/mtd.hpp"
#include "nova/vmx.hpp"

#include <fmt/format.h>

namespace vmm {

using namespace nova;
namespace inj = vmx::inj;

namespace {

constexpr mword irq_state = mtd::rflags | mtd::sta | mtd::inj;
constexpr mword full_state = mtd::gpr_acdb | mtd::gpr_bsd | mtd::rsp | mtd::rip_len | irq_state |
                             mtd::cs_ss | mtd::ds_es | mtd::cr | mtd::efer | mtd::qual;
constexpr u64 rflags_if = 1u << 9;

constexpr u32 shadow = vmx::intr_state::sti_blocking | vmx::intr_state::mov_ss_blocking;

// The instruction is done: RIP moves past it, and the interrupt shadow of an STI or MOV SS
// before it ends with it (the shadow covers one instruction). Left in place, it would keep the
// injection step from injecting: a HLT in an STI shadow would park with the interrupt pending.
void skip(Utcb_arch& msg)
{
    msg.mtd |= mtd::rip_len;
    msg.rip += msg.inst_len;
    if ((msg.intr_state & shadow) == 0) return;
    msg.mtd |= mtd::sta;
    msg.intr_state &= ~shadow;
}

void park(Utcb_arch& msg, u32 activity)
{
    msg.mtd |= mtd::sta;
    msg.actv_state = activity;
}

u64 size_mask(unsigned size)
{
    return size >= 8 ? ~u64{0} : (u64{1} << (8 * size)) - 1;
}

} // namespace

// An AP waits for a SIPI from reset on: one that comes before the AP's STARTUP exit is held.
Exit_handler::Exit_handler(Pc_board& board, Boot_state const& boot, unsigned vcpus)
    : board_{board}, boot_{boot}, vcpus_(vcpus)
{
    for (Vcpu_id v = 1; v < vcpus; ++v) vcpus_[v].waiting_for_sipi = true;
}

mword Exit_handler::portal_mtd(mword event)
{
    switch (event) {
    case vmx::startup:
        return 0;
    case vmx::io:
        return mtd::rip_len | mtd::qual | mtd::gpr_acdb | irq_state;
    case vmx::ept_violation:
        return mtd::rip_len | mtd::qual | irq_state;
    case vmx::hlt:
    case vmx::recall:
        return mtd::rip_len | irq_state;
    case vmx::intr_window:
        return irq_state;
    case vmx::rdmsr:
    case vmx::wrmsr:
        return mtd::rip_len | mtd::gpr_acdb | irq_state;
    case vmx::cpuid:
        return mtd::gpr_acdb | mtd::qual;
    default:
        return full_state;
    }
}

std::vector<mword> const& Exit_handler::events()
{
    static std::vector<mword> const all{vmx::startup,
                                        vmx::io,
                                        vmx::ept_violation,
                                        vmx::hlt,
                                        vmx::intr_window,
                                        vmx::recall,
                                        vmx::rdmsr,
                                        vmx::wrmsr,
                                        vmx::cpuid,
                                        vmx::triple_fault,
                                        vmx::invalid_state,
                                        vmx::emulation_failure,
                                        vmx::tpr_below_threshold,
                                        vmx::nmi_window};
    return all;
}

Exit_effects Exit_handler::handle(Vcpu_id v, mword event, Utcb_arch& msg)
{
    ++histogram_[{v, event}];
    msg.mtd = 0;
    Exit_effects effects;
    switch (event) {
    case vmx::startup:
        effects.map_ram = !ram_mapped_;
        ram_mapped_ = true;
        startup_exit(v, msg);
        return effects;
    case vmx::io:
        io_exit(v, msg, effects);
        break;
    case vmx::ept_violation:
        mmio_exit(v, msg, effects);
        break;
    case vmx::hlt:
        halt_exit(v, msg);
        return effects;
    case vmx::recall:
        recall_exit(v, msg);
        return effects;
    case vmx::intr_window:
    case vmx::nmi_window:
    case vmx::tpr_below_threshold:
        break;
    case vmx::rdmsr:
    case vmx::wrmsr:
        msr_exit(msg);
        break;
    case vmx::cpuid:
        cpuid_exit(msg);
        return effects;
    default:
        effects.failure = failure(v, event, msg);
        park(msg, vmx::activity::shutdown);
        return effects;
    }
    if (!effects.failure) inject(v, msg);
    return effects;
}

void Exit_handler::startup_exit(Vcpu_id v, Utcb_arch& msg)
{
    if (v == 0) return set_boot_state(msg, boot_);
    if (!start_from_sipi(v, msg)) park(msg, vmx::activity::wait_for_sipi);
}

// Port I/O through the bus: OUT from RAX (or, for a string instruction, the element KVM
// decoded), IN into RAX (or the element). KVM finishes a string instruction itself.
void Exit_handler::io_exit(Vcpu_id v, Utcb_arch& msg, Exit_effects& effects)
{
    u64 qual = msg.qual[0];
    unsigned size = vmx::io_qual::size(qual);
    u16 port = vmx::io_qual::port(qual);
    bool in = (qual & vmx::io_qual::in) != 0;
    if ((qual & vmx::io_qual::string) != 0) {
        if (!in) board_.bus().io_out(port, size, static_cast<u32>(msg.access.data));
        if (in) msg.mtd |= mtd::qual, msg.access.data = board_.bus().io_in(port, size);
        return;
    }
    if (msg.inst_len == 0) {
        effects.failure = fmt::format("vCPU {}: an I/O instruction at {:#x} whose length the "
                                      "host could not decode",
                                      v, msg.rip);
        return;
    }
    if (in) {
        u64 value = board_.bus().io_in(port, size);
        msg.rax = (msg.rax & ~size_mask(size)) | (value & size_mask(size));
        msg.mtd |= mtd::gpr_acdb;
    } else {
        board_.bus().io_out(port, size, static_cast<u32>(msg.rax & size_mask(size)));
    }
    skip(msg);
}

// MMIO as KVM decoded it; KVM finishes the instruction with the value of a read.
void Exit_handler::mmio_exit(Vcpu_id v, Utcb_arch& msg, Exit_effects& effects)
{
    u64 gpa = msg.qual[1];
    Utcb_access const& access = msg.access;
    if (access.size == 0) {
        effects.failure = fmt::format("vCPU {}: the guest executes at {:#x}, where there is no "
                                      "memory (rip {:#x})",
                                      v, gpa, msg.rip);
        return;
    }
    if ((access.flags & Utcb_access::write) != 0) {
        board_.bus().mmio_write(v, gpa, access.size, access.data);
    } else {
        msg.mtd |= mtd::qual;
        msg.access.data = board_.bus().mmio_read(v, gpa, access.size);
    }
}

// The HLT completes when something is deliverable: inject it now, or park until a recall.
void Exit_handler::halt_exit(Vcpu_id v, Utcb_arch& msg)
{
    skip(msg);
    if (inject(v, msg)) return;
    vcpus_.at(v).halted = true;
    park(msg, vmx::activity::hlt);
}

// A recall: a SIPI for a waiting AP, or something to inject; a halted vCPU with nothing
// deliverable after all halts on.
void Exit_handler::recall_exit(Vcpu_id v, Utcb_arch& msg)
{
    Vcpu_state& s = vcpus_.at(v);
    if (s.waiting_for_sipi) {
        if (!start_from_sipi(v, msg)) park(msg, vmx::activity::wait_for_sipi);
        return;
    }
    bool injected = inject(v, msg);
    if (s.halted && !injected) return park(msg, vmx::activity::hlt);
    s.halted = false;
    msg.mtd |= mtd::sta;
    msg.actv_state = vmx::activity::active;
}

bool Exit_handler::start_from_sipi(Vcpu_id v, Utcb_arch& msg)
{
    Vcpu_state& s = vcpus_.at(v);
    if (!s.sipi) return false;
    set_sipi_state(msg, *s.sipi);
    s.sipi.reset();
    s.waiting_for_sipi = false;
    return true;
}

// MSRs KVM does not know: #GP, as for an MSR the processor does not have.
void Exit_handler::msr_exit(Utcb_arch& msg)
{
    msg.mtd |= mtd::inj;
    msg.inj_info = inj::valid | inj::type_hw_exception << inj::type_shift | inj::error_code | 13;
    msg.inj_error = 0;
}

// CPUID before the first entry: KVM's answer, without x2APIC and the TSC-deadline timer,
// which the VMM's xAPIC does not offer. RAX names the leaf until the answer replaces it.
void Exit_handler::cpuid_exit(Utcb_arch& msg) const
{
    u32 const leaf = static_cast<u32>(msg.rax);
    msg.mtd |= mtd::gpr_acdb;
    msg.rax = msg.access.host[0], msg.rbx = msg.access.host[1];
    msg.rcx = msg.access.host[2], msg.rdx = msg.access.host[3];
    if (leaf == 1) msg.rcx &= ~(u64{1} << 21 | u64{1} << 24);
}

// The injection step (interrupt_router.hpp) after an exit that carried the IRQ state: an event
// already in INJ goes first (one the exit interrupted, one still pending at a RECALL, or the
// exit's own #GP), else an NMI, else a maskable interrupt the guest can take now; the window
// while one is pending. True when something is injected.
bool Exit_handler::inject(Vcpu_id v, Utcb_arch& msg)
{
    Interrupt_router& router = board_.interrupts();
    msg.mtd |= mtd::inj;
    if ((msg.inj_info & inj::valid) != 0) {
        msg.inj_info &= ~(inj::want_window | inj::want_nmi);
        if (router.interrupt_pending(v)) msg.inj_info |= inj::want_window;
        return true;
    }
    msg.inj_info = 0; // no request stays behind by accident
    if (router.take_nmi(v)) {
        msg.inj_info = inj::valid | inj::type_nmi << inj::type_shift | 2;
        return true;
    }
    if (!router.interrupt_pending(v)) return false;
    bool can = (msg.rflags & rflags_if) != 0 && (msg.intr_state & shadow) == 0;
    if (auto vector = can ? router.acknowledge(v) : std::nullopt) {
        msg.inj_info = inj::valid | inj::type_ext_int << inj::type_shift | *vector;
    }
    if (router.interrupt_pending(v)) msg.inj_info |= inj::want_window;
    return (msg.inj_info & inj::valid) != 0;
}

void Exit_handler::init(Vcpu_id v)
{
    vcpus_.at(v) = Vcpu_state{true, std::nullopt, false};
}

void Exit_handler::startup(Vcpu_id v, u8 vector)
{
    if (vcpus_.at(v).waiting_for_sipi) vcpus_[v].sipi = vector;
}

char const* event_name(mword event)
{
    char const* name = vmx::event_name(event);
    return name != nullptr ? name : "other";
}

std::string Exit_handler::failure(Vcpu_id v, mword event, Utcb_arch const& msg)
{
    char const* what = event == vmx::triple_fault        ? "triple fault"
                       : event == vmx::invalid_state     ? "invalid guest state"
                       : event == vmx::emulation_failure ? "an instruction the host cannot run"
                                                         : "an exit the VMM does not handle";
    return fmt::format("vCPU {}: {} (event {:#x}): rip {:#x} rflags {:#x} cs {:#x}/{:#x} cr0 "
                       "{:#x} cr3 {:#x} efer {:#x} rax {:#x} rsp {:#x} qual {:#x} {:#x}",
                       v, what, event, msg.rip, msg.rflags, msg.cs.sel, msg.cs.base, msg.cr0,
                       msg.cr3, msg.efer, msg.rax, msg.rsp, msg.qual[0], msg.qual[1]);
}

} // namespace vmm
