// What the kernel needs from the machine under it. sim/ implements this for the host; a
// bare-metal port implements it again. The kernel never reaches past this interface.
#pragma once

#include "types.hpp"

namespace nova {

class Platform {
  public:
    // One zeroed, page-aligned page of kernel memory, or nullptr when the pool is exhausted.
    virtual void* alloc_page() = 0;
    virtual void free_page(void* page) = 0;

    // Physical frame number of a kernel page (kernel pages are part of the simulated machine).
    virtual mword frame_of(void const* page) = 0;

    // The simulated time stamp counter.
    virtual u64 tsc() = 0;

  protected:
    Platform() = default;
    Platform(Platform const&) = default;
    Platform& operator=(Platform const&) = default;
    ~Platform() = default;
};

} // namespace nova
