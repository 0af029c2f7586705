#include "sim/machine.hpp"

namespace sim {

Machine::Machine(Machine_config const& config)
    : config_{config}, memory_{config.ram_bytes, config.kernel_bytes}, platform_{memory_}
{
    std::uint64_t kernel_base = memory_.kernel_first_frame() << 12;
    memory_map_.push_back({0, kernel_base, nova::Hip_mem::ram, 0});
    memory_map_.push_back({kernel_base, memory_.size() - kernel_base, nova::Hip_mem::hypervisor, 0});
    nova::Boot_config boot{};
    boot.cpus = config.cpus;
    boot.tsc_khz = config.tsc_khz;
    boot.sel_bits = config.sel_bits;
    boot.vmx = config.vmx;
    boot.memory = memory_map_.data();
    boot.memory_count = static_cast<std::uint32_t>(memory_map_.size());
    kernel_ = std::make_unique<nova::Kernel>(platform_, boot);
    boot_status_ = kernel_->boot();
}

nova::Status Machine::hypercall_as_root(nova::Sys_regs& regs)
{
    kernel_->syscall(kernel_->root_ec(), regs);
    return regs.status();
}

} // namespace sim
