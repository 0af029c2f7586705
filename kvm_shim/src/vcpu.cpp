// A KVM vCPU: creation, KVM_RUN, and the translation of KVM's exits into NOVA events.
#include "kvm/vcpu.hpp"

#include "nova/vmx.hpp"

#include <cstring>
#include <fmt/format.h>
#include <sys/mman.h>

namespace kvm {

using namespace nova;

namespace {
constexpr std::uint32_t sync_all = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS | KVM_SYNC_X86_EVENTS;
}

Vcpu::Vcpu(Vm& vm, int kvm, unsigned id, Calibration const& calibration)
    : vm_{vm}, id_{id}, calibration_{calibration}
{
    fd_ = Fd{checked_ioctl(vm.fd(), KVM_CREATE_VCPU, static_cast<unsigned long>(id),
                           "KVM_CREATE_VCPU", &calls_)};
    run_size_ = static_cast<std::size_t>(
        checked_ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0ul, "KVM_GET_VCPU_MMAP_SIZE"));
    void* page = ::mmap(nullptr, run_size_, PROT_READ | PROT_WRITE, MAP_SHARED, fd_.get(), 0);
    if (page == MAP_FAILED) throw Kvm_error{"mmap of the vCPU's run page", errno};
    run_ = static_cast<kvm_run*>(page);
    // Until the first exit the run page holds nothing: STARTUP needs the reset state.
    checked_ioctl(fd_.get(), KVM_GET_REGS, &sync().regs, "KVM_GET_REGS", &calls_);
    checked_ioctl(fd_.get(), KVM_GET_SREGS, &sync().sregs, "KVM_GET_SREGS", &calls_);
    checked_ioctl(fd_.get(), KVM_GET_VCPU_EVENTS, &sync().events, "KVM_GET_VCPU_EVENTS", &calls_);
    run_->kvm_valid_regs = sync_all;
    reply_rip_ = exit_.kvm_rip = exit_.rip = sync().regs.rip;
}

Vcpu::~Vcpu()
{
    if (run_ != nullptr) ::munmap(run_, run_size_);
}

nova::Vm_exit Vcpu::run()
{
    if (string_element_pending()) return next_string_element();
    prepare_entry();
    if (want_nmi_window_ && sync().events.nmi.masked == 0) {
        want_nmi_window_ = false; // KVM has no NMI-window exit: the window is open now
        exit_ = Exit_record{Vm_exit{vmx::nmi_window}};
        return exit_.exit;
    }
    if (vm_.slots() == 0) return fetch_from_nothing();
    run_->kvm_valid_regs = sync_all;
    ++runs_;
    bool exited = run_vcpu_fd(fd_.get(), &calls_);
    msrs_.reset(), debug_.reset(), xsave_.reset(), sregs2_.reset();
    reply_rip_ = sync().regs.rip;
    rip_written_ = false;
    if (!exited) {
        run_->immediate_exit = 0;
        exit_ = Exit_record{};
        exit_.rip = exit_.kvm_rip = reply_rip_;
        return exit_.exit;
    }
    exit_ = Exit_record{};
    exit_.rip = exit_.kvm_rip = reply_rip_;
    return translate();
}

nova::Vm_exit Vcpu::translate()
{
    switch (run_->exit_reason) {
    case KVM_EXIT_IO:
        return translate_io();
    case KVM_EXIT_MMIO:
        return translate_mmio();
    case KVM_EXIT_HLT:
        return translate_hlt();
    case KVM_EXIT_IRQ_WINDOW_OPEN:
        return exit_.exit = Vm_exit{vmx::intr_window};
    case KVM_EXIT_SHUTDOWN:
        return exit_.exit = Vm_exit{vmx::triple_fault};
    case KVM_EXIT_FAIL_ENTRY:
        return exit_.exit =
                   Vm_exit{vmx::invalid_state, {run_->fail_entry.hardware_entry_failure_reason, 0}};
    case KVM_EXIT_INTERNAL_ERROR:
        return translate_internal_error();
    case KVM_EXIT_X86_RDMSR:
        return translate_msr(vmx::rdmsr);
    case KVM_EXIT_X86_WRMSR:
        return translate_msr(vmx::wrmsr);
    case KVM_EXIT_SET_TPR:
        return exit_.exit = Vm_exit{vmx::tpr_below_threshold};
    case KVM_EXIT_INTR:
        return exit_.exit = Vm_exit{};
    default:
        return exit_.exit = Vm_exit{vmx::emulation_failure,
                                    {std::uint64_t{run_->exit_reason} << 32, exit_.kvm_rip}};
    }
}

Paging Vcpu::paging() const
{
    kvm_sregs const& s = sync().sregs;
    return Paging{s.cr0, s.cr3, s.cr4, s.efer};
}

// CS.D, or long mode: where 0x66 selects 16-bit operands.
bool Vcpu::code32() const
{
    kvm_segment const& cs = sync().sregs.cs;
    return cs.l != 0 || cs.db != 0;
}

// The RIP a reply leaves alone is this one (an instruction the guest executes again).
void Vcpu::set_rip(std::uint64_t rip)
{
    exit_.rip = reply_rip_ = rip;
    if (rip != sync().regs.rip) {
        sync().regs.rip = rip;
        run_->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
    }
}

// The length of the I/O instruction at RIP; where KVM leaves RIP after an OUT, it is decoded
// backwards and RIP goes back to the instruction. 0 when the code does not say.
unsigned Vcpu::io_length(Io_access const& access)
{
    std::uint64_t la = sync().sregs.cs.base + exit_.kvm_rip;
    bool after = !access.in && calibration_.out_rip_after;
    unsigned len = io_cache_.lookup(la, access, vm_.memory().generation());
    if (len == 0) len = decode_io_length(la, access, after);
    if (after && len != 0) set_rip(exit_.kvm_rip - len);
    return len;
}

unsigned Vcpu::decode_io_length(std::uint64_t la, Io_access const& access, bool after)
{
    std::uint8_t code[16]{};
    unsigned len = 0;
    if (!after) {
        std::size_t got = read_linear(vm_.memory(), paging(), la, code, sizeof code);
        len = io_length_at(code, got, access, code32(), sync().sregs.cs.l != 0);
    } else {
        std::size_t got = read_linear_before(vm_.memory(), paging(), la, code, sizeof code);
        len = io_length_before(code + sizeof code, got, access, code32());
    }
    std::uint64_t start = after ? la - len : la;
    auto gpa = linear_to_physical(vm_.memory(), paging(), start);
    if (len != 0 && gpa) {
        io_cache_.remember(la, access, vm_.memory().generation(), len,
                           vm_.memory().host(*gpa, false));
    }
    return len;
}

// A guest that exits at the same I/O instruction again (a driver's loop) is not decoded again,
// as long as guest memory is unchanged and the instruction's bytes are still the same.
unsigned Io_decode_cache::lookup(std::uint64_t at, Io_access const& access,
                                 std::uint64_t memory_generation) const
{
    if (host == nullptr || at != la || generation != memory_generation) return 0;
    if (access.port != io.port || access.size != io.size || access.in != io.in) return 0;
    if (access.string != io.string || std::memcmp(host, bytes, length) != 0) return 0;
    return length;
}

void Io_decode_cache::remember(std::uint64_t at, Io_access const& access,
                               std::uint64_t memory_generation, unsigned len,
                               std::uint8_t const* code)
{
    host = nullptr;
    if (code == nullptr || (reinterpret_cast<std::uintptr_t>(code) & 0xfff) + len > 4096) return;
    la = at, io = access, generation = memory_generation, length = len, host = code;
    std::memcpy(bytes, code, len);
}

// I/O: the VMX qualification, RIP at the instruction and its length, the data in the
// decoded-access extension. A string instruction is finished by KVM, element by element.
nova::Vm_exit Vcpu::translate_io()
{
    auto const& io = run_->io;
    bool in = io.direction == KVM_EXIT_IO_IN;
    exit_.string = io.count > 1;
    unsigned len = io_length(Io_access{io.port, io.size, in, exit_.string});
    if (len == 0 && !exit_.string) {
        len = io_length(Io_access{io.port, io.size, in, true}); // INS/OUTS of one element
        exit_.string = len != 0;
    }
    exit_.inst_len = len;
    exit_.completion = Completion::io;
    std::uint8_t const* data = reinterpret_cast<std::uint8_t const*>(run_) + io.data_offset;
    exit_.access.size = io.size;
    exit_.access.count = io.count;
    exit_.access.flags = in ? 0 : Utcb_access::write;
    if (!in) std::memcpy(&exit_.access.data, data, io.size);
    std::uint64_t qual = vmx::io_qual::make(io.size, in, io.port);
    if (exit_.string) qual |= vmx::io_qual::string;
    if (io.count > 1) qual |= vmx::io_qual::rep;
    return exit_.exit = Vm_exit{vmx::io, {qual, 0}};
}

// An access to guest-physical memory without a (writable) mapping: an EPT violation, with what
// KVM decoded of the access; KVM finishes the instruction with the data the reply gives.
nova::Vm_exit Vcpu::translate_mmio()
{
    auto const& m = run_->mmio;
    bool mapped = vm_.memory().host(m.phys_addr, false) != nullptr;
    std::uint64_t qual = m.is_write ? vmx::ept_qual::write : vmx::ept_qual::read;
    if (mapped) qual |= 1u << 3; // the page is readable: a write to read-only memory
    exit_.completion = m.is_write ? Completion::mmio_write : Completion::mmio_read;
    exit_.access.size = m.len;
    exit_.access.flags = m.is_write ? Utcb_access::write : 0;
    if (m.is_write) std::memcpy(&exit_.access.data, m.data, std::min<std::uint32_t>(m.len, 8));
    return exit_.exit = Vm_exit{vmx::ept_violation, {qual, m.phys_addr}};
}

// A VM without any memory cannot fetch its first instruction. Some hosts refuse to even enter
// it (PVM: KVM_RUN fails with ENOSPC); the fault VT-x would report is reported instead.
nova::Vm_exit Vcpu::fetch_from_nothing()
{
    exit_ = Exit_record{};
    exit_.rip = exit_.kvm_rip = reply_rip_ = sync().regs.rip;
    std::uint64_t la = sync().sregs.cs.base + exit_.rip;
    std::uint64_t gpa = linear_to_physical(vm_.memory(), paging(), la).value_or(la);
    return exit_.exit = Vm_exit{vmx::ept_violation, {vmx::ept_qual::fetch, gpa}};
}

// KVM has executed the HLT; NOVA reports RIP at it, and a reply that leaves RIP alone halts
// again. A host that notices an open interrupt window only at its next exit (PVM) halts first:
// when the VMM asked for the window and the guest can take an interrupt, the HLT is that
// window. The processor has halted by then, as VT-x's window exit in the HLT state finds it,
// so RIP is past the HLT: the interrupt the reply injects returns after it (returning to the
// HLT would halt the guest again with nothing left to wake it).
nova::Vm_exit Vcpu::translate_hlt()
{
    std::uint64_t after = calibration_.hlt_rip_after ? exit_.kvm_rip : exit_.kvm_rip + 1;
    exit_.inst_len = 1;
    if (want_window_ && run_->if_flag != 0 && run_->ready_for_interrupt_injection != 0) {
        set_rip(after);
        return exit_.exit = Vm_exit{vmx::intr_window};
    }
    set_rip(after - 1);
    return exit_.exit = Vm_exit{vmx::hlt};
}

// An instruction KVM could not emulate. Fetching from guest memory that is not mapped is one
// (KVM cannot read the instruction): that is the EPT violation a real VMX would report.
nova::Vm_exit Vcpu::translate_internal_error()
{
    std::uint64_t la = sync().sregs.cs.base + exit_.kvm_rip;
    auto gpa = linear_to_physical(vm_.memory(), paging(), la);
    std::uint32_t sub = run_->internal.suberror;
    if (sub == KVM_INTERNAL_ERROR_EMULATION && gpa && vm_.memory().host(*gpa, false) == nullptr)
        return exit_.exit = Vm_exit{vmx::ept_violation, {vmx::ept_qual::fetch, *gpa}};
    std::size_t got = read_linear(vm_.memory(), paging(), la, exit_.access.insn, 15);
    exit_.access.insn_len = static_cast<std::uint32_t>(got);
    std::uint64_t reason = std::uint64_t{KVM_EXIT_INTERNAL_ERROR} << 32 | sub;
    return exit_.exit = Vm_exit{vmx::emulation_failure, {reason, la}};
}

nova::Vm_exit Vcpu::translate_msr(mword event)
{
    exit_.inst_len = 2;
    exit_.completion = event == vmx::rdmsr ? Completion::rdmsr : Completion::wrmsr;
    return exit_.exit = Vm_exit{event, {run_->msr.index, 0}};
}

std::string Vcpu::describe() const
{
    kvm_regs const& r = sync().regs;
    kvm_sregs const& s = sync().sregs;
    return fmt::format("vCPU {}: rip {:#x} rsp {:#x} rflags {:#x} rax {:#x} rbx {:#x} rcx {:#x} "
                       "rdx {:#x} cs {:#x}/{:#x} cr0 {:#x} cr3 {:#x} cr4 {:#x} efer {:#x}; last "
                       "KVM exit {}",
                       id_, r.rip, r.rsp, r.rflags, r.rax, r.rbx, r.rcx, r.rdx, s.cs.selector,
                       s.cs.base, s.cr0, s.cr3, s.cr4, s.efer, run_->exit_reason);
}

} // namespace kvm
