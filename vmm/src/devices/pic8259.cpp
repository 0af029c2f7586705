#include "vmm/devices/pic8259.hpp"

#include "vmm/state_text.hpp"

#include <spdlog/spdlog.h>

namespace vmm {

namespace {

constexpr u8 bit(unsigned pin)
{
    return static_cast<u8>(1u << (pin & 7));
}

// PIIX: IRQ 0, 1, 2 (master) and 8, 13 (slave) are always edge-triggered.
constexpr u8 master_elcr_mask = 0xf8;
constexpr u8 slave_elcr_mask = 0xde;

} // namespace

bool Pic_pair::Chip::level_triggered(unsigned pin) const
{
    return level_all || (elcr & bit(pin)) != 0;
}

std::optional<unsigned> Pic_pair::Chip::highest(u8 set) const
{
    for (unsigned step = 1; step <= 8; ++step) {
        unsigned const pin = (lowest + step) & 7;
        if (set & bit(pin)) return pin;
    }
    return std::nullopt;
}

// The request INTA would take: the highest unmasked one that outranks everything in service.
std::optional<unsigned> Pic_pair::Chip::request() const
{
    std::optional<unsigned> const wanted = highest(irr & ~imr);
    if (!wanted) return std::nullopt;
    u8 blocking = isr;
    if (special_mask) blocking &= ~imr; // a masked in-service level stops blocking the others
    if (nested && master) blocking &= ~bit(cascade_pin); // the slave may nest higher requests
    std::optional<unsigned> const serving = highest(blocking);
    if (serving && priority(*serving) <= priority(*wanted)) return std::nullopt;
    return wanted;
}

void Pic_pair::Chip::set_line(unsigned pin, bool level)
{
    bool const was = (lines & bit(pin)) != 0;
    lines = level ? lines | bit(pin) : lines & ~bit(pin);
    if (level_triggered(pin))
        irr = level ? irr | bit(pin) : irr & ~bit(pin);
    else if (level && !was)
        irr |= bit(pin);
}

u8 Pic_pair::Chip::take(unsigned pin)
{
    if (!level_triggered(pin)) irr &= ~bit(pin);
    if (!auto_eoi)
        isr |= bit(pin);
    else if (rotate_on_auto_eoi)
        lowest = static_cast<u8>(pin);
    return static_cast<u8>(vector_base | pin);
}

void Pic_pair::Chip::end_of_interrupt(unsigned pin, bool rotate)
{
    isr &= ~bit(pin);
    if (rotate) lowest = static_cast<u8>(pin);
}

// IRR of level-triggered lines is the line itself.
void Pic_pair::Chip::follow_level_lines()
{
    for (unsigned pin = 0; pin < 8; ++pin)
        if (level_triggered(pin)) irr = (lines & bit(pin)) ? irr | bit(pin) : irr & ~bit(pin);
}

Pic_pair::Pic_pair(Bus& bus, Irq_sink& intr, Pic_config config) : config_(config), intr_sink_(intr)
{
    chips_[0].master = true;
    chips_[0].elcr_mask = master_elcr_mask;
    chips_[1].elcr_mask = slave_elcr_mask;
    bus.add_io({config.master_port, 2}, *this, "pic-master", Widths{1});
    bus.add_io({config.slave_port, 2}, *this, "pic-slave", Widths{1});
    bus.add_io({config.elcr_port, 2}, *this, "pic-elcr", Widths{1});
    for (unsigned line = 0; line < 16; ++line)
        if (line != cascade_pin) bus.irq_lines().connect(line, *this, line);
}

u8 Pic_pair::acknowledge()
{
    Chip& master = chips_[0];
    Chip& slave = chips_[1];
    std::optional<unsigned> const pin = master.request();
    if (!pin) return master.spurious();
    u8 vector = master.take(*pin);
    if (*pin == cascade_pin && !master.single) {
        std::optional<unsigned> const slave_pin = slave.request();
        vector = slave_pin ? slave.take(*slave_pin) : slave.spurious();
        // The slave's INT drops during INTA and rises again if it still has a request, which
        // the master's edge-triggered IR2 then latches anew.
        master.set_line(cascade_pin, false);
    }
    update();
    return vector;
}

void Pic_pair::irq_level(unsigned pin, bool level)
{
    if (pin >= 16 || pin == cascade_pin) return;
    chips_[pin / 8].set_line(pin % 8, level);
    update();
}

Pic_pair::Chip* Pic_pair::chip_at(u16 port, u16 base)
{
    if (port == base || port == base + 1) return &chips_[port == base ? 0 : 1];
    return nullptr;
}

Pic_pair::Chip& Pic_pair::controller(u16 port)
{
    bool const master = port == config_.master_port || port == config_.master_port + 1;
    return chips_[master ? 0 : 1];
}

u32 Pic_pair::io_read(u16 port, unsigned)
{
    if (Chip* elcr = chip_at(port, config_.elcr_port)) return elcr->elcr;
    Chip& chip = controller(port);
    return port == config_.master_port || port == config_.slave_port ? read_command(chip)
                                                                     : chip.imr;
}

void Pic_pair::io_write(u16 port, unsigned, u32 value)
{
    u8 const byte = static_cast<u8>(value);
    if (Chip* elcr = chip_at(port, config_.elcr_port)) return write_elcr(*elcr, byte);
    Chip& chip = controller(port);
    if (port == config_.master_port || port == config_.slave_port)
        write_command(chip, byte);
    else
        write_data(chip, byte);
    update();
}

void Pic_pair::write_command(Chip& chip, u8 value)
{
    if (value & 0x10) return icw1(chip, value);
    if (value & 0x08) return ocw3(chip, value);
    ocw2(chip, value);
}

void Pic_pair::write_data(Chip& chip, u8 value)
{
    switch (chip.step) {
    case Chip::Step::ready:
        chip.imr = value;
        return;
    case Chip::Step::icw2:
        chip.vector_base = value & 0xf8;
        chip.step = !chip.single      ? Chip::Step::icw3
                    : chip.needs_icw4 ? Chip::Step::icw4
                                      : Chip::Step::ready;
        return;
    case Chip::Step::icw3:
        chip.icw3 = value;
        chip.step = chip.needs_icw4 ? Chip::Step::icw4 : Chip::Step::ready;
        return;
    case Chip::Step::icw4:
        if ((value & 0x01) == 0)
            spdlog::debug("vmm pic: ICW4 asks for MCS-80/85 mode; 8086 mode kept");
        chip.auto_eoi = (value & 0x02) != 0;
        chip.nested = (value & 0x10) != 0;
        chip.step = Chip::Step::ready;
        return;
    }
}

// ICW1 starts initialisation and resets what the datasheet lists (and ISR/IRR, see header).
void Pic_pair::icw1(Chip& chip, u8 value)
{
    chip.needs_icw4 = (value & 0x01) != 0;
    chip.single = (value & 0x02) != 0;
    chip.level_all = (value & 0x08) != 0;
    chip.step = Chip::Step::icw2;
    chip.imr = chip.isr = chip.irr = 0;
    chip.lowest = 7;
    chip.auto_eoi = chip.rotate_on_auto_eoi = chip.nested = false;
    chip.special_mask = chip.read_isr = chip.poll = false;
    chip.follow_level_lines();
}

void Pic_pair::ocw2(Chip& chip, u8 value)
{
    unsigned const level = value & 7;
    switch (value >> 5) {
    case 0:
        chip.rotate_on_auto_eoi = false;
        return;
    case 4:
        chip.rotate_on_auto_eoi = true;
        return;
    case 1:
    case 5:
        if (std::optional<unsigned> const pin = chip.highest(chip.isr))
            chip.end_of_interrupt(*pin, value >> 5 == 5);
        return;
    case 3:
        chip.end_of_interrupt(level, false);
        return;
    case 7:
        chip.end_of_interrupt(level, true);
        return;
    case 6:
        chip.lowest = static_cast<u8>(level);
        return;
    default:
        return; // 2: no operation
    }
}

void Pic_pair::ocw3(Chip& chip, u8 value)
{
    if (value & 0x40) chip.special_mask = (value & 0x20) != 0;
    if (value & 0x02) chip.read_isr = (value & 0x01) != 0;
    chip.poll = (value & 0x04) != 0;
}

u8 Pic_pair::read_command(Chip& chip)
{
    if (chip.poll) return poll(chip);
    return chip.read_isr ? chip.isr : chip.irr;
}

// The poll command: one read acknowledges this chip's highest request, with no INTA cycle.
u8 Pic_pair::poll(Chip& chip)
{
    chip.poll = false;
    std::optional<unsigned> const pin = chip.request();
    if (!pin) return 0;
    chip.take(*pin);
    update();
    return static_cast<u8>(0x80 | *pin);
}

void Pic_pair::write_elcr(Chip& chip, u8 value)
{
    chip.elcr = value & chip.elcr_mask;
    chip.follow_level_lines();
    update();
}

// Propagates the slave's INT to the master's IR2 and the master's INT to the vCPU side.
void Pic_pair::update()
{
    Chip& master = chips_[0];
    master.set_line(cascade_pin, chips_[1].request().has_value());
    bool const intr = master.request().has_value();
    if (intr == intr_) return;
    intr_ = intr;
    intr_sink_.irq_level(0, intr);
}

std::optional<std::string> Pic_pair::broken_invariant() const
{
    for (Chip const& chip : chips_) {
        if (chip.vector_base & 7) return "a vector base with low bits set";
        if (chip.elcr & ~chip.elcr_mask) return "an ELCR bit set that the PIIX fixes at edge";
        if (chip.lowest > 7) return "a priority rotation beyond IR7";
        for (unsigned pin = 0; pin < 8; ++pin)
            if (chip.level_triggered(pin) && ((chip.irr ^ chip.lines) & bit(pin)))
                return "IRR of a level-triggered line differs from the line";
    }
    if (chips_[0].lines & bit(cascade_pin) ? !chips_[1].request() : chips_[1].request().has_value())
        return "the master's IR2 differs from the slave's INT";
    if (intr_ != chips_[0].request().has_value()) return "INTR differs from the master's request";
    return std::nullopt;
}

// What the chip takes as its next data byte: an ICW while initialising, else the IMR.
std::string_view Pic_pair::Chip::next_byte() const
{
    switch (step) {
    case Step::icw2:
        return "ICW2";
    case Step::icw3:
        return "ICW3";
    case Step::icw4:
        return "ICW4";
    case Step::ready:
        break;
    }
    return "OCW1";
}

std::string Pic_pair::Chip::describe(std::string_view label) const
{
    State_line line(label);
    line.hex("IRR", irr).hex("ISR", isr).hex("IMR", imr).hex("ELCR", elcr).hex("pins", lines);
    line.hex("base", vector_base).dec("lowest", lowest).hex("ICW3", icw3);
    line.text("next", next_byte()).text("read", read_isr ? "ISR" : "IRR");
    line.names("modes", {{"icw4", needs_icw4},
                         {"single", single},
                         {"ltim", level_all},
                         {"aeoi", auto_eoi},
                         {"rotate-aeoi", rotate_on_auto_eoi},
                         {"sfnm", nested},
                         {"smm", special_mask},
                         {"poll", poll}});
    return line.str();
}

std::string Pic_pair::describe_state() const
{
    return chips_[0].describe("master") + chips_[1].describe("slave") +
           State_line("output").flag("INTR", intr_).str();
}

} // namespace vmm
