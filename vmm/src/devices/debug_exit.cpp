#include "vmm/devices/debug_exit.hpp"

namespace vmm {

Debug_exit::Debug_exit(Bus& bus, Machine_control& machine, Debug_exit_config config)
    : machine_(machine)
{
    bus.add_io({config.port, config.ports}, *this, "debug-exit", Widths{1 | 2 | 4});
}

void Debug_exit::io_write(u16, unsigned, u32 value)
{
    machine_.request_exit(u64{value} << 1 | 1);
}

} // namespace vmm
