#include "vmm/devices/port80.hpp"

#include "vmm/state_text.hpp"

namespace vmm {

Port80::Port80(Bus& bus, u16 port)
{
    bus.add_io({port, 1}, *this, "port80", Widths{1});
}

void Port80::io_write(u16, unsigned, u32 value)
{
    last_code_ = static_cast<u8>(value);
    ++writes_;
}

std::string Port80::describe_state() const
{
    return State_line("post").hex("last-code", last_code_).dec("writes", writes_).str();
}

} // namespace vmm
