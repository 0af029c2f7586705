// A booted simulated machine: physical memory, the host platform and one kernel on top.
#pragma once

#include "nova/kernel.hpp"
#include "sim/host_platform.hpp"
#include "sim/physical_memory.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace sim {

struct Machine_config {
    std::uint32_t cpus{4};
    std::uint64_t ram_bytes{64ull << 20};    // all physical memory, the kernel's region included
    std::uint64_t kernel_bytes{16ull << 20}; // the kernel's region at the top of it
    std::uint32_t tsc_khz{2'000'000};
    unsigned sel_bits{26};
    bool vmx{false};
};

class Machine {
  public:
    explicit Machine(Machine_config const& config = {});
    Machine(Machine const&) = delete;
    Machine& operator=(Machine const&) = delete;

    nova::Status boot_status() const { return boot_status_; }
    nova::Kernel& kernel() { return *kernel_; }
    Host_platform& platform() { return platform_; }
    Physical_memory& memory() { return memory_; }
    Machine_config const& config() const { return config_; }

    // Executes one hypercall frame as the root EC, as the root task's `syscall` would.
    nova::Status hypercall_as_root(nova::Sys_regs& regs);

  private:
    Machine_config config_;
    Physical_memory memory_;
    Host_platform platform_;
    std::vector<nova::Hip_mem> memory_map_;
    std::unique_ptr<nova::Kernel> kernel_;
    nova::Status boot_status_;
};

} // namespace sim
