// Reads and writes through a PD's memory space, as an in-process component does: a virtual
// address is looked up in the host view of the PD's memory space, the mapping's rights are
// checked, and the bytes live in the simulated physical memory. An access that no mapping allows
// fails and names the first page that faulted (the IPC issue turns that into a page fault).
#pragma once

#include "nova/kernel.hpp"
#include "sim/physical_memory.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace sim {

struct Memory_fault {
    std::uint64_t addr; // the first faulting byte
    bool write;
};

class Memory_access {
  public:
    Memory_access(nova::Kernel& kernel, Physical_memory& memory, nova::Pd& pd)
        : kernel_{kernel}, memory_{memory}, pd_{pd}
    {
    }

    std::optional<Memory_fault> read(std::uint64_t addr, void* dst, std::size_t size) const;
    std::optional<Memory_fault> write(std::uint64_t addr, void const* src, std::size_t size) const;

    // The host byte behind `addr` if the mapping grants `rights` (nova::perm::mem_*), else nullptr.
    std::uint8_t* byte(std::uint64_t addr, std::uint8_t rights) const;

  private:
    template <typename Copy>
    std::optional<Memory_fault> access(std::uint64_t addr, std::size_t size, bool write,
                                       Copy copy) const;

    nova::Kernel& kernel_;
    Physical_memory& memory_;
    nova::Pd& pd_;
};

} // namespace sim
