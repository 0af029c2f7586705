#include "vmm/vm/frame_ram.hpp"

#include "sim/physical_memory.hpp"
#include "vmm/types.hpp"

namespace vmm {

Frame_ram::Frame_ram(sim::Physical_memory& memory, u64 first_frame, u64 bytes)
    : base_{memory.frame(first_frame)}, first_frame_{first_frame}, bytes_{bytes & ~u64{0xfff}}
{
    if (bytes_ == 0 || first_frame + pages() > memory.kernel_first_frame())
        throw Config_error("guest RAM does not fit in the machine's memory");
}

std::vector<Address_range> Frame_ram::regions() const
{
    return {Address_range{0, bytes_}};
}

u8* Frame_ram::host(u64 gpa, u64 size)
{
    if (size == 0 || gpa >= bytes_ || size > bytes_ - gpa) return nullptr;
    return base_ + gpa;
}

} // namespace vmm
