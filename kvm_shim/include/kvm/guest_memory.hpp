// The guest-physical memory of one VM: what the kernel's guest view of the VM's PD maps
// (delegations with the G flag), as runs of pages backed by frames of the simulated machine.
// Changes arrive as dirty ranges (Platform::guest_view_changed) and are read back from the
// kernel before the next entry, which is when KVM's memory slots must agree.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace nova {
class Kernel;
class Pd;
} // namespace nova

namespace sim {
class Physical_memory;
}

namespace kvm {

using std::uint64_t;

struct Guest_run {
    uint64_t pages;
    uint64_t frame; // of the first page; frames are consecutive
    bool writable;

    bool operator==(Guest_run const&) const = default;
};

// Owned by the backend's VM; touched only on the simulator's host thread.
class Guest_memory {
  public:
    explicit Guest_memory(sim::Physical_memory& ram) : ram_{ram} {}

    void changed(uint64_t first_page, uint64_t count) { dirty_.push_back({first_page, count}); }
    bool dirty() const { return !dirty_.empty(); }
    // Reads every dirty range back from the kernel's guest view of `pd`; true if runs changed.
    bool refresh(nova::Kernel& kernel, nova::Pd& pd);

    // The host bytes behind guest-physical `gpa` up to the end of its page, or nullptr when
    // the page is not mapped (or not writable, for a write).
    std::uint8_t* host(uint64_t gpa, bool write) const;
    // Copies guest-physical bytes; false when a page on the way is not mapped.
    bool read(uint64_t gpa, void* dst, std::size_t size) const;
    bool write(uint64_t gpa, void const* src, std::size_t size) const;

    // First page of each run, coalesced: neighbouring pages with neighbouring frames and the
    // same rights are one run.
    std::map<uint64_t, Guest_run> const& runs() const { return runs_; }
    // Counts the refreshes that changed something: a pointer into guest memory taken at one
    // generation is valid while it lasts.
    uint64_t generation() const { return generation_; }
    std::uint8_t* frame_bytes(uint64_t frame) const;

  private:
    void forget(uint64_t first, uint64_t end);
    void add(uint64_t first, Guest_run run);
    void merge_around(uint64_t first);

    sim::Physical_memory& ram_;
    std::map<uint64_t, Guest_run> runs_;
    std::vector<std::pair<uint64_t, uint64_t>> dirty_;
    uint64_t generation_{0};
};

} // namespace kvm
