// System control port A (0x92), the PS/2 "fast A20 and reset" port: bit 0 going from 0 to 1
// resets the machine, bit 1 is the A20 gate. Reads return both bits as written.
//
// Leaves out: A20 masking itself. The gate is recorded (a20()) but addresses are never
// wrapped, as with QEMU on KVM; guests that need A20 enable it and those that test for it are
// not supported. The other bits (security lock, watchdog, LEDs) read 0.
//
// Threat model: a write is an assignment and at most one reset request.
#pragma once

#include "vmm/bus.hpp"
#include "vmm/control.hpp"

#include <string>

namespace vmm {

class Port92 final : public Io_device {
  public:
    Port92(Bus& bus, Machine_control& machine, u16 port = 0x92);

    u32 io_read(u16 port, unsigned size) override;
    void io_write(u16 port, unsigned size, u32 value) override;
    bool a20() const { return (value_ & 0x02) != 0; }
    std::string describe_state() const; // the register and A20 (state_text.hpp)

  private:
    Machine_control& machine_; // not owned
    u8 value_{0x02};           // A20 on, as firmware leaves it
};

} // namespace vmm
