// A National Semiconductor 16550A UART, as COM1 at 0x3f8 on IRQ 4 (COM2 at 0x2f8 on IRQ 3 is
// the same class with another Uart_config).
//
// Models: RBR/THR, IER, IIR/FCR, LCR with the divisor latch (DLAB), MCR, LSR, MSR and SCR; the
// 16-byte receive FIFO with its trigger levels (1, 4, 8, 14) and the character timeout (4
// character times at the programmed baud rate and frame, on simulated time); the FIFO-less
// 16450 mode of FCR bit 0 = 0 (a one-byte holding register); overrun; interrupts in the 16550's
// priority order (line status, received data or timeout, THR empty, modem status) with their
// clearing rules (reading LSR, reading RBR, reading IIR or writing THR, reading MSR), including
// the THR-empty interrupt that enabling ETBEI raises at once; loopback (TX into the own RX, MCR
// outputs onto the MSR inputs); the PC wiring where IRQ 4 only reaches the PIC while MCR.OUT2
// is set and the UART is not in loopback.
//
// Transmission takes no simulated time: a byte written to THR reaches the Serial_peer at once
// and THR and the transmitter are empty again, so a guest that polls LSR.THRE never waits and
// THR-empty interrupts follow every write. The peer gets all 8 bits of each byte whatever LCR's
// word length (as from QEMU's 16550: a guest that never programs LCR, which resets to 5 bits,
// still prints); only the UART's own receiver in loopback keeps just the frame's data bits.
// Received bytes come from the peer (the console in
// real-time mode, a test, a replayed trace) through receive(), which takes only what fits: the
// peer keeps the rest until input_space() says there is room, so host input is never lost to
// an overrun. Without loopback the modem inputs show a connected terminal (CTS, DSR, DCD set).
//
// Leaves out: parity, framing and break errors (bytes arrive intact; LSR bits 2–4 and 7 stay
// clear), sending break, the transmit FIFO's occupancy (it is always empty), the DMA mode bit,
// the 16750's 64-byte FIFO. A divisor of 0 counts as 1 for the character timeout.
//
// Threat model: any value at any register, in any order. Both FIFOs are fixed arrays; no guest
// write allocates or loops; the only timer the guest controls (the character timeout) fires
// once per arrival or read.
#pragma once

#include "vmm/bus.hpp"
#include "vmm/irq.hpp"
#include "vmm/time.hpp"

#include <array>
#include <optional>
#include <span>
#include <string>

namespace vmm {

// The other end of the serial line: the console, a log, a test. Owned by whoever wires the
// machine; it must outlive the UART.
class Serial_peer {
  public:
    virtual ~Serial_peer() = default;
    // A byte the guest sent: all 8 bits, whatever word length LCR says.
    virtual void transmit(u8 byte) = 0;
    // The receive FIFO has room again after it was full: the peer may call receive() now, even
    // from inside this call (the UART has finished its own update by then).
    virtual void input_space() {}
};

struct Uart_config {
    u16 base{0x3f8};
    unsigned irq{4};
};

class Uart16550 final : public Io_device {
  public:
    static constexpr unsigned fifo_size = 16;
    static constexpr u64 clock_hz = 1'843'200; // the PC's UART crystal: 115200 baud at divisor 1

    Uart16550(Bus& bus, Timer_queue& timers, Serial_peer& peer, Uart_config config = {});
    Uart16550(Uart16550 const&) = delete;
    Uart16550& operator=(Uart16550 const&) = delete;

    // Host side: takes the bytes that fit in the receive buffer now and returns how many.
    std::size_t receive(std::span<u8 const> bytes);
    std::size_t input_space() const;

    u32 io_read(u16 port, unsigned size) override;
    void io_write(u16 port, unsigned size, u32 value) override;

    u16 divisor() const { return static_cast<u16>(dlm_ << 8 | dll_); }
    std::optional<std::string> broken_invariant() const;
    // The registers as reads now would see them (without their side effects), the divisor, the
    // receive FIFO's fill and bytes, and the pending interrupt (state_text.hpp).
    std::string describe_state() const;

  private:
    enum Interrupt : u8 {
        none = 0x01,
        line_status = 0x06,
        rx_data = 0x04,
        rx_timeout = 0x0c,
        thr_empty = 0x02,
        modem_status = 0x00
    };

    u8 read_register(unsigned offset);
    void write_register(unsigned offset, u8 value);
    u8 read_rbr();
    void write_thr(u8 value);
    void write_ier(u8 value);
    void write_fcr(u8 value);
    void write_mcr(u8 value);
    u8 read_iir();
    u8 read_lsr();
    u8 read_msr();
    u8 iir_bits() const;
    u8 lsr_bits() const;
    u8 msr_bits() const;
    std::string describe_fifo() const;
    std::string describe_interrupt() const;

    bool loopback() const { return (mcr_ & 0x10) != 0; }
    bool fifo_enabled() const { return (fcr_ & 0x01) != 0; }
    std::size_t capacity() const { return fifo_enabled() ? fifo_size : 1; }
    u8 modem_inputs() const;
    u8 word_mask() const { return static_cast<u8>((1u << (5 + (lcr_ & 3))) - 1); }
    void push_received(u8 byte);
    void clear_rx();
    Interrupt pending() const;
    void update_irq();
    void arm_timeout();
    Nanoseconds character_timeout() const;

    Uart_config config_;
    Timer_queue& timers_; // not owned
    Serial_peer& peer_;   // not owned
    Irq_line irq_;
    Timer timeout_timer_;
    std::array<u8, fifo_size> rx_{};
    std::size_t rx_head_{0}, rx_count_{0};
    u8 last_rx_{0};
    u8 ier_{0}, lcr_{0}, mcr_{0}, scr_{0}, fcr_{0};
    u8 dll_{1}, dlm_{0};
    u8 msr_delta_{0};
    bool overrun_{false};
    bool thr_interrupt_{false}; // THR became empty and IIR has not reported it yet
    bool timed_out_{false};     // the character timeout passed with data in the FIFO
    Nanoseconds last_rx_activity_{0};
};

} // namespace vmm
