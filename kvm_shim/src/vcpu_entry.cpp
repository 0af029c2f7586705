// Between a reply and the next KVM_RUN: what the reply asked for, in KVM's terms. An I/O, MMIO
// or RDMSR exit is still open in KVM until the next KVM_RUN finishes it; a reply that did what
// KVM would do (advance RIP, give the value) lets KVM finish it, any other reply has KVM finish
// it at once (KVM_RUN with immediate_exit) and then puts the reply's registers back.
#include "kvm/vcpu.hpp"
#include "nova/vmx.hpp"

#include <cstring>

namespace kvm {

using namespace nova;

void Vcpu::prepare_entry()
{
    finish_completion(false);
    apply_injection();
    write_msrs();
    write_back_lazy_groups();
    if (tsc_add_ != 0) apply_tsc_offset();
    run_->request_interrupt_window = want_window_ ? 1 : 0;
    replied_ = false;
    replied_mtd_ = 0;
}

void Vcpu::finish_completion(bool state_needed_now)
{
    Completion c = exit_.completion;
    if (c == Completion::none || exit_.string) return;
    exit_.completion = Completion::none;
    bool rip_moved = reply_rip_ != exit_.rip;
    bool flushed = false;
    if (c == Completion::io) flushed = finish_io(rip_moved);
    if (c == Completion::mmio_read || c == Completion::mmio_write) flushed = finish_mmio(rip_moved);
    if (c == Completion::rdmsr || c == Completion::wrmsr) flushed = finish_msr();
    if (state_needed_now && !flushed) flush_completion(false);
}

// A reply that moved RIP has KVM skip its own completion (KVM checks that RIP is where the exit
// left it); one that did not wants the instruction again.
bool Vcpu::finish_io(bool rip_moved)
{
    if (!rip_moved) flush_completion(true);
    return !rip_moved;
}

// The read value comes from the reply, or from memory the reply mapped there (a lazy mapping:
// the access is done as if the instruction ran again).
bool Vcpu::finish_mmio(bool rip_moved)
{
    auto& m = run_->mmio;
    Guest_memory const& memory = vm_.memory();
    if (m.is_write) {
        memory.write(m.phys_addr, m.data, m.len);
    } else if (!memory.read(m.phys_addr, m.data, m.len)) {
        std::memcpy(m.data, &exit_.access.data, std::min<std::uint32_t>(m.len, 8));
    }
    if (rip_moved) flush_completion(true);
    return rip_moved;
}

// KVM finishes RDMSR/WRMSR by skipping the instruction itself, so a reply that advanced RIP
// gets it put back first; a reply that injects #GP makes KVM inject it instead.
bool Vcpu::finish_msr()
{
    kvm_regs& r = sync().regs;
    bool gp = (inj_info_ & vmx::inj::valid) != 0 && (inj_info_ & vmx::inj::vector_mask) == 13 &&
              vmx::inj::type(inj_info_) == vmx::inj::type_hw_exception;
    bool advanced = reply_rip_ == exit_.rip + 2;
    run_->msr.error = gp ? 1 : 0;
    if (gp) inj_info_ = 0;
    if (run_->exit_reason == KVM_EXIT_X86_RDMSR)
        run_->msr.data = (r.rdx << 32) | (r.rax & 0xffff'ffff);
    if (gp || advanced) {
        r.rip = exit_.rip;
        run_->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
        return false;
    }
    flush_completion(true);
    return true;
}

// Has KVM finish the open exit now, without entering the guest. With `re_execute` the
// registers go back to what the reply left (RIP at the instruction, which runs again).
void Vcpu::flush_completion(bool re_execute)
{
    kvm_regs want = sync().regs;
    bool regs_dirty = (run_->kvm_dirty_regs & KVM_SYNC_X86_REGS) != 0;
    run_->kvm_dirty_regs &= ~static_cast<std::uint64_t>(KVM_SYNC_X86_REGS);
    run_->immediate_exit = 1;
    run_->kvm_valid_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS | KVM_SYNC_X86_EVENTS;
    run_vcpu_fd(fd_.get(), &calls_);
    run_->immediate_exit = 0;
    if (!re_execute && !regs_dirty) return;
    if (!re_execute) want.rip = sync().regs.rip; // KVM's completion moved it on
    sync().regs = want;
    run_->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
}

// INJ: the event goes into KVM's event state (the run page), which KVM injects at the entry.
void Vcpu::apply_injection()
{
    if ((inj_info_ & vmx::inj::valid) == 0) return;
    kvm_vcpu_events& e = sync().events;
    auto vector = static_cast<std::uint8_t>(inj_info_ & vmx::inj::vector_mask);
    switch (vmx::inj::type(inj_info_)) {
    case vmx::inj::type_ext_int:
    case vmx::inj::type_sw_int:
        e.interrupt.injected = 1;
        e.interrupt.nr = vector;
        e.interrupt.soft = vmx::inj::type(inj_info_) == vmx::inj::type_sw_int;
        break;
    case vmx::inj::type_nmi:
        e.nmi.pending = 1;
        e.flags |= KVM_VCPUEVENT_VALID_NMI_PENDING;
        break;
    default:
        e.exception.injected = 1;
        e.exception.nr = vector;
        e.exception.has_error_code = (inj_info_ & vmx::inj::error_code) != 0;
        e.exception.error_code = inj_error_;
        break;
    }
    run_->kvm_dirty_regs |= KVM_SYNC_X86_EVENTS;
    inj_info_ = 0;
}

void Vcpu::write_msrs()
{
    if (!msrs_ || msrs_->writes.empty()) return;
    abi::Msrs list{msrs_->writes.size()};
    std::uint32_t& n = list.header().nmsrs;
    for (auto [index, value] : msrs_->writes) {
        list.entries()[n].index = index;
        list.entries()[n].data = value;
        ++n;
    }
    checked_ioctl(fd_.get(), abi::set_msrs, list.data(), "KVM_SET_MSRS", &calls_);
    msrs_->writes.clear();
}

void Vcpu::write_back_lazy_groups()
{
    if (debug_dirty_) {
        checked_ioctl(fd_.get(), KVM_SET_DEBUGREGS, &*debug_, "KVM_SET_DEBUGREGS", &calls_);
        debug_dirty_ = false;
    }
    if (xsave_dirty_) {
        checked_ioctl(fd_.get(), abi::set_xsave, xsave_.get(), "KVM_SET_XSAVE", &calls_);
        xsave_dirty_ = false;
    }
    if (pdpte_dirty_) {
        // SREGS2 carries the segments too: the run page's, so one write says everything.
        std::memcpy(&*sregs2_, &sync().sregs, offsetof(kvm_sregs2, efer) + sizeof(std::uint64_t));
        sregs2_->apic_base = sync().sregs.apic_base;
        sregs2_->flags = KVM_SREGS2_FLAGS_PDPTRS_VALID;
        checked_ioctl(fd_.get(), KVM_SET_SREGS2, &*sregs2_, "KVM_SET_SREGS2", &calls_);
        run_->kvm_dirty_regs &= ~static_cast<std::uint64_t>(KVM_SYNC_X86_SREGS);
        pdpte_dirty_ = false;
    }
}

// A TSC write adds to the offset ([C14] §7.4): through KVM's per-vCPU TSC offset where the
// host has it, else by moving the guest's TSC by the same amount.
// Some hosts accept both requests and change nothing (PVM): each way is read back, and a host
// that offsets nothing is recorded (tsc_offsetting() is false) rather than pretended.
void Vcpu::apply_tsc_offset()
{
    tsc_offsetting_ = add_tsc_offset_by_attribute() || add_tsc_offset_by_msr();
    tsc_add_ = 0;
}

bool Vcpu::add_tsc_offset_by_attribute()
{
    std::uint64_t offset = 0;
    kvm_device_attr attr{0, KVM_VCPU_TSC_CTRL, KVM_VCPU_TSC_OFFSET,
                         reinterpret_cast<std::uint64_t>(&offset)};
    try {
        checked_ioctl(fd_.get(), KVM_GET_DEVICE_ATTR, &attr, "KVM_GET_DEVICE_ATTR(TSC)", &calls_);
        std::uint64_t wanted = offset += tsc_add_;
        checked_ioctl(fd_.get(), KVM_SET_DEVICE_ATTR, &attr, "KVM_SET_DEVICE_ATTR(TSC)", &calls_);
        checked_ioctl(fd_.get(), KVM_GET_DEVICE_ATTR, &attr, "KVM_GET_DEVICE_ATTR(TSC)", &calls_);
        return offset == wanted;
    } catch (Kvm_error const&) {
        return false;
    }
}

bool Vcpu::add_tsc_offset_by_msr()
{
    abi::Msrs tsc{1};
    tsc.header().nmsrs = 1;
    tsc.entries()[0].index = 0x10;
    checked_ioctl(fd_.get(), abi::get_msrs, tsc.data(), "KVM_GET_MSRS(TSC)", &calls_);
    std::uint64_t wanted = tsc.entries()[0].data + tsc_add_;
    tsc.entries()[0].data = wanted;
    checked_ioctl(fd_.get(), abi::set_msrs, tsc.data(), "KVM_SET_MSRS(TSC)", &calls_);
    checked_ioctl(fd_.get(), abi::get_msrs, tsc.data(), "KVM_GET_MSRS(TSC)", &calls_);
    return tsc.entries()[0].data - wanted < (std::uint64_t{1} << 32); // about where it was put
}

// INS/OUTS: KVM moved `count` elements through the run page's data area at once; the VMM sees
// them one exit at a time, and KVM finishes the instruction when all are through.
bool Vcpu::string_element_pending() const
{
    return exit_.string && exit_.completion == Completion::io && replied_;
}

nova::Vm_exit Vcpu::next_string_element()
{
    auto const& io = run_->io;
    auto* data = reinterpret_cast<std::uint8_t*>(run_) + io.data_offset;
    if (io.direction == KVM_EXIT_IO_IN)
        std::memcpy(data + string_done_ * io.size, &exit_.access.data, io.size);
    replied_ = false;
    if (++string_done_ == io.count) {
        exit_.completion = Completion::none;
        string_done_ = 0;
        return run();
    }
    exit_.access.count = io.count - string_done_;
    exit_.access.data = 0;
    if (io.direction == KVM_EXIT_IO_OUT)
        std::memcpy(&exit_.access.data, data + string_done_ * io.size, io.size);
    return exit_.exit;
}

} // namespace kvm
