// The Intel 8254 programmable interval timer at ports 0x40–0x43, its three channels counting at
// 1.193182 MHz, and system control port B (0x61), through which channel 2's gate and output and
// the DRAM refresh toggle are seen.
//
// Models: control words, counter latch and read-back commands (count and status), LSB / MSB /
// LSB-then-MSB access with the read and write flip-flops, binary and BCD counting, and modes 0
// (interrupt on terminal count), 1 (retriggerable one-shot), 2 (rate generator), 3 (square
// wave), 4 (software strobe) and 5 (hardware strobe), with their gate behaviour: gate low pauses
// modes 0, 2, 3 and 4 (2 and 3 force OUT high and reload on the rising gate), a rising gate
// triggers modes 1 and 5. In modes 2 and 3 a new count written without a control word takes
// over at the end of the current period. Channel 0's OUT drives IRQ 0; channel 2's gate is bit 0
// of port 0x61 and its OUT reads back in bit 5; bit 4 toggles every 15.085 µs (the refresh
// request guests poll for delays).
//
// Time: counts are derived from the Clock, never stored per tick. Tick n of the 1.193182 MHz
// oscillator is complete at the first nanosecond t with floor(t · 1193182 / 10^9) >= n
// (Tick_rate); a counter decrements on that grid, so a count loaded between two ticks first
// decrements at the next one. IRQ 0's timer is armed for the instant its rising tick is complete.
//
// Leaves out: the clock pulse the 8254 takes to move a written count into the counting element
// (a count loads at the write); the speaker (bit 1 of port 0x61 is stored, no sound); channel 1
// drives nothing. The IRQ 0 line carries OUT itself in modes 0 and 1; in modes 2–5 it carries a
// pulse at each rising edge of OUT and is low in between (rising edges are all the edge-triggered
// IRQ 0 input of the PIC reacts to, and an idle-low line makes no stray edge when the guest
// reprograms the counter or before it ever has). OUT as the guest reads it (read-back status, port
// 0x61) is exact in every mode. Before the first control word the line is low. Interrupts a late
// timer missed are not replayed (KVM's "discard" policy): the next edge is the next period boundary
// after now. A periodic (mode 2 or 3) IRQ 0 comes at most once every `min_period` (default 100 µs),
// so a guest programming a count of 2 cannot flood the host with timer events; counts still read
// exactly.
//
// Threat model: any value to any port in any order is a valid command, an ignored one, or a
// count (every count 0–65535 is legal; 0 means 65536, or 10000 in BCD). No guest write loops or
// allocates; the only timer deadline the guest controls is bounded by min_period when periodic.
#pragma once

#include "vmm/bus.hpp"
#include "vmm/irq.hpp"
#include "vmm/time.hpp"

#include <optional>
#include <string>

namespace vmm {

// Clamps periodic timer interrupts (PIT, LAPIC, RTC) as KVM's min_timer_period_us does.
inline constexpr Nanoseconds default_min_period = 100'000;

struct Pit_config {
    u16 base{0x40};
    u16 port_b{0x61};
    unsigned irq{0};
    Nanoseconds min_period{default_min_period};
};

class Pit8254 final : public Io_device {
  public:
    static constexpr u64 frequency_hz = 1'193'182;
    static constexpr Nanoseconds refresh_toggle_ns = 15'085;

    Pit8254(Bus& bus, Timer_queue& timers, Pit_config config = {});
    Pit8254(Pit8254 const&) = delete;
    Pit8254& operator=(Pit8254 const&) = delete;

    u32 io_read(u16 port, unsigned size) override;
    void io_write(u16 port, unsigned size, u32 value) override;

    // For tests and traces: a channel's count (as a read would see it, without latching), OUT
    // and mode, at the clock's present time.
    u16 count(unsigned channel);
    bool output(unsigned channel);
    u8 mode(unsigned channel) const { return channels_[channel % 3].mode; }
    std::optional<std::string> broken_invariant() const;
    // Each channel's mode, counts, gate, OUT and latches as a read now would see them, port B,
    // and IRQ 0 with its timer (state_text.hpp).
    std::string describe_state() const;

  private:
    // One counter. It counts on the global tick grid (the oscillator never stops): the ticks
    // counted since the count was loaded ("elapsed") are base + (ticks so far − since) − origin,
    // `since` being the grid tick at which it last started; it is empty while the counter
    // stands still.
    struct Channel {
        u8 mode{0};
        u8 access{3}; // 1 LSB, 2 MSB, 3 LSB then MSB
        bool bcd{false};
        bool gate{true};
        bool loaded{false};           // a count is in the counting element
        bool null_count{true};        // a count was written that the counting element has not taken
        u32 count{0x10000};           // the period, or the ticks to terminal count, 1–65536
        u32 written{0x10000};         // the last count written
        std::optional<u64> switch_at; // modes 2, 3: the tick at which `written` takes over
        u64 base{0};
        u64 origin{0};
        std::optional<u64> since;
        bool write_high{false}; // LSB-then-MSB writes: the LSB is in
        u8 low_byte{0};
        bool read_high{false}; // LSB-then-MSB reads: the LSB was read
        std::optional<u16> latched_count;
        std::optional<u8> latched_status;
    };

    u64 elapsed(Channel const& c, Nanoseconds now) const;
    Nanoseconds tick_time(Channel const& c, u64 tick) const;
    void catch_up(Channel& c, Nanoseconds now) const;
    void catch_up_all(Nanoseconds now);
    u16 value(Channel const& c, Nanoseconds now) const;
    bool out(Channel const& c, Nanoseconds now) const;
    std::optional<u64> next_rising_tick(Channel const& c, u64 elapsed) const;

    void write_control(u8 value, Nanoseconds now);
    void read_back(u8 value, Nanoseconds now);
    void latch_count(Channel& c, Nanoseconds now);
    void latch_status(Channel& c, Nanoseconds now);
    void write_counter(Channel& c, u8 value, Nanoseconds now);
    void load(Channel& c, u16 raw, Nanoseconds now);
    void start(Channel& c, Nanoseconds now);
    u8 read_counter(Channel& c, Nanoseconds now);
    void set_gate(Channel& c, bool level, Nanoseconds now);
    u8 read_port_b(Nanoseconds now) const;
    std::string describe_channel(unsigned index, Nanoseconds now) const;

    void refresh_irq(Nanoseconds now);
    void irq_timer_expired();

    Pit_config config_;
    Tick_rate rate_{frequency_hz};
    Channel channels_[3];
    Irq_line irq_;
    Timer irq_timer_;
    std::optional<Nanoseconds> last_edge_; // when channel 0's last periodic IRQ 0 edge was due
    Nanoseconds irq_due_{0};               // what irq_timer_ was last armed for
    u8 port_b_{0};                         // bits 0–3 as written
    Timer_queue& timers_;                  // not owned
};

} // namespace vmm
