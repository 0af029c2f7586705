// CPUID never leaves KVM, so NOVA's CPUID exit (0x0a) cannot reach the VMM while the guest runs.
// Instead the VMM answers once, before the first entry: one made-up CPUID exit per leaf that KVM
// supports, with the leaf in RAX/RCX as the guest would ask and KVM's own answer in the decoded-
// access extension; what the reply writes into RAX..RDX becomes the leaf in KVM's CPUID table.
#include "kvm/vcpu.hpp"
#include "nova/mtd.hpp"
#include "nova/vmx.hpp"

#include <vector>

namespace kvm {

using namespace nova;

namespace {

std::vector<kvm_cpuid_entry2> supported_cpuid(int kvm)
{
    constexpr std::uint32_t max_entries = 256;
    abi::Cpuid table{max_entries};
    table.header().nent = max_entries;
    checked_ioctl(kvm, abi::get_supported_cpuid, table.data(), "KVM_GET_SUPPORTED_CPUID");
    return {table.entries(), table.entries() + table.header().nent};
}

// KVM answers the APIC-ID fields (leaf 1 EBX[31:24], leaves 0xb and 0x1f EDX) from the host CPU
// the ioctl happened to run on; the vCPU's own ID goes there, so that what the VMM is told does
// not depend on the host's scheduler (and a recorded run replays on another host).
void with_apic_id(std::vector<kvm_cpuid_entry2>& entries, unsigned apic_id)
{
    for (kvm_cpuid_entry2& e : entries) {
        if (e.function == 1) e.ebx = (e.ebx & 0x00ff'ffffU) | (apic_id & 0xffU) << 24;
        if (e.function == 0xb || e.function == 0x1f) e.edx = apic_id;
    }
}

} // namespace

std::optional<nova::Vm_exit> Vcpu::next_cpuid_question(int kvm)
{
    if (!cpuid_) {
        cpuid_ = std::make_unique<Cpuid_collection>();
        cpuid_->entries = supported_cpuid(kvm);
        with_apic_id(cpuid_->entries, id_);
        cpuid_->saved = sync().regs;
    } else if (cpuid_->next > cpuid_->entries.size()) {
        return std::nullopt; // collected and handed to KVM already
    }
    kvm_regs& r = sync().regs;
    if (cpuid_->next > 0 && replied_ && (replied_mtd_ & mtd::gpr_acdb) != 0) {
        kvm_cpuid_entry2& answered = cpuid_->entries[cpuid_->next - 1];
        answered.eax = static_cast<std::uint32_t>(r.rax);
        answered.ebx = static_cast<std::uint32_t>(r.rbx);
        answered.ecx = static_cast<std::uint32_t>(r.rcx);
        answered.edx = static_cast<std::uint32_t>(r.rdx);
    }
    replied_ = false;
    if (cpuid_->next == cpuid_->entries.size()) {
        abi::Cpuid table{cpuid_->entries.size()};
        table.header().nent = static_cast<std::uint32_t>(cpuid_->entries.size());
        std::copy(cpuid_->entries.begin(), cpuid_->entries.end(), table.entries());
        checked_ioctl(fd_.get(), abi::set_cpuid2, table.data(), "KVM_SET_CPUID2", &calls_);
        r = cpuid_->saved;
        run_->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
        ++cpuid_->next;
        exit_ = Exit_record{};
        exit_.rip = exit_.kvm_rip = reply_rip_ = r.rip;
        return std::nullopt;
    }
    kvm_cpuid_entry2 const& e = cpuid_->entries[cpuid_->next++];
    r.rax = e.function, r.rcx = e.index, r.rbx = 0, r.rdx = 0;
    exit_ = Exit_record{Vm_exit{vmx::cpuid, {}, true}};
    exit_.rip = exit_.kvm_rip = reply_rip_ = r.rip;
    exit_.inst_len = 2;
    exit_.access.host[0] = e.eax, exit_.access.host[1] = e.ebx;
    exit_.access.host[2] = e.ecx, exit_.access.host[3] = e.edx;
    return exit_.exit;
}

} // namespace kvm
