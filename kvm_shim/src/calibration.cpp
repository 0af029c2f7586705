// Where this KVM leaves RIP at an OUT exit and at a HLT exit, measured on a throw-away VM whose
// one page holds "out 0x80, al; hlt" at 0x1000.
#include "kvm/vcpu.hpp"

#include <cstring>
#include <sys/mman.h>

namespace kvm {

Calibration Calibration::measure(int kvm)
{
    Fd vm{checked_ioctl(kvm, KVM_CREATE_VM, 0ul, "KVM_CREATE_VM (calibration)")};
    checked_ioctl(vm.get(), KVM_SET_TSS_ADDR, Vm::tss_gpa, "KVM_SET_TSS_ADDR");
    void* page = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) throw Kvm_error{"mmap (calibration)", errno};
    static constexpr std::uint8_t code[] = {0xe6, 0x80, 0xf4};
    std::memcpy(page, code, sizeof code);
    kvm_userspace_memory_region region{0, 0, 0x1000, 4096, reinterpret_cast<std::uint64_t>(page)};
    checked_ioctl(vm.get(), KVM_SET_USER_MEMORY_REGION, &region, "KVM_SET_USER_MEMORY_REGION");
    Fd vcpu{checked_ioctl(vm.get(), KVM_CREATE_VCPU, 0ul, "KVM_CREATE_VCPU (calibration)")};
    auto size = static_cast<std::size_t>(
        checked_ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0ul, "KVM_GET_VCPU_MMAP_SIZE"));
    auto* run = static_cast<kvm_run*>(
        ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu.get(), 0));
    kvm_sregs s{};
    checked_ioctl(vcpu.get(), KVM_GET_SREGS, &s, "KVM_GET_SREGS");
    s.cs.base = 0, s.cs.selector = 0;
    checked_ioctl(vcpu.get(), KVM_SET_SREGS, &s, "KVM_SET_SREGS");
    kvm_regs r{};
    r.rip = 0x1000, r.rflags = 2;
    checked_ioctl(vcpu.get(), KVM_SET_REGS, &r, "KVM_SET_REGS");
    Calibration c{};
    run->kvm_valid_regs = KVM_SYNC_X86_REGS;
    for (int exits = 0; exits < 2 && run_vcpu_fd(vcpu.get()); ++exits) {
        if (run->exit_reason == KVM_EXIT_IO) c.out_rip_after = run->s.regs.regs.rip == 0x1002;
        if (run->exit_reason == KVM_EXIT_HLT) c.hlt_rip_after = run->s.regs.regs.rip == 0x1003;
    }
    ::munmap(run, size);
    ::munmap(page, 4096);
    return c;
}

} // namespace kvm
