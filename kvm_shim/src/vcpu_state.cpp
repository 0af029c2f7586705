// The vCPU's state by MTD group: what load copies into a handler's UTCB and store takes from a
// reply. Registers, segments and event state live in the run page (KVM_CAP_SYNC_REGS: read for
// free after every exit, written at the next entry through kvm_dirty_regs); MSRs, DR7, PDPTEs
// and the FPU are fetched only when an MTD names them and written back only when a reply does.
#include "kvm/kvm_abi.hpp"
#include "kvm/segments.hpp"
#include "kvm/vcpu.hpp"
#include "nova/mtd.hpp"
#include "nova/vmx.hpp"

#include <cstring>

namespace kvm {

using namespace nova;

namespace {

constexpr std::uint32_t msr_tsc = 0x10, msr_sysenter_cs = 0x174, msr_sysenter_esp = 0x175,
                        msr_sysenter_eip = 0x176, msr_star = 0xc000'0081, msr_lstar = 0xc000'0082,
                        msr_cstar = 0xc000'0083, msr_fmask = 0xc000'0084,
                        msr_kernel_gs = 0xc000'0102, msr_tsc_aux = 0xc000'0103;

std::vector<std::uint32_t> msrs_named(mword mtd)
{
    std::vector<std::uint32_t> out;
    if (mtd & mtd::tsc) out.push_back(msr_tsc);
    if (mtd & mtd::sysenter)
        out.insert(out.end(), {msr_sysenter_cs, msr_sysenter_esp, msr_sysenter_eip});
    if (mtd & mtd::syscall_swapgs)
        out.insert(out.end(), {msr_star, msr_lstar, msr_cstar, msr_fmask, msr_kernel_gs});
    if (mtd & mtd::tsc_aux) out.push_back(msr_tsc_aux);
    return out;
}

// KVM's interruptibility (shadow, NMI masking) in the VMX encoding of STA.
std::uint32_t intr_state_of(kvm_vcpu_events const& e)
{
    std::uint32_t s = 0;
    if (e.interrupt.shadow & KVM_X86_SHADOW_INT_STI) s |= vmx::intr_state::sti_blocking;
    if (e.interrupt.shadow & KVM_X86_SHADOW_INT_MOV_SS) s |= vmx::intr_state::mov_ss_blocking;
    if (e.nmi.masked) s |= vmx::intr_state::nmi_blocking;
    return s;
}

// The event whose delivery the exit interrupted (IDT-vectoring information, [C14] §7.7).
std::uint32_t vectoring_of(kvm_vcpu_events const& e)
{
    using namespace vmx::inj;
    if (e.exception.injected)
        return valid | type_hw_exception << type_shift | e.exception.nr |
               (e.exception.has_error_code ? error_code : 0);
    if (e.interrupt.injected)
        return valid | (e.interrupt.soft ? type_sw_int : type_ext_int) << type_shift |
               e.interrupt.nr;
    if (e.nmi.injected) return valid | type_nmi << type_shift | 2;
    return 0;
}

} // namespace

void Vcpu::fetch_msrs(mword mtd)
{
    if (!msrs_) msrs_ = std::make_unique<Msr_cache>();
    std::vector<std::uint32_t> wanted;
    for (std::uint32_t index : msrs_named(mtd)) {
        if (!msrs_->values.contains(index)) wanted.push_back(index);
    }
    if (wanted.empty()) return;
    abi::Msrs list{wanted.size()};
    list.header().nmsrs = static_cast<std::uint32_t>(wanted.size());
    for (std::size_t i = 0; i < wanted.size(); ++i) list.entries()[i].index = wanted[i];
    int got = checked_ioctl(fd_.get(), abi::get_msrs, list.data(), "KVM_GET_MSRS", &calls_);
    for (int i = 0; i < got; ++i) msrs_->values[list.entries()[i].index] = list.entries()[i].data;
}

void Vcpu::load(mword mtd, Utcb_arch& a)
{
    kvm_regs const& r = sync().regs;
    if (mtd & mtd::gpr_acdb) a.rax = r.rax, a.rcx = r.rcx, a.rdx = r.rdx, a.rbx = r.rbx;
    if (mtd & mtd::gpr_bsd) a.rbp = r.rbp, a.rsi = r.rsi, a.rdi = r.rdi;
    if (mtd & mtd::rsp) a.rsp = r.rsp;
    if (mtd & mtd::rip_len) a.rip = exit_.rip, a.inst_len = exit_.inst_len;
    if (mtd & mtd::rflags) a.rflags = r.rflags;
    if (mtd & mtd::r8_r15) {
        a.r8 = r.r8, a.r9 = r.r9, a.r10 = r.r10, a.r11 = r.r11;
        a.r12 = r.r12, a.r13 = r.r13, a.r14 = r.r14, a.r15 = r.r15;
    }
    if (mtd & mtd::qual) a.access = exit_.access;
    load_segments(mtd, a);
    load_control(mtd, a);
    load_extra(mtd, a);
}

void Vcpu::load_segments(mword mtd, Utcb_arch& a) const
{
    kvm_sregs const& s = sync().sregs;
    if (mtd & mtd::ds_es) a.ds = to_utcb(s.ds), a.es = to_utcb(s.es);
    if (mtd & mtd::fs_gs) a.fs = to_utcb(s.fs), a.gs = to_utcb(s.gs);
    if (mtd & mtd::cs_ss) a.cs = to_utcb(s.cs), a.ss = to_utcb(s.ss);
    if (mtd & mtd::tr) a.tr = to_utcb(s.tr);
    if (mtd & mtd::ldtr) a.ldtr = to_utcb(s.ldt);
    if (mtd & mtd::gdtr) a.gdtr = to_utcb(s.gdt);
    if (mtd & mtd::idtr) a.idtr = to_utcb(s.idt);
    if (mtd & mtd::cr) a.cr0 = s.cr0, a.cr2 = s.cr2, a.cr3 = s.cr3, a.cr4 = s.cr4;
    if (mtd & mtd::efer) a.efer = s.efer;
    if (mtd & mtd::tpr)
        a.tpr = static_cast<std::uint32_t>(s.cr8 << 4), a.tpr_threshold = tpr_threshold_;
}

// STA and INJ: interruptibility from KVM's event state, the activity state the last reply set;
// the event being delivered when the exit came, or for RECALL and invalid guest state the
// injection still pending from the last reply.
void Vcpu::load_control(mword mtd, Utcb_arch& a)
{
    kvm_vcpu_events const& e = sync().events;
    if (mtd & mtd::sta) a.intr_state = intr_state_of(e), a.actv_state = activity_;
    if (mtd & mtd::inj) {
        bool pending_view = a.exit_reason == vmx::recall || a.exit_reason == vmx::invalid_state;
        a.inj_info = pending_view ? inj_info_ : vectoring_of(e);
        a.inj_error = pending_view ? inj_error_ : e.exception.error_code;
    }
}

void Vcpu::load_extra(mword mtd, Utcb_arch& a)
{
    if (mtd & (mtd::tsc | mtd::sysenter | mtd::syscall_swapgs | mtd::tsc_aux)) {
        fetch_msrs(mtd);
        auto& v = msrs_->values;
        if (mtd & mtd::tsc) a.tsc_val = v[msr_tsc], a.tsc_off = tsc_offset_;
        if (mtd & mtd::sysenter)
            a.sysenter_cs = v[msr_sysenter_cs], a.sysenter_sp = v[msr_sysenter_esp],
            a.sysenter_ip = v[msr_sysenter_eip];
        if (mtd & mtd::syscall_swapgs)
            a.star = v[msr_star], a.lstar = v[msr_lstar], a.cstar = v[msr_cstar],
            a.fmask = v[msr_fmask], a.kernel_gs_base = v[msr_kernel_gs];
        if (mtd & mtd::tsc_aux) a.tsc_aux = static_cast<std::uint32_t>(v[msr_tsc_aux]);
    }
    if (mtd & mtd::dr) a.dr7 = debug_regs().dr7;
    if (mtd & mtd::pdpte) {
        for (int i = 0; i < 4; ++i) a.pdpte[i] = sregs2().pdptrs[i];
    }
    if (mtd & mtd::fpu) std::memcpy(a.fpu, xsave().region, sizeof a.fpu);
}

kvm_debugregs& Vcpu::debug_regs()
{
    if (!debug_) {
        debug_.emplace();
        checked_ioctl(fd_.get(), KVM_GET_DEBUGREGS, &*debug_, "KVM_GET_DEBUGREGS", &calls_);
    }
    return *debug_;
}

kvm_sregs2& Vcpu::sregs2()
{
    if (!sregs2_) {
        sregs2_.emplace();
        checked_ioctl(fd_.get(), KVM_GET_SREGS2, &*sregs2_, "KVM_GET_SREGS2", &calls_);
    }
    return *sregs2_;
}

abi::Xsave& Vcpu::xsave()
{
    if (!xsave_) {
        xsave_ = std::make_unique<abi::Xsave>();
        checked_ioctl(fd_.get(), abi::get_xsave, xsave_.get(), "KVM_GET_XSAVE", &calls_);
    }
    return *xsave_;
}

void Vcpu::store(mword mtd, Utcb_arch const& a)
{
    kvm_regs& r = sync().regs;
    if (mtd & (mtd::gpr_acdb | mtd::gpr_bsd | mtd::rsp | mtd::rip_len | mtd::rflags | mtd::r8_r15))
        run_->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
    if (mtd & mtd::gpr_acdb) r.rax = a.rax, r.rcx = a.rcx, r.rdx = a.rdx, r.rbx = a.rbx;
    if (mtd & mtd::gpr_bsd) r.rbp = a.rbp, r.rsi = a.rsi, r.rdi = a.rdi;
    if (mtd & mtd::rsp) r.rsp = a.rsp;
    if (mtd & mtd::rip_len) r.rip = reply_rip_ = a.rip, rip_written_ = true;
    if (mtd & mtd::rflags) r.rflags = a.rflags | 2; // bit 1 is always set
    if (mtd & mtd::r8_r15) {
        r.r8 = a.r8, r.r9 = a.r9, r.r10 = a.r10, r.r11 = a.r11;
        r.r12 = a.r12, r.r13 = a.r13, r.r14 = a.r14, r.r15 = a.r15;
    }
    store_segments(mtd, a);
    store_control(mtd, a);
    store_extra(mtd, a);
    store_completion(mtd, a);
}

void Vcpu::store_segments(mword mtd, Utcb_arch const& a)
{
    kvm_sregs& s = sync().sregs;
    constexpr mword sregs_groups = mtd::ds_es | mtd::fs_gs | mtd::cs_ss | mtd::tr | mtd::ldtr |
                                   mtd::gdtr | mtd::idtr | mtd::cr | mtd::efer | mtd::tpr;
    if (mtd & sregs_groups) run_->kvm_dirty_regs |= KVM_SYNC_X86_SREGS;
    if (mtd & mtd::ds_es) s.ds = from_utcb(a.ds), s.es = from_utcb(a.es);
    if (mtd & mtd::fs_gs) s.fs = from_utcb(a.fs), s.gs = from_utcb(a.gs);
    if (mtd & mtd::cs_ss) s.cs = from_utcb(a.cs), s.ss = from_utcb(a.ss);
    if (mtd & mtd::tr) s.tr = from_utcb(a.tr);
    if (mtd & mtd::ldtr) s.ldt = from_utcb(a.ldtr);
    if (mtd & mtd::gdtr) s.gdt = dtable_from_utcb(a.gdtr);
    if (mtd & mtd::idtr) s.idt = dtable_from_utcb(a.idtr);
    if (mtd & mtd::cr) s.cr0 = a.cr0, s.cr2 = a.cr2, s.cr3 = a.cr3, s.cr4 = a.cr4;
    if (mtd & mtd::efer) s.efer = a.efer;
    if (mtd & mtd::tpr) s.cr8 = a.tpr >> 4, tpr_threshold_ = a.tpr_threshold;
}

void Vcpu::store_control(mword mtd, Utcb_arch const& a)
{
    kvm_vcpu_events& e = sync().events;
    if (mtd & mtd::sta) {
        e.interrupt.shadow = static_cast<std::uint8_t>(
            ((a.intr_state & vmx::intr_state::sti_blocking) ? KVM_X86_SHADOW_INT_STI : 0) |
            ((a.intr_state & vmx::intr_state::mov_ss_blocking) ? KVM_X86_SHADOW_INT_MOV_SS : 0));
        e.nmi.masked = (a.intr_state & vmx::intr_state::nmi_blocking) != 0;
        e.flags |= KVM_VCPUEVENT_VALID_SHADOW;
        activity_ = a.actv_state;
        run_->kvm_dirty_regs |= KVM_SYNC_X86_EVENTS;
    }
    // CTRL: KVM sets the execution controls itself; only interrupt-window exiting (primary
    // bit 2) has a counterpart.
    if (mtd & mtd::ctrl) {
        ctrl_[0] = a.ctrl[0], ctrl_[1] = a.ctrl[1];
        want_window_ = (a.ctrl[0] & (1u << 2)) != 0;
    }
    if (mtd & mtd::inj) store_injection(a);
}

// INJ: the event to inject at the next entry, and the window requests (bits 12/13), which an
// INJ without them also cancels ([C14] §7.7; vmm-on-microhypervisors.md war story 5).
void Vcpu::store_injection(Utcb_arch const& a)
{
    want_window_ = (a.inj_info & vmx::inj::want_window) != 0;
    want_nmi_window_ = (a.inj_info & vmx::inj::want_nmi) != 0;
    inj_info_ = a.inj_info & ~(vmx::inj::want_window | vmx::inj::want_nmi);
    inj_error_ = a.inj_error;
}

void Vcpu::store_extra(mword mtd, Utcb_arch const& a)
{
    if (mtd & (mtd::sysenter | mtd::syscall_swapgs | mtd::tsc_aux) && !msrs_)
        msrs_ = std::make_unique<Msr_cache>();
    if (mtd & mtd::tsc) tsc_add_ += a.tsc_off, tsc_offset_ += a.tsc_off;
    if (mtd & mtd::sysenter) {
        msrs_->writes[msr_sysenter_cs] = a.sysenter_cs;
        msrs_->writes[msr_sysenter_esp] = a.sysenter_sp;
        msrs_->writes[msr_sysenter_eip] = a.sysenter_ip;
    }
    if (mtd & mtd::syscall_swapgs) {
        auto& w = msrs_->writes;
        w[msr_star] = a.star, w[msr_lstar] = a.lstar, w[msr_cstar] = a.cstar;
        w[msr_fmask] = a.fmask, w[msr_kernel_gs] = a.kernel_gs_base;
    }
    if (mtd & mtd::tsc_aux) msrs_->writes[msr_tsc_aux] = a.tsc_aux;
    if (mtd & mtd::dr) debug_regs().dr7 = a.dr7, debug_dirty_ = true;
    if (mtd & mtd::pdpte) {
        for (int i = 0; i < 4; ++i) sregs2().pdptrs[i] = a.pdpte[i];
        pdpte_dirty_ = true;
    }
    if (mtd & mtd::fpu) {
        std::memcpy(xsave().region, a.fpu, sizeof a.fpu);
        xsave_dirty_ = true;
    }
}

// QUAL in a reply: the value an MMIO or I/O read returns (novasim extension).
void Vcpu::store_completion(mword mtd, Utcb_arch const& a)
{
    if (mtd & mtd::qual) exit_.access.data = a.access.data;
    replied_ = true;
    replied_mtd_ = mtd;
}

} // namespace kvm
