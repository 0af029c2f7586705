// QEMU's isa-debug-exit device at port 0xf4: a write of v ends the run with exit status
// (v << 1) | 1, so a guest's status can never be 0 (kvm-unit-tests' exit(): 1 is a pass, 3 a
// failure, 77 a skip). Writes of 1, 2 or 4 bytes anywhere in its 4 ports count, as in QEMU with
// iosize=4; reads return 0.
//
// Leaves out: nothing. Threat model: a write is one call to Machine_control; the guest chooses
// only the status.
#pragma once

#include "vmm/bus.hpp"
#include "vmm/control.hpp"

namespace vmm {

struct Debug_exit_config {
    u16 port{0xf4};
    u16 ports{4};
};

class Debug_exit final : public Io_device {
  public:
    Debug_exit(Bus& bus, Machine_control& machine, Debug_exit_config config = {});

    u32 io_read(u16, unsigned) override { return 0; }
    void io_write(u16 port, unsigned size, u32 value) override;

  private:
    Machine_control& machine_; // not owned
};

} // namespace vmm
