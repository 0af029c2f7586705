#include "kvm/vm.hpp"

#include <algorithm>
#include <cstring>
#include <linux/kvm.h>
#include <memory>

namespace kvm {

Vm::Vm(int kvm, Guest_memory& memory, Vm_config const& config) : memory_{memory}
{
    fd_ = Fd{checked_ioctl(kvm, KVM_CREATE_VM, 0ul, "KVM_CREATE_VM")};
    checked_ioctl(fd(), KVM_SET_TSS_ADDR, tss_gpa, "KVM_SET_TSS_ADDR");
    std::uint64_t identity = identity_map_gpa;
    checked_ioctl(fd(), KVM_SET_IDENTITY_MAP_ADDR, &identity, "KVM_SET_IDENTITY_MAP_ADDR");
    // RDMSR/WRMSR of MSRs KVM does not know (or is told to deny) exit to user space, where the
    // shim makes them events 0x1f/0x20 instead of a #GP inside KVM.
    kvm_enable_cap cap{};
    cap.cap = KVM_CAP_X86_USER_SPACE_MSR;
    cap.args[0] =
        KVM_MSR_EXIT_REASON_UNKNOWN | KVM_MSR_EXIT_REASON_INVAL | KVM_MSR_EXIT_REASON_FILTER;
    checked_ioctl(fd(), KVM_ENABLE_CAP, &cap, "KVM_ENABLE_CAP(X86_USER_SPACE_MSR)");
    if (!config.intercepted_msrs.empty()) filter_msrs(config.intercepted_msrs);
}

// A filter that allows everything except the listed MSRs, which then exit to user space.
void Vm::filter_msrs(std::vector<std::uint32_t> const& msrs)
{
    kvm_msr_filter filter{};
    filter.flags = KVM_MSR_FILTER_DEFAULT_ALLOW;
    std::size_t n = std::min<std::size_t>(msrs.size(), KVM_MSR_FILTER_MAX_RANGES);
    std::vector<std::uint8_t> deny(n, 0); // one bit per range of one MSR: 0 denies
    for (std::size_t i = 0; i < n; ++i) {
        kvm_msr_filter_range& r = filter.ranges[i];
        r.flags = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE;
        r.base = msrs[i];
        r.nmsrs = 1;
        r.bitmap = &deny[i];
    }
    checked_ioctl(fd(), KVM_X86_SET_MSR_FILTER, &filter, "KVM_X86_SET_MSR_FILTER");
}

void Vm::set_region(std::uint32_t id, std::uint64_t first_page, Guest_run const* run)
{
    kvm_userspace_memory_region region{};
    region.slot = id;
    region.guest_phys_addr = first_page << 12;
    if (run != nullptr) {
        region.memory_size = run->pages << 12;
        region.userspace_addr = reinterpret_cast<std::uint64_t>(memory_.frame_bytes(run->frame));
        region.flags = run->writable ? 0 : KVM_MEM_READONLY;
    }
    checked_ioctl(fd(), KVM_SET_USER_MEMORY_REGION, &region, "KVM_SET_USER_MEMORY_REGION",
                  &slot_calls_);
}

// Deletes every slot that no longer matches a run first (slots may never overlap), then adds
// the runs that have no slot yet.
void Vm::sync_slots()
{
    auto const& runs = memory_.runs();
    for (auto it = slots_.begin(); it != slots_.end();) {
        auto run = runs.find(it->first);
        if (run != runs.end() && run->second == it->second.run) {
            ++it;
            continue;
        }
        set_region(it->second.id, it->first, nullptr);
        free_ids_.push_back(it->second.id);
        it = slots_.erase(it);
    }
    for (auto const& [first, run] : runs) {
        if (slots_.contains(first)) continue;
        std::uint32_t id = next_id_;
        if (!free_ids_.empty()) {
            id = free_ids_.back();
            free_ids_.pop_back();
        } else {
            ++next_id_;
        }
        set_region(id, first, &run);
        slots_[first] = Slot{id, run};
    }
}

} // namespace kvm
