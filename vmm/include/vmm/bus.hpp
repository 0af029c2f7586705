// The device bus: port I/O and MMIO dispatch by address range, and the interrupt lines.
//
// A device claims ranges and the access sizes it takes whole. An access that fits one claim and
// has one of its sizes goes to that device in one call; any other access (wider than the device
// takes, or straddling two claims) is split into single bytes, each dispatched on its own and
// reassembled little-endian, as an 8-bit ISA device sees a 16-bit access. A byte nobody claims
// reads 0xff and drops writes; such accesses are counted and logged (spdlog, debug level) and
// never raise anything. Addresses reach devices unchanged (a device knows its own base).
//
// Each vCPU may have local MMIO claims (its LAPIC page at 0xfee00000): a vCPU's access looks at
// its own local claims first, then at the global ones. Local claims never overlap global ones.
//
// The Bus runs on the VMM's one thread. It does not own devices; they must outlive it. A
// Config_error while wiring means the machine is wired wrongly: discard the bus with it (the
// claims made before the error stay).
#pragma once

#include "vmm/irq.hpp"
#include "vmm/range_map.hpp"

#include <optional>
#include <string>
#include <vector>

namespace vmm {

// Port-I/O side of a device. `size` is 1, 2 or 4 and one of the sizes it registered with;
// `value` is already truncated to `size` bytes; a read's result is truncated by the bus.
class Io_device {
  public:
    virtual ~Io_device() = default;
    virtual u32 io_read(u16 port, unsigned size) = 0;
    virtual void io_write(u16 port, unsigned size, u32 value) = 0;
};

// MMIO side of a device: as Io_device, with sizes up to 8.
class Mmio_device {
  public:
    virtual ~Mmio_device() = default;
    virtual u64 mmio_read(u64 address, unsigned size) = 0;
    virtual void mmio_write(u64 address, unsigned size, u64 value) = 0;
};

enum class Space : u8 { io, mmio };

struct Stray_access {
    Space space;
    bool write;
    u64 address;
    unsigned size;
    Vcpu_id vcpu; // 0 for port I/O
};

// Accesses that reached no device, counted per byte when the access was split.
struct Bus_stats {
    u64 unclaimed_reads{0};
    u64 unclaimed_writes{0};
    u64 refused{0}; // a device is there but takes neither this size nor single bytes
    std::optional<Stray_access> last_stray;
};

class Bus {
  public:
    Bus() = default;
    Bus(Bus const&) = delete;
    Bus& operator=(Bus const&) = delete;

    // Each refuses an empty range, a range outside its space and any overlap with Config_error,
    // naming both claims.
    void add_io(Address_range ports, Io_device& device, std::string name, Widths widths);
    void add_mmio(Address_range range, Mmio_device& device, std::string name, Widths widths);
    void add_local_mmio(Vcpu_id vcpu, Address_range range, Mmio_device& device, std::string name,
                        Widths widths);

    // Sizes other than 1, 2, 4 (port I/O) or 1, 2, 4, 8 (MMIO) are refused like stray accesses.
    u32 io_in(u16 port, unsigned size);
    void io_out(u16 port, unsigned size, u32 value);
    u64 mmio_read(Vcpu_id vcpu, u64 address, unsigned size);
    void mmio_write(Vcpu_id vcpu, u64 address, unsigned size, u64 value);

    // Whether an access by this vCPU at this guest-physical address reaches a device: what the
    // vCPU side asks before treating a fault as MMIO.
    bool claims_mmio(Vcpu_id vcpu, u64 address) const;

    Bus_stats const& stats() const { return stats_; }
    Irq_lines& irq_lines() { return irq_lines_; }
    Irq_lines const& irq_lines() const { return irq_lines_; }
    std::vector<Claim<Io_device>> const& io_claims() const { return io_.claims(); }
    std::vector<Claim<Mmio_device>> const& mmio_claims() const { return mmio_.claims(); }

  private:
    struct Access {
        Space space;
        Vcpu_id vcpu;
        u64 address;
        unsigned size;
    };

    template <typename Device>
    u64 read(Range_map<Device> const* local, Range_map<Device> const& global, Access access);
    template <typename Device>
    void write(Range_map<Device> const* local, Range_map<Device> const& global, Access access,
               u64 value);
    void stray(Access access, bool write, bool refused);
    Range_map<Mmio_device> const* local_map(Vcpu_id vcpu) const;

    Range_map<Io_device> io_;
    Range_map<Mmio_device> mmio_;
    std::vector<Range_map<Mmio_device>> local_mmio_; // indexed by vCPU
    Irq_lines irq_lines_;
    Bus_stats stats_;
};

// All ones in `size` bytes (size 1 to 8).
constexpr u64 all_ones(unsigned size)
{
    return size >= 8 ? ~u64{0} : (u64{1} << (8 * size)) - 1;
}

} // namespace vmm
