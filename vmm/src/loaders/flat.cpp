#include "vmm/loaders/flat.hpp"

#include <fmt/format.h>

namespace vmm {

Load_result<Loaded_image> load_flat(Guest_memory& memory, std::span<u8 const> image, u64 address)
{
    if (image.empty()) return Load_error{Load_failure::empty_image, "the flat binary is empty"};
    if (!memory.write(address, image))
        return Load_error{Load_failure::outside_ram,
                          fmt::format("{} bytes at {:#x} do not lie inside one RAM region",
                                      image.size(), address)};
    return Loaded_image{address, address, address + image.size(), 0};
}

} // namespace vmm
