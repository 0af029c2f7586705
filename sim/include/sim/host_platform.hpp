// The platform interface of kernel_core implemented for a host process: kernel pages from the
// kernel region of the simulated physical memory, and a simulated TSC.
#pragma once

#include "nova/platform.hpp"
#include "sim/physical_memory.hpp"

#include <cstdint>
#include <vector>

namespace sim {

class Host_platform final : public nova::Platform {
  public:
    explicit Host_platform(Physical_memory& memory);

    void* alloc_page() override;
    void free_page(void* page) override;
    nova::mword frame_of(void const* page) override;
    std::uint64_t tsc() override { return tsc_; }

    void advance(std::uint64_t cycles) { tsc_ += cycles; }
    std::size_t free_pages() const { return free_.size(); }
    std::size_t total_pages() const { return total_; }
    // Lets tests starve the kernel: only `pages` more allocations succeed (SIZE_MAX: no limit).
    void limit_pages(std::size_t pages) { budget_ = pages; }

  private:
    Physical_memory& memory_;
    std::vector<void*> free_;
    std::size_t total_;
    std::size_t budget_{SIZE_MAX};
    std::uint64_t tsc_{0};
};

} // namespace sim
