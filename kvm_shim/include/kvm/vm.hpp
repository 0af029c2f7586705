// One KVM VM per PD whose vCPUs run: the VM file descriptor, its memory slots (mirroring the
// PD's guest view, Guest_memory) and the VM-wide set-up KVM needs before a vCPU runs.
#pragma once

#include "kvm/fd.hpp"
#include "kvm/guest_memory.hpp"

#include <cstdint>
#include <map>
#include <vector>

namespace kvm {

struct Vm_config {
    std::vector<std::uint32_t> intercepted_msrs; // also sent to the VMM (RDMSR/WRMSR exits)
};

class Vm {
  public:
    // Creates the VM on /dev/kvm (`kvm`): TSS area, MSR exits to user space, the MSR filter.
    // `memory` is the PD's guest memory, which outlives the VM (it exists before any vCPU).
    Vm(int kvm, Guest_memory& memory, Vm_config const& config);
    Vm(Vm const&) = delete;
    Vm& operator=(Vm const&) = delete;

    int fd() const { return fd_.get(); }
    Guest_memory& memory() { return memory_; }
    Guest_memory const& memory() const { return memory_; }
    // Brings KVM's memory slots in line with the guest memory's runs (coalesced; read-only
    // where the guest may not write). Slots that stay the same are left alone.
    void sync_slots();
    std::size_t slots() const { return slots_.size(); }
    std::uint64_t slot_calls() const { return slot_calls_; }

    // Where KVM keeps its real-mode TSS and identity map: guest memory must leave it free.
    static constexpr std::uint64_t tss_gpa = 0xfffb'd000;
    static constexpr std::uint64_t identity_map_gpa = 0xfffb'c000;

  private:
    struct Slot {
        std::uint32_t id;
        Guest_run run;
    };

    void set_region(std::uint32_t id, std::uint64_t first_page, Guest_run const* run);
    void filter_msrs(std::vector<std::uint32_t> const& msrs);

    Fd fd_;
    Guest_memory& memory_;
    std::map<std::uint64_t, Slot> slots_; // by first guest page
    std::vector<std::uint32_t> free_ids_;
    std::uint32_t next_id_{0};
    std::uint64_t slot_calls_{0};
};

} // namespace kvm
