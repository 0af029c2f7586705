#include "vmm/devices/uart16550.hpp"

#include "vmm/state_text.hpp"

#include <algorithm>

namespace vmm {

namespace {

enum Offset : unsigned {
    rbr_thr = 0,
    ier = 1,
    iir_fcr = 2,
    lcr = 3,
    mcr = 4,
    lsr = 5,
    msr = 6,
    scr = 7
};

constexpr u8 lcr_dlab = 0x80;
constexpr u8 ier_rx = 0x01, ier_thr = 0x02, ier_line = 0x04, ier_modem = 0x08;
constexpr u8 mcr_dtr = 0x01, mcr_rts = 0x02, mcr_out1 = 0x04, mcr_out2 = 0x08;
constexpr u8 msr_cts = 0x10, msr_dsr = 0x20, msr_ri = 0x40, msr_dcd = 0x80;
constexpr u8 lsr_dr = 0x01, lsr_oe = 0x02, lsr_thre = 0x20, lsr_temt = 0x40;
constexpr unsigned trigger_levels[4] = {1, 4, 8, 14};

std::string_view interrupt_name(u8 iir)
{
    switch (iir & 0x0f) {
    case 0x06:
        return "line-status";
    case 0x04:
        return "rx-data";
    case 0x0c:
        return "rx-timeout";
    case 0x02:
        return "thr-empty";
    case 0x00:
        return "modem-status";
    default:
        return "none";
    }
}

} // namespace

Uart16550::Uart16550(Bus& bus, Timer_queue& timers, Serial_peer& peer, Uart_config config)
    : config_(config), timers_(timers), peer_(peer), irq_(bus.irq_lines(), config.irq),
      timeout_timer_(timers, [this] {
          timed_out_ = rx_count_ > 0;
          update_irq();
      })
{
    bus.add_io({config.base, 8}, *this, "uart16550", Widths{1});
}

std::size_t Uart16550::input_space() const
{
    return loopback() ? 0 : capacity() - rx_count_;
}

std::size_t Uart16550::receive(std::span<u8 const> bytes)
{
    std::size_t const taken = std::min(bytes.size(), input_space());
    for (std::size_t i = 0; i < taken; ++i) push_received(bytes[i]);
    if (taken > 0) update_irq();
    return taken;
}

u32 Uart16550::io_read(u16 port, unsigned)
{
    return read_register(port - config_.base);
}

void Uart16550::io_write(u16 port, unsigned, u32 value)
{
    write_register(port - config_.base, static_cast<u8>(value));
    update_irq();
}

u8 Uart16550::read_register(unsigned offset)
{
    bool const latch = (lcr_ & lcr_dlab) != 0;
    switch (offset) {
    case rbr_thr:
        return latch ? dll_ : read_rbr();
    case ier:
        return latch ? dlm_ : ier_;
    case iir_fcr:
        return read_iir();
    case lcr:
        return lcr_;
    case mcr:
        return mcr_;
    case lsr:
        return read_lsr();
    case msr:
        return read_msr();
    default:
        return scr_;
    }
}

void Uart16550::write_register(unsigned offset, u8 value)
{
    bool const latch = (lcr_ & lcr_dlab) != 0;
    switch (offset) {
    case rbr_thr:
        if (latch)
            dll_ = value;
        else
            write_thr(value);
        return;
    case ier:
        if (latch)
            dlm_ = value;
        else
            write_ier(value);
        return;
    case iir_fcr:
        return write_fcr(value);
    case lcr:
        lcr_ = value;
        return;
    case mcr:
        return write_mcr(value);
    case lsr:
    case msr:
        return; // factory test registers: writes ignored
    default:
        scr_ = value;
        return;
    }
}

u8 Uart16550::read_rbr()
{
    bool const was_full = input_space() == 0;
    if (rx_count_ > 0) {
        last_rx_ = rx_[rx_head_];
        rx_head_ = (rx_head_ + 1) % fifo_size;
        --rx_count_;
    }
    timed_out_ = false;
    last_rx_activity_ = timers_.now();
    arm_timeout();
    update_irq();
    if (was_full && input_space() > 0) peer_.input_space();
    return last_rx_; // an empty FIFO repeats the last byte, as the holding register does
}

// The peer gets the whole byte, whatever the word length (as from QEMU's UART: a guest that
// never programs LCR, which resets to 5 bits, still prints); the own receiver in loopback
// samples only the frame's data bits.
void Uart16550::write_thr(u8 value)
{
    if (loopback())
        push_received(value & word_mask());
    else
        peer_.transmit(value);
    thr_interrupt_ = true; // sent at once: THR is empty again
}

void Uart16550::write_ier(u8 value)
{
    bool const thr_enabled = (value & ier_thr) && !(ier_ & ier_thr);
    ier_ = value & 0x0f;
    if (thr_enabled) thr_interrupt_ = true; // THR is empty, so enabling says so at once
    arm_timeout();
}

void Uart16550::write_fcr(u8 value)
{
    bool const was_full = input_space() == 0;
    bool const toggled = ((value ^ fcr_) & 0x01) != 0;
    fcr_ = value & 0xc9; // enable, DMA mode and trigger level are kept; resets are actions
    if (toggled || (value & 0x02)) clear_rx();
    if (was_full && input_space() > 0) peer_.input_space();
}

void Uart16550::write_mcr(u8 value)
{
    u8 const before = modem_inputs();
    bool const was_full = input_space() == 0;
    mcr_ = value & 0x1f;
    u8 const after = modem_inputs();
    u8 const changed = before ^ after;
    if (changed & msr_cts) msr_delta_ |= 0x01;
    if (changed & msr_dsr) msr_delta_ |= 0x02;
    if ((before & msr_ri) && !(after & msr_ri)) msr_delta_ |= 0x04; // trailing edge only
    if (changed & msr_dcd) msr_delta_ |= 0x08;
    if (was_full && input_space() > 0) peer_.input_space(); // leaving loopback reconnects input
}

u8 Uart16550::read_iir()
{
    u8 const value = iir_bits();
    if (pending() == thr_empty) thr_interrupt_ = false; // reading IIR acknowledges THR empty
    update_irq();
    return value;
}

u8 Uart16550::read_lsr()
{
    u8 const value = lsr_bits();
    overrun_ = false;
    update_irq();
    return value;
}

u8 Uart16550::read_msr()
{
    u8 const value = msr_bits();
    msr_delta_ = 0;
    update_irq();
    return value;
}

u8 Uart16550::iir_bits() const
{
    return static_cast<u8>(pending() | (fifo_enabled() ? 0xc0 : 0));
}

u8 Uart16550::lsr_bits() const
{
    u8 value = lsr_thre | lsr_temt;
    if (rx_count_ > 0) value |= lsr_dr;
    if (overrun_) value |= lsr_oe;
    return value;
}

u8 Uart16550::msr_bits() const
{
    return modem_inputs() | msr_delta_;
}

// Loopback ties the MCR outputs to the inputs; otherwise a terminal is connected.
u8 Uart16550::modem_inputs() const
{
    if (!loopback()) return msr_cts | msr_dsr | msr_dcd;
    u8 inputs = 0;
    if (mcr_ & mcr_rts) inputs |= msr_cts;
    if (mcr_ & mcr_dtr) inputs |= msr_dsr;
    if (mcr_ & mcr_out1) inputs |= msr_ri;
    if (mcr_ & mcr_out2) inputs |= msr_dcd;
    return inputs;
}

void Uart16550::push_received(u8 byte)
{
    if (rx_count_ == capacity()) {
        overrun_ = true; // the byte in the shift register is lost
        return;
    }
    rx_[(rx_head_ + rx_count_) % fifo_size] = byte;
    ++rx_count_;
    timed_out_ = false;
    last_rx_activity_ = timers_.now();
    arm_timeout();
}

void Uart16550::clear_rx()
{
    rx_head_ = rx_count_ = 0;
    timed_out_ = false;
    timeout_timer_.cancel();
}

Uart16550::Interrupt Uart16550::pending() const
{
    if ((ier_ & ier_line) && overrun_) return line_status;
    if (ier_ & ier_rx) {
        unsigned const trigger = fifo_enabled() ? trigger_levels[fcr_ >> 6] : 1;
        if (rx_count_ >= trigger) return rx_data;
        if (timed_out_) return rx_timeout;
    }
    if ((ier_ & ier_thr) && thr_interrupt_) return thr_empty;
    if ((ier_ & ier_modem) && msr_delta_) return modem_status;
    return none;
}

// On a PC the UART's interrupt reaches the PIC through OUT2; loopback disconnects it.
void Uart16550::update_irq()
{
    irq_.set(pending() != none && (mcr_ & mcr_out2) && !loopback());
}

// The timeout matters only in FIFO mode with data below the trigger and receive interrupts on.
void Uart16550::arm_timeout()
{
    if (!fifo_enabled() || rx_count_ == 0 || !(ier_ & ier_rx)) return timeout_timer_.cancel();
    timeout_timer_.arm_at(last_rx_activity_ + character_timeout());
}

// Four character times of the current frame: start bit, data, parity, stop bits.
Nanoseconds Uart16550::character_timeout() const
{
    unsigned const data_bits = 5 + (lcr_ & 3);
    unsigned const parity_bits = (lcr_ & 0x08) ? 1 : 0;
    unsigned const stop_bits = (lcr_ & 0x04) ? 2 : 1; // 1.5 for 5-bit frames, rounded up
    u64 const divisor = std::max<u64>(this->divisor(), 1);
    Tick_rate const bit_rate{clock_hz, 16 * divisor};
    return bit_rate.time_for(4 * (1 + data_bits + parity_bits + stop_bits));
}

std::optional<std::string> Uart16550::broken_invariant() const
{
    if (rx_count_ > capacity()) return "more bytes in the receive buffer than it holds";
    if (rx_head_ >= fifo_size) return "the receive FIFO's head is outside it";
    if (ier_ & 0xf0) return "IER holds bits the 16550 does not have";
    if (timed_out_ && rx_count_ == 0) return "a character timeout with an empty FIFO";
    bool const irq = pending() != none && (mcr_ & mcr_out2) && !loopback();
    if (irq != irq_.level()) return "IRQ differs from the pending interrupt";
    return std::nullopt;
}

std::string Uart16550::describe_fifo() const
{
    std::vector<u64> bytes;
    for (std::size_t i = 0; i < rx_count_; ++i) bytes.push_back(rx_[(rx_head_ + i) % fifo_size]);
    State_line line("rx");
    line.text("mode", fifo_enabled() ? "fifo" : "16450").dec("count", rx_count_);
    line.dec("capacity", capacity()).dec("trigger", fifo_enabled() ? trigger_levels[fcr_ >> 6] : 1);
    line.hex_list("bytes", bytes).flag("overrun", overrun_);
    return line.str();
}

std::string Uart16550::describe_interrupt() const
{
    State_line line("interrupt");
    line.text("pending", interrupt_name(iir_bits())).flag("irq", irq_.level());
    line.flag("thr-empty-latched", thr_interrupt_).flag("timed-out", timed_out_);
    line.deadline("timeout", timeout_timer_.deadline());
    return line.str();
}

std::string Uart16550::describe_state() const
{
    State_line registers("registers");
    registers.hex("LCR", lcr_).hex("IER", ier_).hex("IIR", iir_bits()).hex("FCR", fcr_);
    registers.hex("LSR", lsr_bits()).hex("MCR", mcr_).hex("MSR", msr_bits()).hex("SCR", scr_);
    registers.dec("divisor", divisor());
    return registers.str() + describe_fifo() + describe_interrupt();
}

} // namespace vmm
