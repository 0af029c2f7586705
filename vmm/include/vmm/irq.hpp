// Interrupt lines between devices and interrupt controllers. A line is a wire with a level; its
// one driver (a device) sets it, and every sink connected to it (the PIC pair, later an I/O APIC
// or whatever the vCPU side routes there) sees each change. Edge or level semantics are the
// sink's business: the 8259A latches rising edges or follows the level, as its ELCR says.
#pragma once

#include "vmm/types.hpp"

#include <array>
#include <vector>

namespace vmm {

// Something with interrupt input pins.
class Irq_sink {
  public:
    virtual ~Irq_sink() = default;
    virtual void irq_level(unsigned pin, bool level) = 0;
};

// The machine's lines: 0–15 are the ISA IRQs (line 2 is the PIC cascade and reaches nothing);
// 16–23 are free for the vCPU side to route (an I/O APIC's GSIs). Owned by the Bus; sinks are
// not owned and must outlive it.
class Irq_lines {
  public:
    static constexpr unsigned count = 24;

    // Several sinks may listen to one line. Config_error for a line out of range.
    void connect(unsigned line, Irq_sink& sink, unsigned pin);

    // Setting the level a line already has changes nothing (no edge).
    void set(unsigned line, bool level);
    bool level(unsigned line) const { return line < count && levels_[line]; }
    std::size_t sinks_on(unsigned line) const { return line < count ? taps_[line].size() : 0; }

  private:
    struct Tap {
        Irq_sink* sink;
        unsigned pin;
    };
    std::array<std::vector<Tap>, count> taps_;
    std::array<bool, count> levels_{};
};

// A device's end of one line; the device is the line's only driver.
class Irq_line {
  public:
    // Config_error when `line` is not below Irq_lines::count.
    Irq_line(Irq_lines& lines, unsigned line);

    void set(bool level) { lines_->set(line_, level); }
    void raise() { set(true); }
    void lower() { set(false); }
    // A rising edge and back to low: one event for an edge-triggered input (a periodic timer's
    // tick). A line that was high first goes low, so the edge is always there.
    void pulse();
    bool level() const { return lines_->level(line_); }
    unsigned number() const { return line_; }

  private:
    Irq_lines* lines_;
    unsigned line_;
};

} // namespace vmm
