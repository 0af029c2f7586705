// Guest-physical memory as the loaders (and later DMA-capable devices) see it: RAM regions and
// bounds-checked copies into and out of them. The vCPU side implements it over the guest RAM it
// gives KVM, or uses Guest_ram with its own host buffers.
#pragma once

#include "vmm/range_map.hpp"

#include <span>
#include <vector>

namespace vmm {

class Guest_memory {
  public:
    virtual ~Guest_memory() = default;

    // The RAM regions, sorted by base and disjoint.
    virtual std::vector<Address_range> regions() const = 0;
    // The host bytes behind [gpa, gpa + size) (size ≥ 1), which must lie inside one region;
    // nullptr otherwise.
    virtual u8* host(u64 gpa, u64 size) = 0;

    // Each is false, and changes nothing, unless the whole range lies inside one region. An
    // empty range is always inside.
    bool contains(u64 gpa, u64 size);
    bool write(u64 gpa, std::span<u8 const> bytes);
    bool fill(u64 gpa, u8 value, u64 size);
    bool read(u64 gpa, std::span<u8> bytes);
};

// Guest RAM over host buffers: borrowed ones (the vCPU side's memory slots) or ones it owns.
class Guest_ram final : public Guest_memory {
  public:
    // Config_error for an empty region or one that overlaps another or wraps around.
    void add_region(u64 gpa, std::span<u8> host);
    void add_owned_region(u64 gpa, u64 size);

    std::vector<Address_range> regions() const override;
    u8* host(u64 gpa, u64 size) override;

  private:
    struct Region {
        Address_range range;
        u8* host;
    };
    std::vector<Region> regions_;        // sorted by base
    std::vector<std::vector<u8>> owned_; // the buffers of add_owned_region
};

} // namespace vmm
