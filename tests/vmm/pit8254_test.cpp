// The 8254 on the bus alone with a manual clock: the programming sequences of Linux and
// SeaBIOS, every mode, latching and read-back, channel 2 through port 0x61.
#include "vmm/devices/pit8254.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "vmm_fixture.hpp"

namespace {

using namespace vmm;

// Rising edges of one line, with the time each happened.
struct Edge_log : Irq_sink {
    explicit Edge_log(Clock const& clock) : clock(clock) {}
    Clock const& clock;
    std::vector<Nanoseconds> rises;
    bool level{false};
    void irq_level(unsigned, bool high) override
    {
        if (high && !level) rises.push_back(clock.now());
        level = high;
    }
};

struct Pit_test : ::testing::Test {
    Manual_clock clock;
    Timer_queue timers{clock};
    Bus bus;
    Edge_log irq0{clock};
    Pit8254 pit{bus, timers};
    Tick_rate const rate{Pit8254::frequency_hz};

    Pit_test() { bus.irq_lines().connect(0, irq0, 0); }

    void out(u16 port, u8 value) { bus.io_out(port, 1, value); }
    u8 in(u16 port) { return static_cast<u8>(bus.io_in(port, 1)); }
    void program(u8 control, u16 port, u16 count)
    {
        out(0x43, control);
        out(port, static_cast<u8>(count));
        out(port, static_cast<u8>(count >> 8));
    }
    u16 read_word(u16 port)
    {
        u8 const low = in(port);
        return static_cast<u16>(low | in(port) << 8);
    }
    // Runs the clock to the moment `ticks` PIT ticks after the start of the test are complete.
    void run_to_tick(u64 ticks) { run_until(clock, timers, rate.time_for(ticks)); }
    bool out2() { return (in(0x61) & 0x20) != 0; }
    void expect_sound() { EXPECT_EQ(pit.broken_invariant(), std::nullopt); }
};

TEST_F(Pit_test, LinuxPeriodicTickAt100HzRaisesIrq0OncePerPeriod)
{
    constexpr u16 latch = (Pit8254::frequency_hz + 50) / 100; // 11932, as Linux computes it
    program(0x34, 0x40, latch);
    run_until(clock, timers, 10 * ns_per_second);
    u64 const periods = rate.ticks_in(10 * ns_per_second) / latch;
    ASSERT_EQ(irq0.rises.size(), periods);
    EXPECT_EQ(periods, 999u); // 100 Hz less a hair: 1193182 / 11932 = 99.998
    for (u64 k = 0; k < periods; ++k) ASSERT_EQ(irq0.rises[k], rate.time_for((k + 1) * latch)) << k;
    expect_sound();
}

TEST_F(Pit_test, SeabiosTickWithCountZeroRunsAt18Hz)
{
    program(0x34, 0x40, 0); // 0 means 65536
    run_until(clock, timers, ns_per_second);
    EXPECT_EQ(irq0.rises.size(), Pit8254::frequency_hz / 65536);
    EXPECT_EQ(irq0.rises.front(), rate.time_for(65536));
}

TEST_F(Pit_test, Mode0DropsOutAndRaisesItAtTerminalCountOnce)
{
    out(0x43, 0x30);
    EXPECT_FALSE(irq0.level); // OUT goes low with the control word
    out(0x40, 1000 & 0xff);
    out(0x40, 1000 >> 8);
    run_to_tick(999);
    EXPECT_TRUE(irq0.rises.empty());
    run_to_tick(1000);
    EXPECT_EQ(irq0.rises, (std::vector<Nanoseconds>{rate.time_for(1000)}));
    run_to_tick(1005);
    EXPECT_EQ(pit.count(0), 0xfffb); // it keeps counting down through zero
    run_to_tick(200'000);
    EXPECT_EQ(irq0.rises.size(), 1u);
    expect_sound();
}

TEST_F(Pit_test, Mode4StrobesOneTickAfterTerminalCount)
{
    program(0x38, 0x40, 50); // Linux's one-shot clockevent mode
    run_to_tick(50);
    EXPECT_TRUE(irq0.rises.empty());
    EXPECT_FALSE(pit.output(0)); // low for the tick at terminal count
    run_to_tick(51);
    EXPECT_EQ(irq0.rises.size(), 1u);
    EXPECT_EQ(irq0.rises.back(), rate.time_for(51));
    run_to_tick(100'000);
    EXPECT_EQ(irq0.rises.size(), 1u);
}

TEST_F(Pit_test, ALatchedCountHoldsUntilBothBytesAreRead)
{
    program(0x34, 0x40, 1000);
    run_to_tick(300);
    out(0x43, 0x00); // latch channel 0
    run_to_tick(450);
    out(0x43, 0x00); // a second latch before reading changes nothing
    EXPECT_EQ(read_word(0x40), 700);
    EXPECT_EQ(read_word(0x40), 550); // unlatched again: the live count
}

TEST_F(Pit_test, ReadBackLatchesStatusAndCount)
{
    out(0x43, 0x34);
    out(0x43, 0xe2);           // read-back: status of channel 0
    EXPECT_EQ(in(0x40), 0xf4); // OUT high, null count, LSB/MSB, mode 2
    out(0x40, 0xe8);
    out(0x40, 0x03); // 1000
    run_to_tick(10);
    out(0x43, 0xc2); // status and count
    EXPECT_EQ(in(0x40), 0xb4);
    EXPECT_EQ(read_word(0x40), 990);
}

TEST_F(Pit_test, ReadBackSelectsSeveralChannels)
{
    program(0x34, 0x40, 1000);
    program(0x74, 0x41, 2000);
    run_to_tick(100);
    out(0x43, 0xd6); // count of channels 1 and 2... and 0 (bits 1-3 = 011)
    run_to_tick(200);
    EXPECT_EQ(read_word(0x40), 900);
    EXPECT_EQ(read_word(0x41), 1900);
}

TEST_F(Pit_test, SingleByteAccessModes)
{
    out(0x43, 0x10); // channel 0, LSB only, mode 0
    out(0x40, 0x50);
    EXPECT_EQ(pit.count(0), 0x50);
    EXPECT_EQ(in(0x40), 0x50);
    out(0x43, 0x20); // MSB only
    out(0x40, 0x12);
    EXPECT_EQ(pit.count(0), 0x1200);
    EXPECT_EQ(in(0x40), 0x12);
}

TEST_F(Pit_test, BcdCountsInDecimal)
{
    program(0x35, 0x40, 0x1000); // mode 2, BCD 1000
    run_to_tick(1);
    EXPECT_EQ(pit.count(0), 0x0999);
    run_to_tick(3000);
    EXPECT_EQ(irq0.rises.size(), 3u);
    program(0x35, 0x40, 0); // BCD zero is 10000
    u64 const start = rate.ticks_in(clock.now());
    run_to_tick(start + 10'001);
    EXPECT_EQ(irq0.rises.size(), 4u);
}

TEST_F(Pit_test, LinuxTscCalibrationWaitsForChannel2Out)
{
    out(0x61, (in(0x61) & ~0x02) | 0x01); // gate high, speaker off
    program(0xb0, 0x42, 11932);           // channel 2, mode 0
    EXPECT_FALSE(out2());
    run_to_tick(11931);
    EXPECT_FALSE(out2());
    run_to_tick(11932);
    EXPECT_TRUE(out2());
    EXPECT_TRUE(irq0.rises.empty()); // channel 2 interrupts nothing
}

TEST_F(Pit_test, PortBKeepsItsLowBitsAndTogglesTheRefreshBit)
{
    out(0x61, 0xff);
    EXPECT_EQ(in(0x61) & 0x0f, 0x0f);
    clock.advance_to(Pit8254::refresh_toggle_ns - 1);
    EXPECT_EQ(in(0x61) & 0x10, 0);
    clock.advance_to(Pit8254::refresh_toggle_ns);
    EXPECT_EQ(in(0x61) & 0x10, 0x10);
    clock.advance_to(2 * Pit8254::refresh_toggle_ns);
    EXPECT_EQ(in(0x61) & 0x10, 0);
    EXPECT_EQ(in(0x61) & 0xc0, 0);
}

TEST_F(Pit_test, GateLowPausesMode0)
{
    out(0x61, 0x01);
    program(0xb0, 0x42, 1000);
    run_to_tick(400);
    out(0x61, 0x00);
    run_to_tick(5000);
    EXPECT_EQ(pit.count(2), 600);
    EXPECT_FALSE(out2());
    out(0x61, 0x01);
    run_to_tick(5599);
    EXPECT_FALSE(out2());
    run_to_tick(5600);
    EXPECT_TRUE(out2());
}

TEST_F(Pit_test, GateLowForcesMode2HighAndTheRisingGateReloads)
{
    out(0x61, 0x01);
    program(0xb4, 0x42, 100);
    run_to_tick(99);
    EXPECT_FALSE(out2()); // the low tick before reload
    out(0x61, 0x00);
    EXPECT_TRUE(out2());
    run_to_tick(150);
    out(0x61, 0x01);
    EXPECT_EQ(pit.count(2), 100);
    run_to_tick(249);
    EXPECT_FALSE(out2());
}

TEST_F(Pit_test, Mode1IsTriggeredAndRetriggeredByTheGate)
{
    program(0xb2, 0x42, 500);
    EXPECT_TRUE(out2()); // waits for a trigger
    out(0x61, 0x01);
    EXPECT_FALSE(out2());
    run_to_tick(300);
    out(0x61, 0x00);
    out(0x61, 0x01); // retrigger: 500 ticks from here
    run_to_tick(799);
    EXPECT_FALSE(out2());
    run_to_tick(800);
    EXPECT_TRUE(out2());
}

TEST_F(Pit_test, Mode5StrobesAfterTheTrigger)
{
    program(0xba, 0x42, 20);
    out(0x61, 0x01);
    run_to_tick(20);
    EXPECT_FALSE(out2());
    run_to_tick(21);
    EXPECT_TRUE(out2());
}

TEST_F(Pit_test, Mode3IsASquareWaveCountingByTwos)
{
    out(0x61, 0x01);
    program(0xb6, 0x42, 1000);
    run_to_tick(1);
    EXPECT_EQ(pit.count(2), 998);
    run_to_tick(499);
    EXPECT_TRUE(out2());
    run_to_tick(500);
    EXPECT_FALSE(out2());
    run_to_tick(999);
    EXPECT_FALSE(out2());
    run_to_tick(1000);
    EXPECT_TRUE(out2());
}

TEST_F(Pit_test, Mode3OnChannel0InterruptsOncePerPeriod)
{
    program(0x36, 0x40, 2000);
    run_to_tick(10'000);
    EXPECT_EQ(irq0.rises.size(), 5u);
}

TEST_F(Pit_test, ANewCountInMode2TakesOverAtTheEndOfThePeriod)
{
    program(0x34, 0x40, 1000);
    run_to_tick(300);
    out(0x40, 500 & 0xff);
    out(0x40, 500 >> 8);
    run_to_tick(2000);
    EXPECT_EQ(irq0.rises, (std::vector<Nanoseconds>{rate.time_for(1000), rate.time_for(1500),
                                                    rate.time_for(2000)}));
    expect_sound();
}

TEST_F(Pit_test, ACountWrittenAfterTheDegenerateCountOneStartsInterrupting)
{
    program(0x34, 0x40, 1);       // mode 2 with count 1: OUT never rises
    out(0x40, 200), out(0x40, 0); // 168 µs: above the 100 µs clamp
    run_to_tick(450);
    EXPECT_EQ(irq0.rises,
              (std::vector<Nanoseconds>{rate.time_for(1), rate.time_for(201), rate.time_for(401)}));
    expect_sound();
}

TEST_F(Pit_test, ABcdControlWordKeepsTheCountInDecimalRange)
{
    out(0x43, 0x31); // found by the randomised test: the count before loading was 65536
    expect_sound();
    EXPECT_EQ(pit.count(0), 0x0000);
}

TEST_F(Pit_test, TheFirstByteOfACountStopsMode0)
{
    program(0x30, 0x40, 100);
    run_to_tick(50);
    out(0x40, 0x10); // first byte of a new count
    run_to_tick(500);
    EXPECT_TRUE(irq0.rises.empty());
    out(0x40, 0x00); // count 0x0010
    run_to_tick(516);
    EXPECT_EQ(irq0.rises.size(), 1u);
}

TEST_F(Pit_test, PeriodicInterruptsAreClampedButCountsStayExact)
{
    program(0x34, 0x40, 2); // 597 kHz asked for
    run_until(clock, timers, 1'000'000);
    EXPECT_LE(irq0.rises.size(), 1'000'000 / default_min_period + 1);
    EXPECT_GE(irq0.rises.size(), 1'000'000 / default_min_period - 1);
    clock.advance_to(clock.now() + rate.time_for(1));
    u64 const e = rate.ticks_in(clock.now());
    EXPECT_EQ(pit.count(0), 2 - e % 2);
}

TEST_F(Pit_test, ALateTimerDeliversOneEdgeAndResumesOnThePeriodGrid)
{
    program(0x34, 0x40, 11932);
    clock.advance_to(ns_per_second); // the vCPU side ran the timers far too late
    EXPECT_EQ(timers.run_due(), 1u);
    EXPECT_EQ(irq0.rises.size(), 1u);
    u64 const next_period = rate.ticks_in(ns_per_second) / 11932 + 1;
    EXPECT_EQ(timers.next_deadline(), rate.time_for(next_period * 11932));
}

TEST_F(Pit_test, TheControlRegisterReadsAllOnesAndWordAccessesSplit)
{
    EXPECT_EQ(in(0x43), 0xff);
    out(0x43, 0x34);
    out(0x43, 0x74);
    bus.io_out(0x40, 2, 0x0201); // LSB 0x01 to channel 0, LSB 0x02 to channel 1
    out(0x40, 0x03);
    out(0x41, 0x04);
    EXPECT_EQ(pit.count(0), 0x0301);
    EXPECT_EQ(pit.count(1), 0x0402);
}

TEST_F(Pit_test, StateDumpShowsEachChannelsModeCountsGateAndOutput)
{
    using vmm_test::has_fields;
    using vmm_test::state_field;
    program(0x34, 0x40, 11932); // Linux's 100 Hz tick
    clock.advance_to(rate.time_for(100));
    std::string const state = pit.describe_state();
    EXPECT_TRUE(has_fields(state, "ch0",
                           {{"mode", "2"},
                            {"reload", "11932"},
                            {"count", "11832"},
                            {"state", "counting"},
                            {"gate", "1"},
                            {"out", "1"},
                            {"written", "-"}}));
    EXPECT_EQ(state_field(state, "irq0", "timer"), std::to_string(rate.time_for(11932)) + "ns");
    EXPECT_TRUE(has_fields(state, "ch2",
                           {{"gate", "0"}, // port 0x61 bit 0 starts clear
                            {"state", "unloaded"}}));
    // Gate 2 and OUT 2 low; the refresh bit toggles every 15 µs and 100 ticks (84 µs) is in
    // an odd period.
    EXPECT_EQ(state_field(state, "port-b", "value"), "0x10");
}

TEST_F(Pit_test, StateDumpShowsLatchesFlipFlopsAndBcdCountsInDecimal)
{
    using vmm_test::has_fields;
    program(0x75, 0x41, 0x1234); // channel 1, mode 2, BCD 1234
    out(0x43, 0x40);             // latch channel 1
    in(0x41);                    // the latch's LSB
    out(0x43, 0xb0);             // channel 2, LSB then MSB, mode 0
    out(0x42, 0x10);             // its LSB only
    std::string const state = pit.describe_state();
    EXPECT_TRUE(has_fields(state, "ch1",
                           {{"bcd", "1"},
                            {"reload", "1234"},
                            {"count", "1234"},
                            {"latched-count", "0x1234"},
                            {"read", "lsb/msb:msb-next"},
                            {"latched-status", "-"}}));
    EXPECT_TRUE(has_fields(state, "ch2", {{"write", "lsb/msb:msb-next"}, {"written", "65536"}}));
    EXPECT_EQ(in(0x41), 0x12); // dumping left the latch alone
}

// A new count in mode 2 waits for the end of the period; a dump after that shows it taken
// over although no access has made the device catch up yet, and does not catch up for it.
TEST_F(Pit_test, StateDumpShowsAPendingCountAndItsSwitchWithoutApplyingIt)
{
    using vmm_test::has_fields;
    program(0x34, 0x40, 1000);
    clock.advance_to(rate.time_for(100));
    out(0x40, 0xf4), out(0x40, 0x01); // 500, from the next period
    std::string state = pit.describe_state();
    EXPECT_TRUE(has_fields(state, "ch0", {{"reload", "1000"}, {"written", "500"}}));
    clock.advance_to(rate.time_for(1100));
    state = pit.describe_state();
    EXPECT_TRUE(has_fields(state, "ch0", {{"reload", "500"}, {"count", "400"}, {"written", "-"}}));
    EXPECT_EQ(pit.describe_state(), state);
    EXPECT_EQ(pit.count(0), 400);
}

} // namespace
