#include "vmm/devices/port92.hpp"

#include "vmm/state_text.hpp"

namespace vmm {

Port92::Port92(Bus& bus, Machine_control& machine, u16 port) : machine_(machine)
{
    bus.add_io({port, 1}, *this, "port92", Widths{1});
}

u32 Port92::io_read(u16, unsigned)
{
    return value_;
}

void Port92::io_write(u16, unsigned, u32 value)
{
    bool const reset = (value & 0x01) && !(value_ & 0x01);
    value_ = static_cast<u8>(value & 0x03);
    if (reset) machine_.request_reset(Reset_source::port_92);
}

std::string Port92::describe_state() const
{
    return State_line("control-a").hex("value", value_).flag("a20", a20()).str();
}

} // namespace vmm
