// A flat binary: the bytes as they are, at one guest-physical address, entered at its start.
#pragma once

#include "vmm/guest_memory.hpp"
#include "vmm/loaders/load_result.hpp"

#include <span>

namespace vmm {

// Refuses an empty image and one that would not lie inside one RAM region.
Load_result<Loaded_image> load_flat(Guest_memory& memory, std::span<u8 const> image, u64 address);

} // namespace vmm
