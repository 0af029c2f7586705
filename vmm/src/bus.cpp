#include "vmm/bus.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace vmm {

namespace {

constexpr u64 port_space = 0x10000;

std::string describe(Address_range range)
{
    return fmt::format("{:#x}-{:#x}", range.base, range.last());
}

void check_fits(Address_range range, u64 space_size, char const* what, std::string const& name)
{
    bool const fits =
        range.size != 0 && range.base < space_size && range.size <= space_size - range.base;
    if (!fits)
        throw Config_error(fmt::format("{} range base {:#x} size {:#x} for '{}' is empty or "
                                       "outside the {} space",
                                       what, range.base, range.size, name, what));
}

template <typename Device>
void refuse_overlap(Range_map<Device> const& map, Address_range range, char const* what,
                    std::string const& name)
{
    Claim<Device> const* other = map.overlapping(range);
    if (other == nullptr) return;
    throw Config_error(fmt::format("{} range {} for '{}' overlaps {} of '{}'", what,
                                   describe(range), name, describe(other->range), other->name));
}

u64 device_read(Claim<Io_device> const& claim, u64 address, unsigned size)
{
    return claim.device->io_read(static_cast<u16>(address), size);
}

u64 device_read(Claim<Mmio_device> const& claim, u64 address, unsigned size)
{
    return claim.device->mmio_read(address, size);
}

void device_write(Claim<Io_device> const& claim, u64 address, unsigned size, u64 value)
{
    claim.device->io_write(static_cast<u16>(address), size, static_cast<u32>(value));
}

void device_write(Claim<Mmio_device> const& claim, u64 address, unsigned size, u64 value)
{
    claim.device->mmio_write(address, size, value);
}

template <typename Device>
Claim<Device> const* route(Range_map<Device> const* local, Range_map<Device> const& global,
                           u64 address)
{
    if (local != nullptr)
        if (Claim<Device> const* claim = local->find(address)) return claim;
    return global.find(address);
}

template <typename Device> bool takes_whole(Claim<Device> const* claim, u64 address, unsigned size)
{
    return claim != nullptr && claim->range.contains(address, size) && claim->widths.has(size);
}

bool valid_size(Space space, unsigned size)
{
    return size == 1 || size == 2 || size == 4 || (size == 8 && space == Space::mmio);
}

} // namespace

void Bus::add_io(Address_range ports, Io_device& device, std::string name, Widths widths)
{
    check_fits(ports, port_space, "port", name);
    refuse_overlap(io_, ports, "port", name);
    io_.insert({ports, &device, widths, std::move(name)});
}

void Bus::add_mmio(Address_range range, Mmio_device& device, std::string name, Widths widths)
{
    check_fits(range, ~u64{0}, "MMIO", name);
    refuse_overlap(mmio_, range, "MMIO", name);
    for (Range_map<Mmio_device> const& local : local_mmio_)
        refuse_overlap(local, range, "MMIO", name);
    mmio_.insert({range, &device, widths, std::move(name)});
}

void Bus::add_local_mmio(Vcpu_id vcpu, Address_range range, Mmio_device& device, std::string name,
                         Widths widths)
{
    check_fits(range, ~u64{0}, "MMIO", name);
    refuse_overlap(mmio_, range, "MMIO", name);
    if (vcpu >= local_mmio_.size()) local_mmio_.resize(vcpu + 1);
    refuse_overlap(local_mmio_[vcpu], range, "MMIO", name);
    local_mmio_[vcpu].insert({range, &device, widths, std::move(name)});
}

u32 Bus::io_in(u16 port, unsigned size)
{
    return static_cast<u32>(read<Io_device>(nullptr, io_, {Space::io, 0, port, size}));
}

void Bus::io_out(u16 port, unsigned size, u32 value)
{
    write<Io_device>(nullptr, io_, {Space::io, 0, port, size}, value);
}

u64 Bus::mmio_read(Vcpu_id vcpu, u64 address, unsigned size)
{
    return read<Mmio_device>(local_map(vcpu), mmio_, {Space::mmio, vcpu, address, size});
}

void Bus::mmio_write(Vcpu_id vcpu, u64 address, unsigned size, u64 value)
{
    write<Mmio_device>(local_map(vcpu), mmio_, {Space::mmio, vcpu, address, size}, value);
}

bool Bus::claims_mmio(Vcpu_id vcpu, u64 address) const
{
    return route<Mmio_device>(local_map(vcpu), mmio_, address) != nullptr;
}

template <typename Device>
u64 Bus::read(Range_map<Device> const* local, Range_map<Device> const& global, Access access)
{
    if (!valid_size(access.space, access.size)) {
        stray(access, false, true);
        return all_ones(access.size);
    }
    Claim<Device> const* claim = route(local, global, access.address);
    if (takes_whole(claim, access.address, access.size))
        return device_read(*claim, access.address, access.size) & all_ones(access.size);
    if (access.size == 1) {
        stray(access, false, claim != nullptr);
        return 0xff;
    }
    u64 value = 0;
    for (unsigned i = 0; i < access.size; ++i) {
        Access const byte{access.space, access.vcpu, access.address + i, 1};
        value |= read(local, global, byte) << (8 * i);
    }
    return value;
}

template <typename Device>
void Bus::write(Range_map<Device> const* local, Range_map<Device> const& global, Access access,
                u64 value)
{
    if (!valid_size(access.space, access.size)) return stray(access, true, true);
    value &= all_ones(access.size);
    Claim<Device> const* claim = route(local, global, access.address);
    if (takes_whole(claim, access.address, access.size))
        return device_write(*claim, access.address, access.size, value);
    if (access.size == 1) return stray(access, true, claim != nullptr);
    for (unsigned i = 0; i < access.size; ++i) {
        Access const byte{access.space, access.vcpu, access.address + i, 1};
        write(local, global, byte, (value >> (8 * i)) & 0xff);
    }
}

void Bus::stray(Access access, bool write, bool refused)
{
    if (refused)
        ++stats_.refused;
    else if (write)
        ++stats_.unclaimed_writes;
    else
        ++stats_.unclaimed_reads;
    stats_.last_stray = Stray_access{access.space, write, access.address, access.size, access.vcpu};
    spdlog::debug("vmm bus: {} {} {} at {:#x} size {} (vCPU {})", refused ? "refused" : "unclaimed",
                  access.space == Space::io ? "port" : "MMIO", write ? "write" : "read",
                  access.address, access.size, access.vcpu);
}

Range_map<Mmio_device> const* Bus::local_map(Vcpu_id vcpu) const
{
    return vcpu < local_mmio_.size() ? &local_mmio_[vcpu] : nullptr;
}

} // namespace vmm
