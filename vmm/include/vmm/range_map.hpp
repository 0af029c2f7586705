// Disjoint address ranges, each naming the device that claims it: the lookup table behind both
// the port-I/O and the MMIO side of the Bus.
#pragma once

#include "vmm/types.hpp"

#include <string>
#include <vector>

namespace vmm {

// [base, base + size); size 0 is refused where ranges are registered.
struct Address_range {
    u64 base;
    u64 size;

    u64 last() const { return base + size - 1; } // no overflow for ranges that end at 2^64
    bool contains(u64 address) const { return address >= base && address - base < size; }
    bool contains(u64 address, unsigned bytes) const
    {
        return contains(address) && bytes - 1 <= last() - address;
    }
    bool overlaps(Address_range const& other) const
    {
        return base <= other.last() && other.base <= last();
    }
};

// Access sizes a device takes whole, as a set of byte counts (1, 2, 4, 8 are distinct bits):
// Widths{1 | 2 | 4}. An access of another size reaches the device as single bytes, if it takes
// those.
struct Widths {
    unsigned sizes;

    bool has(unsigned bytes) const
    {
        return bytes <= 8 && (bytes & (bytes - 1)) == 0 && (sizes & bytes) != 0;
    }
};

// A device's claim; Device is Io_device or Mmio_device. The map does not own the device.
template <typename Device> struct Claim {
    Address_range range;
    Device* device;
    Widths widths;
    std::string name;
};

template <typename Device> class Range_map {
  public:
    // Kept sorted by base. Overlap checks are the Bus's (it knows every map that must stay
    // disjoint from this one).
    void insert(Claim<Device> claim)
    {
        auto at = claims_.begin();
        while (at != claims_.end() && at->range.base < claim.range.base) ++at;
        claims_.insert(at, std::move(claim));
    }

    Claim<Device> const* find(u64 address) const
    {
        std::size_t low = 0, high = claims_.size();
        while (low < high) { // the last claim whose base is at or below address
            std::size_t const mid = (low + high) / 2;
            if (claims_[mid].range.base <= address)
                low = mid + 1;
            else
                high = mid;
        }
        if (low == 0) return nullptr;
        Claim<Device> const& claim = claims_[low - 1];
        return claim.range.contains(address) ? &claim : nullptr;
    }

    Claim<Device> const* overlapping(Address_range range) const
    {
        for (Claim<Device> const& claim : claims_)
            if (claim.range.overlaps(range)) return &claim;
        return nullptr;
    }

    std::vector<Claim<Device>> const& claims() const { return claims_; }

  private:
    std::vector<Claim<Device>> claims_;
};

} // namespace vmm
