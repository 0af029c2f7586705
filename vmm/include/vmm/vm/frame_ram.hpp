// Guest RAM backed by a run of the simulated machine's frames, as the VMM delegates them to the
// VM (with the G flag) and as the loaders write into them: guest-physical 0 is `first_frame`.
#pragma once

#include "vmm/guest_memory.hpp"

namespace sim {
class Physical_memory;
}

namespace vmm {

class Frame_ram final : public Guest_memory {
  public:
    Frame_ram(sim::Physical_memory& memory, u64 first_frame, u64 bytes);

    std::vector<Address_range> regions() const override;
    u8* host(u64 gpa, u64 size) override;

    u64 first_frame() const { return first_frame_; }
    u64 pages() const { return bytes_ / 4096; }

  private:
    u8* base_;
    u64 first_frame_;
    u64 bytes_;
};

} // namespace vmm
