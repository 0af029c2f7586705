// The Intel 8042 keyboard controller at 0x60 (data) and 0x64 (status and commands), with no
// keyboard or mouse behind it: what a guest needs to probe it, keep its hands off A20, and
// reset the machine through it.
//
// Models: the status register (output buffer full, system flag, command/data, unlocked); the
// controller commands a BIOS or kernel uses: read and write the command byte (0x20, 0x60),
// disable and enable the keyboard and aux ports (0xad, 0xae, 0xa7, 0xa8), self test (0xaa →
// 0x55, sets the system flag), interface tests (0xab, 0xa9 → 0x00), read and write the output
// port (0xd0, 0xd1: bit 0 low resets, bit 1 is A20), write the keyboard or aux output buffer
// (0xd2, 0xd3, bytes then read back as if a device sent them), A20 off and on (0xdd, 0xdf), and
// the pulse commands 0xf0–0xff (bit 0 clear pulses reset: 0xfe is the classic reboot). IRQ 1
// (or 12 for aux data) is high while the output buffer holds a byte and the command byte
// enables that interrupt. Resets go to Machine_control.
//
// Leaves out: the keyboard and the mouse (bytes written to them are dropped, so a driver's
// probe times out and finds none), scan-code translation, the input port (0xc0 reads 0), the
// controller's timing, A20 masking (the gate is recorded only, see port92.hpp).
//
// Threat model: any byte to either port in any order is a command, a command's argument or
// dropped. One output buffer byte; nothing allocates or loops.
#pragma once

#include "vmm/bus.hpp"
#include "vmm/control.hpp"
#include "vmm/irq.hpp"

#include <string>
#include <string_view>

namespace vmm {

struct I8042_config {
    u16 data_port{0x60};
    u16 command_port{0x64};
    unsigned keyboard_irq{1};
    unsigned aux_irq{12};
};

class I8042 final : public Io_device {
  public:
    I8042(Bus& bus, Machine_control& machine, I8042_config config = {});

    u32 io_read(u16 port, unsigned size) override;
    void io_write(u16 port, unsigned size, u32 value) override;

    bool a20() const { return (output_port_ & 0x02) != 0; }
    u8 command_byte() const { return command_byte_; }
    // Status, command byte, output port, the output buffer and what the next data byte is for
    // (state_text.hpp).
    std::string describe_state() const;

  private:
    enum class Pending : u8 {
        none,
        command_byte,
        output_port,
        keyboard_buffer,
        aux_buffer,
        aux_device
    };

    void command(u8 value);
    void data(u8 value);
    void write_output_port(u8 value);
    void respond(u8 value, bool aux = false);
    u8 read_data();
    u8 status() const;
    void update_irqs();
    std::string_view pending_name() const;

    I8042_config config_;
    Machine_control& machine_; // not owned
    Irq_line keyboard_irq_, aux_irq_;
    Pending pending_{Pending::none};
    u8 command_byte_{0x03}; // keyboard and aux interrupts on, as QEMU starts
    u8 output_port_{0x03};  // not in reset, A20 on
    bool system_flag_{false};
    bool last_was_command_{true};
    bool output_full_{false}, output_aux_{false};
    u8 output_{0};
};

} // namespace vmm
