// Two cascaded Intel 8259A programmable interrupt controllers, as in every PC since the AT:
// the master at ports 0x20/0x21, the slave at 0xa0/0xa1 on the master's IR2, and the PIIX edge/
// level control registers (ELCR) at 0x4d0/0x4d1.
//
// Models: the ICW1–ICW4 initialisation sequence (single or cascaded, ICW4 optional, level mode
// for all lines through ICW1.LTIM), OCW1 (IMR), OCW2 (non-specific, specific and rotating EOIs,
// rotation in auto-EOI mode, set priority), OCW3 (IRR/ISR read select, poll command, special
// mask mode); auto-EOI; special fully nested mode; edge-triggered lines (a rising edge latches
// IRR, which INTA clears) and level-triggered lines (IRR follows the line while it is high);
// rotating priority; spurious IRQ 7 and IRQ 15 (INTA with no request left: vector base + 7,
// ISR untouched; a spurious slave interrupt still leaves the master's IR2 in service, so the
// guest must EOI the master, as on hardware). ISA IRQ n arrives on pin n (0–15); IRQ 2 is the
// cascade and is not connected to a line.
//
// Leaves out: MCS-80/85 mode (ICW4.µPM = 0 behaves like 8086 mode), buffered mode and the
// master/slave select (ICW3 and ICW4.BUF/M-S are stored, not used: the topology is fixed), the
// 8259A's timing. ICW1 also clears ISR and IRR (the datasheet resets the edge-sense latches;
// a line still high must make a new edge). The master's IR2 latches the slave's INT on its
// rising edge; the slave's INT drops during each INTA through the cascade and rises again if a
// request is left, so a slave in auto-EOI mode with two requests cannot lose the second. The
// ELCR bits of IRQ 0, 1, 2, 8 and 13 are fixed at edge, as on the PIIX.
//
// Threat model: the guest writes any value to any port in any order. Every value is a valid
// command or is ignored; state is a handful of bytes; no write loops or allocates.
#pragma once

#include "vmm/bus.hpp"
#include "vmm/irq.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace vmm {

struct Pic_config {
    u16 master_port{0x20};
    u16 slave_port{0xa0};
    u16 elcr_port{0x4d0}; // two bytes: master, slave
};

class Pic_pair final : public Io_device, public Irq_sink {
  public:
    static constexpr unsigned cascade_pin = 2;

    // Registers its ports and takes ISA lines 0, 1 and 3–15 of the bus. `intr` sees the
    // master's INT output on its pin 0 (the Interrupt_router, in a whole machine).
    Pic_pair(Bus& bus, Irq_sink& intr, Pic_config config = {});
    Pic_pair(Pic_pair const&) = delete;
    Pic_pair& operator=(Pic_pair const&) = delete;

    // The master's INT output: a request that INTA would deliver now.
    bool intr() const { return intr_; }
    // INTA: the vector of the highest request, now in service (or the spurious vector).
    u8 acknowledge();

    // Pins 0–15 are ISA IRQs 0–15.
    void irq_level(unsigned pin, bool level) override;
    u32 io_read(u16 port, unsigned size) override;
    void io_write(u16 port, unsigned size, u32 value) override;

    // State for tests and traces: chip 0 is the master, 1 the slave.
    u8 irr(unsigned chip) const { return chips_[chip & 1].irr; }
    u8 isr(unsigned chip) const { return chips_[chip & 1].isr; }
    u8 imr(unsigned chip) const { return chips_[chip & 1].imr; }
    u8 elcr(unsigned chip) const { return chips_[chip & 1].elcr; }
    u8 vector_base(unsigned chip) const { return chips_[chip & 1].vector_base; }
    bool initialising(unsigned chip) const { return chips_[chip & 1].step != Chip::Step::ready; }

    // Which invariant does not hold, if any.
    std::optional<std::string> broken_invariant() const;
    // Both chips' registers, modes and initialisation step, and INTR (state_text.hpp).
    std::string describe_state() const;

  private:
    // One 8259A. Priorities are relative to `lowest`, the line with the lowest priority.
    struct Chip {
        enum class Step : u8 { ready, icw2, icw3, icw4 };
        u8 irr{0}, isr{0}, imr{0}, elcr{0}, lines{0};
        u8 elcr_mask{0};
        u8 vector_base{0};
        u8 lowest{7};
        u8 icw3{0};
        Step step{Step::ready};
        bool master{false};
        bool needs_icw4{false}, single{false}, level_all{false};
        bool auto_eoi{false}, rotate_on_auto_eoi{false}, nested{false};
        bool special_mask{false}, read_isr{false}, poll{false};

        bool level_triggered(unsigned pin) const;
        unsigned priority(unsigned pin) const { return (pin - lowest - 1) & 7; }
        std::optional<unsigned> highest(u8 set) const;
        std::optional<unsigned> request() const;
        void set_line(unsigned pin, bool level);
        u8 take(unsigned pin);
        void end_of_interrupt(unsigned pin, bool rotate);
        u8 spurious() const { return vector_base | 7; }
        void follow_level_lines();
        std::string_view next_byte() const;
        std::string describe(std::string_view label) const;
    };

    void write_command(Chip& chip, u8 value);
    void write_data(Chip& chip, u8 value);
    void icw1(Chip& chip, u8 value);
    void ocw2(Chip& chip, u8 value);
    void ocw3(Chip& chip, u8 value);
    u8 read_command(Chip& chip);
    u8 poll(Chip& chip);
    void write_elcr(Chip& chip, u8 value);
    void update();
    Chip* chip_at(u16 port, u16 base);
    Chip& controller(u16 port);

    Pic_config config_;
    Chip chips_[2];
    Irq_sink& intr_sink_; // not owned
    bool intr_{false};
};

} // namespace vmm
