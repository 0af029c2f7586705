#include "vmm/devices/i8042.hpp"

#include "vmm/state_text.hpp"

namespace vmm {

namespace {

constexpr u8 status_output_full = 0x01, status_system = 0x04, status_command = 0x08,
             status_unlocked = 0x10, status_aux_output = 0x20;
constexpr u8 command_keyboard_interrupt = 0x01, command_aux_interrupt = 0x02, command_system = 0x04,
             command_keyboard_off = 0x10, command_aux_off = 0x20;

} // namespace

I8042::I8042(Bus& bus, Machine_control& machine, I8042_config config)
    : config_(config), machine_(machine), keyboard_irq_(bus.irq_lines(), config.keyboard_irq),
      aux_irq_(bus.irq_lines(), config.aux_irq)
{
    bus.add_io({config.data_port, 1}, *this, "i8042-data", Widths{1});
    bus.add_io({config.command_port, 1}, *this, "i8042-command", Widths{1});
}

u32 I8042::io_read(u16 port, unsigned)
{
    return port == config_.data_port ? read_data() : status();
}

void I8042::io_write(u16 port, unsigned, u32 value)
{
    u8 const byte = static_cast<u8>(value);
    last_was_command_ = port == config_.command_port;
    if (last_was_command_)
        command(byte);
    else
        data(byte);
    update_irqs();
}

u8 I8042::status() const
{
    u8 value = status_unlocked;
    if (output_full_)
        value |= output_aux_ ? status_output_full | status_aux_output : status_output_full;
    if (system_flag_) value |= status_system;
    if (last_was_command_) value |= status_command;
    return value;
}

void I8042::command(u8 value)
{
    pending_ = Pending::none;
    switch (value) {
    case 0x20:
        return respond(command_byte_);
    case 0x60:
        pending_ = Pending::command_byte;
        return;
    case 0xa7:
        command_byte_ |= command_aux_off;
        return;
    case 0xa8:
        command_byte_ &= ~command_aux_off;
        return;
    case 0xa9:
        return respond(0x00); // aux interface test: no fault
    case 0xaa:
        system_flag_ = true;
        command_byte_ |= command_system;
        return respond(0x55); // self test passed
    case 0xab:
        return respond(0x00); // keyboard interface test: no fault
    case 0xad:
        command_byte_ |= command_keyboard_off;
        return;
    case 0xae:
        command_byte_ &= ~command_keyboard_off;
        return;
    case 0xc0:
        return respond(0x00); // input port
    case 0xd0:
        return respond(output_port_);
    case 0xd1:
        pending_ = Pending::output_port;
        return;
    case 0xd2:
        pending_ = Pending::keyboard_buffer;
        return;
    case 0xd3:
        pending_ = Pending::aux_buffer;
        return;
    case 0xd4:
        pending_ = Pending::aux_device;
        return;
    case 0xdd:
        output_port_ &= ~0x02;
        return;
    case 0xdf:
        output_port_ |= 0x02;
        return;
    default:
        break;
    }
    if (value >= 0xf0 && !(value & 0x01)) machine_.request_reset(Reset_source::keyboard_controller);
}

void I8042::data(u8 value)
{
    Pending const pending = pending_;
    pending_ = Pending::none;
    switch (pending) {
    case Pending::command_byte:
        command_byte_ = value;
        system_flag_ = (value & command_system) != 0;
        return;
    case Pending::output_port:
        return write_output_port(value);
    case Pending::keyboard_buffer:
        return respond(value);
    case Pending::aux_buffer:
        return respond(value, true);
    case Pending::aux_device:
    case Pending::none:
        return; // no keyboard, no mouse
    }
}

// The output port's bit 0 is the processor's reset line, active low.
void I8042::write_output_port(u8 value)
{
    output_port_ = value;
    if (!(value & 0x01)) machine_.request_reset(Reset_source::keyboard_controller);
}

void I8042::respond(u8 value, bool aux)
{
    output_ = value;
    output_full_ = true;
    output_aux_ = aux;
}

u8 I8042::read_data()
{
    output_full_ = false;
    update_irqs();
    return output_; // an empty buffer repeats its last byte
}

void I8042::update_irqs()
{
    keyboard_irq_.set(output_full_ && !output_aux_ && (command_byte_ & command_keyboard_interrupt));
    aux_irq_.set(output_full_ && output_aux_ && (command_byte_ & command_aux_interrupt));
}

// What a byte written to the data port next goes to.
std::string_view I8042::pending_name() const
{
    switch (pending_) {
    case Pending::command_byte:
        return "command-byte";
    case Pending::output_port:
        return "output-port";
    case Pending::keyboard_buffer:
        return "keyboard-buffer";
    case Pending::aux_buffer:
        return "aux-buffer";
    case Pending::aux_device:
        return "aux-device";
    case Pending::none:
        break;
    }
    return "keyboard";
}

std::string I8042::describe_state() const
{
    State_line line("controller");
    line.hex("status", status())
        .hex("command-byte", command_byte_)
        .hex("output-port", output_port_);
    line.flag("a20", a20()).text("data-to", pending_name());
    line.flag("output-full", output_full_).flag("output-aux", output_aux_).hex("output", output_);
    line.flag("irq1", keyboard_irq_.level()).flag("irq12", aux_irq_.level());
    return line.str();
}

} // namespace vmm
