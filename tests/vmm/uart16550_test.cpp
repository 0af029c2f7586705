// The 16550A on the bus alone: how kvm-unit-tests and Linux program it, loopback, FIFOs,
// interrupts and their priorities, the character timeout on simulated time.
#include "vmm/devices/uart16550.hpp"
#include "vmm/serial_lines.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vmm_fixture.hpp"

namespace {

using namespace vmm;

struct Recording_peer : Serial_peer {
    std::string sent;
    unsigned space_calls{0};
    void transmit(u8 byte) override { sent.push_back(static_cast<char>(byte)); }
    void input_space() override { ++space_calls; }
};

enum : u16 {
    thr = 0x3f8,
    ier = 0x3f9,
    iir = 0x3fa,
    fcr = 0x3fa,
    lcr = 0x3fb,
    mcr = 0x3fc,
    lsr = 0x3fd,
    msr = 0x3fe,
    scr = 0x3ff
};

struct Uart_test : ::testing::Test {
    Manual_clock clock;
    Timer_queue timers{clock};
    Bus bus;
    Recording_peer peer;
    Uart16550 uart{bus, timers, peer};

    void out(u16 port, u8 value) { bus.io_out(port, 1, value); }
    u8 in(u16 port) { return static_cast<u8>(bus.io_in(port, 1)); }
    bool irq4() const { return bus.irq_lines().level(4); }
    std::size_t push(std::string const& text)
    {
        return uart.receive({reinterpret_cast<u8 const*>(text.data()), text.size()});
    }
    // Linux's 8250 set-up: 115200 8N1, FIFO with the 14-byte trigger, OUT2 for the PIC.
    void linux_setup(u8 fifo_control = 0xc7)
    {
        out(lcr, 0x83), out(thr, 0x01), out(ier, 0x00), out(lcr, 0x03);
        out(fcr, fifo_control);
        out(mcr, 0x0b); // DTR, RTS, OUT2
    }
    void expect_sound() { EXPECT_EQ(uart.broken_invariant(), std::nullopt); }
};

TEST_F(Uart_test, KvmUnitTestsPollsThreAndPrints)
{
    out(lcr, in(lcr) | 0x80); // lib/x86/io.c serial_init
    out(thr, 0x01), out(ier, 0x00);
    out(lcr, 0x03);
    out(ier, 0x00), out(fcr, 0x00), out(mcr, 0x03);
    EXPECT_EQ(uart.divisor(), 1);
    for (char c : std::string{"PASS: sieve\n"}) {
        ASSERT_TRUE(in(lsr)&0x20);
        out(thr, static_cast<u8>(c));
    }
    EXPECT_EQ(peer.sent, "PASS: sieve\n");
    EXPECT_EQ(in(lsr), 0x60); // transmitter empty, nothing received
    EXPECT_FALSE(irq4());
}

TEST_F(Uart_test, TheDivisorLatchHidesRbrAndIer)
{
    out(lcr, 0x80);
    out(thr, 0x0c), out(ier, 0x00); // 9600 baud
    EXPECT_EQ(in(thr), 0x0c);
    EXPECT_EQ(in(ier), 0x00);
    EXPECT_TRUE(peer.sent.empty());
    out(lcr, 0x03);
    EXPECT_EQ(uart.divisor(), 12);
    out(scr, 0x5a);
    EXPECT_EQ(in(scr), 0x5a);
}

TEST_F(Uart_test, EnablingThrEmptyInterruptsAtOnceAndIirAcknowledgesIt)
{
    linux_setup();
    EXPECT_FALSE(irq4());
    out(ier, 0x02);
    EXPECT_TRUE(irq4());
    EXPECT_EQ(in(iir), 0xc2);
    EXPECT_FALSE(irq4());
    EXPECT_EQ(in(iir), 0xc1);
    out(thr, 'x'); // sent at once: THR empty again
    EXPECT_TRUE(irq4());
    expect_sound();
}

TEST_F(Uart_test, Out2GatesTheInterruptOntoThePcBus)
{
    linux_setup();
    out(mcr, 0x03); // no OUT2
    out(ier, 0x02);
    EXPECT_FALSE(irq4());
    EXPECT_EQ(in(iir), 0xc2); // pending all the same
    out(mcr, 0x0b);
    out(thr, 'y');
    EXPECT_TRUE(irq4());
}

TEST_F(Uart_test, ReceivedDataInterruptsAtTheTriggerLevel)
{
    linux_setup(0x81); // FIFO, trigger at 8
    out(ier, 0x01);
    EXPECT_EQ(push("1234567"), 7u);
    EXPECT_FALSE(irq4());
    EXPECT_EQ(push("8"), 1u);
    EXPECT_TRUE(irq4());
    EXPECT_EQ(in(iir), 0xc4);
    std::string got;
    while (in(lsr)&0x01) got.push_back(static_cast<char>(in(thr)));
    EXPECT_EQ(got, "12345678");
    EXPECT_FALSE(irq4());
    expect_sound();
}

TEST_F(Uart_test, DataBelowTheTriggerTimesOutAfterFourCharacterTimes)
{
    linux_setup(); // trigger at 14; 8N1 at 115200: 10 bits a character
    out(ier, 0x01);
    push("ab");
    Nanoseconds const four_characters = Tick_rate{Uart16550::clock_hz, 16}.time_for(40);
    EXPECT_EQ(four_characters, 347'223u);
    run_until(clock, timers, four_characters - 1);
    EXPECT_FALSE(irq4());
    run_until(clock, timers, four_characters);
    EXPECT_TRUE(irq4());
    EXPECT_EQ(in(iir), 0xcc);
    EXPECT_EQ(in(thr), 'a'); // a read clears the timeout and restarts it
    EXPECT_FALSE(irq4());
    run_until(clock, timers, 2 * four_characters);
    EXPECT_TRUE(irq4());
    EXPECT_EQ(in(thr), 'b');
    run_until(clock, timers, 10 * four_characters);
    EXPECT_FALSE(irq4()); // empty: no timeout
}

TEST_F(Uart_test, TheTimeoutFollowsTheBaudRateAndFrame)
{
    linux_setup();
    out(lcr, 0x80), out(thr, 12), out(lcr, 0x1f); // 9600 baud, 8 bits, even parity, 2 stop bits
    out(ier, 0x01);
    push("z");
    Nanoseconds const expected = Tick_rate{Uart16550::clock_hz, 16 * 12}.time_for(4 * 12);
    run_until(clock, timers, expected - 1);
    EXPECT_FALSE(irq4());
    run_until(clock, timers, expected);
    EXPECT_TRUE(irq4());
}

TEST_F(Uart_test, HostInputTakesOnlyWhatFitsAndHearsWhenThereIsRoom)
{
    linux_setup();
    EXPECT_EQ(push(std::string(20, 'q')), 16u);
    EXPECT_EQ(uart.input_space(), 0u);
    EXPECT_EQ(in(lsr)&0x02, 0); // the host never overruns the FIFO
    in(thr);
    EXPECT_EQ(peer.space_calls, 1u);
    in(thr);
    EXPECT_EQ(peer.space_calls, 1u); // only after it was full
    EXPECT_EQ(push("qqqq"), 2u);
}

TEST_F(Uart_test, WithoutFifoOneByteIsHeld)
{
    linux_setup(0x00);
    out(ier, 0x01);
    EXPECT_EQ(push("xy"), 1u);
    EXPECT_TRUE(irq4());
    EXPECT_EQ(in(iir), 0x04); // no FIFO bits in IIR
    EXPECT_EQ(in(thr), 'x');
    EXPECT_EQ(peer.space_calls, 1u);
    EXPECT_EQ(push("y"), 1u);
}

TEST_F(Uart_test, LoopbackAsLinuxProbesIt)
{
    linux_setup();
    out(mcr, 0x1a);                // loopback with RTS and OUT2
    EXPECT_EQ(in(msr)&0xf0, 0x90); // CTS from RTS, DCD from OUT2
    out(thr, 'L');
    EXPECT_TRUE(peer.sent.empty());
    EXPECT_EQ(in(lsr)&0x01, 0x01);
    EXPECT_EQ(in(thr), 'L');
    EXPECT_EQ(push("host"), 0u); // the receiver is not connected to the line
    out(ier, 0x0f);
    EXPECT_FALSE(irq4()); // loopback keeps the interrupt off the bus
}

TEST_F(Uart_test, OverrunLosesTheNewByteAndRaisesLineStatus)
{
    linux_setup();
    out(mcr, 0x1b);
    for (int i = 0; i < 17; ++i) out(thr, static_cast<u8>('a' + i));
    out(ier, 0x05);
    EXPECT_EQ(in(iir), 0xc6); // line status outranks received data
    EXPECT_EQ(in(lsr), 0x63);
    EXPECT_EQ(in(iir), 0xc4); // reading LSR cleared the overrun
    EXPECT_EQ(in(lsr), 0x61);
    std::string got;
    while (in(lsr)&0x01) got.push_back(static_cast<char>(in(thr)));
    EXPECT_EQ(got, "abcdefghijklmnop");
}

TEST_F(Uart_test, InterruptPrioritiesAndModemStatus)
{
    linux_setup();
    out(mcr, 0x18); // loopback, OUT2
    in(msr);
    out(ier, 0x0f);
    EXPECT_EQ(in(iir), 0xc2); // THR empty (enabled just now)
    out(mcr, 0x1a);           // RTS: CTS changes
    EXPECT_EQ(in(iir), 0xc0); // modem status
    EXPECT_EQ(in(msr), 0x91); // CTS, DCD, delta CTS
    EXPECT_EQ(in(iir), 0xc1);
    out(mcr, 0x1c); // OUT1 raises RI; RTS falls
    out(mcr, 0x18); // RI falls: trailing edge
    EXPECT_EQ(in(msr)&0x0f, 0x05);
}

TEST_F(Uart_test, ShortWordLengthsMaskLoopbackButNotThePeer)
{
    out(thr, 'A'); // LCR resets to 5 data bits; a guest that never sets it still prints
    EXPECT_EQ(peer.sent, "A");
    out(mcr, 0x10);
    out(thr, 0xff);
    EXPECT_EQ(in(thr), 0x1f); // the own receiver takes 5 bits
}

TEST_F(Uart_test, FifoControlClearsTheReceiveFifo)
{
    linux_setup();
    push("abc");
    out(fcr, 0xc3);
    EXPECT_EQ(in(lsr)&0x01, 0);
    push("d");
    out(fcr, 0x00); // FIFO off also empties it
    EXPECT_EQ(in(lsr)&0x01, 0);
    EXPECT_EQ(in(iir)&0xc0, 0);
}

TEST(Serial_lines, CutsLinesDropsReturnsAndBoundsLongLines)
{
    std::vector<std::string> lines;
    Serial_lines log{[&](std::string_view line) { lines.emplace_back(line); }};
    for (char c : std::string{"one\r\ntwo\nthr"}) log.transmit(static_cast<u8>(c));
    EXPECT_EQ(lines, (std::vector<std::string>{"one", "two"}));
    EXPECT_EQ(log.partial(), "thr");
    log.flush();
    EXPECT_EQ(lines.back(), "thr");
    for (std::size_t i = 0; i < Serial_lines::max_line + 10; ++i) log.transmit('x');
    EXPECT_EQ(lines.back().size(), Serial_lines::max_line);
    EXPECT_EQ(log.partial().size(), 10u);
}

TEST_F(Uart_test, StateDumpShowsRegistersDivisorFifoAndTheTimeout)
{
    using vmm_test::has_fields;
    using vmm_test::state_field;
    out(lcr, 0x83), out(thr, 0x0c), out(ier, 0x00); // 9600 baud
    std::string state = uart.describe_state();
    EXPECT_TRUE(has_fields(state, "registers", {{"LCR", "0x83"}, {"divisor", "12"}}));
    out(lcr, 0x03), out(fcr, 0xc7), out(mcr, 0x0b);
    push("ab");
    EXPECT_EQ(uart.describe_state(),
              "registers: LCR=0x03 IER=0x00 IIR=0xc1 FCR=0xc1 LSR=0x61 MCR=0x0b MSR=0xb0 "
              "SCR=0x00 divisor=12\n"
              "rx: mode=fifo count=2 capacity=16 trigger=14 bytes=0x61,0x62 overrun=0\n"
              "interrupt: pending=none irq=0 thr-empty-latched=0 timed-out=0 timeout=never\n");
    out(ier, 0x01); // below the trigger: the character timeout runs
    state = uart.describe_state();
    EXPECT_EQ(state_field(state, "interrupt", "timeout"),
              std::to_string(timers.next_deadline()) + "ns");
    run_until(clock, timers, timers.next_deadline());
    state = uart.describe_state();
    EXPECT_EQ(state_field(state, "interrupt", "pending"), "rx-timeout");
    EXPECT_EQ(state_field(state, "registers", "IIR"), "0xcc");
    EXPECT_EQ(state_field(state, "interrupt", "irq"), "1");
    expect_sound();
}

TEST_F(Uart_test, StateDumpLeavesOverrunAndModemDeltasForTheGuestToRead)
{
    using vmm_test::has_fields;
    using vmm_test::state_field;
    out(lcr, 0x03), out(mcr, 0x10); // loopback, no FIFO: the second byte overruns
    out(thr, 'a'), out(thr, 'b');
    std::string const state = uart.describe_state();
    EXPECT_TRUE(has_fields(state, "registers",
                           {
                               {"LSR", "0x63"}, {"MSR", "0x0b"} // CTS, DSR, DCD dropped
                           }));
    EXPECT_TRUE(has_fields(state, "rx", {{"mode", "16450"}, {"bytes", "0x61"}}));
    EXPECT_EQ(uart.describe_state(), state);
    EXPECT_EQ(in(lsr), 0x63);
    EXPECT_EQ(in(msr), 0x0b);
    EXPECT_EQ(state_field(uart.describe_state(), "registers", "LSR"), "0x61");
    EXPECT_EQ(state_field(uart.describe_state(), "registers", "MSR"), "0x00");
}

} // namespace
