#include "vmm/guest_memory.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

namespace vmm {

bool Guest_memory::contains(u64 gpa, u64 size)
{
    return size == 0 || host(gpa, size) != nullptr;
}

bool Guest_memory::write(u64 gpa, std::span<u8 const> bytes)
{
    if (bytes.empty()) return true;
    u8* target = host(gpa, bytes.size());
    if (target == nullptr) return false;
    std::memcpy(target, bytes.data(), bytes.size());
    return true;
}

bool Guest_memory::fill(u64 gpa, u8 value, u64 size)
{
    if (size == 0) return true;
    u8* target = host(gpa, size);
    if (target == nullptr) return false;
    std::memset(target, value, size);
    return true;
}

bool Guest_memory::read(u64 gpa, std::span<u8> bytes)
{
    if (bytes.empty()) return true;
    u8 const* source = host(gpa, bytes.size());
    if (source == nullptr) return false;
    std::memcpy(bytes.data(), source, bytes.size());
    return true;
}

void Guest_ram::add_region(u64 gpa, std::span<u8> host)
{
    Address_range const range{gpa, host.size()};
    if (host.empty() || gpa > ~u64{0} - (host.size() - 1))
        throw Config_error(fmt::format("guest RAM at {:#x} of size {:#x} is empty or wraps around",
                                       gpa, host.size()));
    for (Region const& r : regions_)
        if (r.range.overlaps(range))
            throw Config_error(fmt::format("guest RAM at {:#x}-{:#x} overlaps {:#x}-{:#x}",
                                           range.base, range.last(), r.range.base, r.range.last()));
    auto at = std::find_if(regions_.begin(), regions_.end(),
                           [&](Region const& r) { return r.range.base > gpa; });
    regions_.insert(at, {range, host.data()});
}

void Guest_ram::add_owned_region(u64 gpa, u64 size)
{
    std::vector<u8> buffer(size, 0);
    add_region(gpa, buffer);
    owned_.push_back(std::move(buffer)); // moving a vector keeps its buffer where it is
}

std::vector<Address_range> Guest_ram::regions() const
{
    std::vector<Address_range> out;
    for (Region const& r : regions_) out.push_back(r.range);
    return out;
}

u8* Guest_ram::host(u64 gpa, u64 size)
{
    if (size == 0) return nullptr;
    for (Region const& r : regions_)
        if (r.range.contains(gpa) && size - 1 <= r.range.last() - gpa)
            return r.host + (gpa - r.range.base);
    return nullptr;
}

} // namespace vmm
