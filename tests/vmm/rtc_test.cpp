// The MC146818 on the bus alone with a manual clock: formats, setting the time as Linux does,
// update-in-progress, periodic, update and alarm interrupts, register C, NVRAM.
#include "vmm/devices/rtc.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "vmm_fixture.hpp"

namespace {

using namespace vmm;

struct Rtc_test : ::testing::Test {
    Manual_clock clock;
    Timer_queue timers{clock};
    Bus bus;
    Rtc rtc{bus, timers}; // 2024-01-01 00:00:00, a Monday

    u8 read(u8 index)
    {
        bus.io_out(0x70, 1, index);
        return static_cast<u8>(bus.io_in(0x71, 1));
    }
    void write(u8 index, u8 value)
    {
        bus.io_out(0x70, 1, index);
        bus.io_out(0x71, 1, value);
    }
    bool irq8() const { return bus.irq_lines().level(8); }
    // A guest that takes every IRQ 8 and reads register C: the times the interrupts came.
    std::vector<Nanoseconds> take_interrupts_until(Nanoseconds until, u8 expected_flags)
    {
        std::vector<Nanoseconds> at;
        for (Nanoseconds next = timers.next_deadline(); next <= until;
             next = timers.next_deadline()) {
            run_until(clock, timers, next);
            if (!irq8()) continue;
            at.push_back(clock.now());
            EXPECT_EQ(read(0x0c) & expected_flags, expected_flags);
            EXPECT_FALSE(irq8());
        }
        run_until(clock, timers, until);
        return at;
    }
    void expect_sound() { EXPECT_EQ(rtc.broken_invariant(), std::nullopt); }
};

TEST(Rtc_calendar, AgreesWithCountingDayByDay)
{
    int year = 1900, month = 1, day = 1;
    std::int64_t days = days_from_civil(1900, 1, 1);
    EXPECT_EQ(days, -25'567);
    auto month_length = [](int y, int m) {
        static int const lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        bool const leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        return lengths[m - 1] + (m == 2 && leap);
    };
    for (; year < 2101; ++days) {
        ASSERT_EQ(days_from_civil(year, month, day), days) << year << "-" << month << "-" << day;
        Rtc::Calendar const c = civil_from_seconds(days * 86'400 + 3723);
        ASSERT_EQ(c.year * 10000 + c.month * 100 + c.day, year * 10000 + month * 100 + day);
        ASSERT_EQ(c.hour * 3600 + c.minute * 60 + c.second, 3723);
        if (++day > month_length(year, month)) day = 1, month = month % 12 + 1, year += month == 1;
    }
    EXPECT_EQ(civil_from_seconds(0).weekday, 5);             // 1970-01-01, a Thursday
    EXPECT_EQ(civil_from_seconds(1'704'067'200).weekday, 2); // 2024-01-01, a Monday
    EXPECT_EQ(civil_from_seconds(-86'400).weekday, 4);       // 1969-12-31, a Wednesday
}

TEST_F(Rtc_test, ReadsTheStartTimePlusSimulatedTimeInBcd)
{
    clock.advance_to(3661 * ns_per_second + ns_per_second / 2);
    EXPECT_EQ(read(0x00), 0x01);
    EXPECT_EQ(read(0x02), 0x01);
    EXPECT_EQ(read(0x04), 0x01);
    EXPECT_EQ(read(0x06), 0x02);
    EXPECT_EQ(read(0x07), 0x01);
    EXPECT_EQ(read(0x08), 0x01);
    EXPECT_EQ(read(0x09), 0x24);
    EXPECT_EQ(read(0x32), 0x20);
    EXPECT_EQ(rtc.guest_time(), 1'704'067'200 + 3661);
}

TEST_F(Rtc_test, ALeapYearLaterItIsTheNextNewYear)
{
    clock.advance_to(366ull * 86'400 * ns_per_second);
    EXPECT_EQ(read(0x09), 0x25);
    EXPECT_EQ(read(0x08), 0x01);
    EXPECT_EQ(read(0x07), 0x01);
    EXPECT_EQ(read(0x06), 0x04); // 2025-01-01 is a Wednesday
}

TEST_F(Rtc_test, BinaryAndTwelveHourFormats)
{
    clock.advance_to((13 * 3600 + 5 * 60) * ns_per_second);
    write(0x0b, 0x04);           // binary, 12-hour
    EXPECT_EQ(read(0x04), 0x81); // 1 PM
    EXPECT_EQ(read(0x02), 5);
    write(0x0b, 0x00); // BCD, 12-hour
    EXPECT_EQ(read(0x04), 0x81);
    clock.advance_to((23 * 3600 + 59 * 60) * ns_per_second);
    EXPECT_EQ(read(0x04), 0x91); // 11 PM
    clock.advance_to((24 * 3600 + 30 * 60) * ns_per_second);
    EXPECT_EQ(read(0x04), 0x12); // 12 AM
    clock.advance_to((36 * 3600) * ns_per_second);
    EXPECT_EQ(read(0x04), 0x92); // 12 PM
}

TEST_F(Rtc_test, LinuxSetsTheTimeUnderSetAndItRunsFromThere)
{
    u8 const control = read(0x0b);
    write(0x0b, control | 0x80);
    write(0x08, 0x02), write(0x07, 0x10); // first to 10 February
    write(0x0b, control);
    write(0x0b, control | 0x80); // drivers/rtc/mc146818-lib.c order: seconds up to the year
    write(0x00, 0x59), write(0x02, 0x58), write(0x04, 0x23);
    write(0x07, 0x31); // day 31 while the month register still says February...
    write(0x08, 0x03); // ...then March: kept as written until SET clears
    write(0x09, 0x99), write(0x32, 0x19);
    clock.advance_by(5 * ns_per_second);
    EXPECT_EQ(read(0x00), 0x59); // stands still under SET
    write(0x0b, control);
    EXPECT_EQ(read(0x07), 0x31);
    EXPECT_EQ(read(0x08), 0x03);
    clock.advance_by(ns_per_second);
    EXPECT_EQ(read(0x00), 0x00);
    EXPECT_EQ(read(0x02), 0x59);
    clock.advance_by(60 * ns_per_second);
    EXPECT_EQ(read(0x04), 0x00);
    EXPECT_EQ(read(0x07), 0x01);
    EXPECT_EQ(read(0x08), 0x04);
    EXPECT_EQ(read(0x09), 0x99);
    EXPECT_EQ(read(0x32), 0x19);
    expect_sound();
}

TEST_F(Rtc_test, AnImpossibleDateIsNormalisedWhenTheClockStarts)
{
    write(0x0b, 0x82);
    write(0x08, 0x02), write(0x07, 0x30); // 30 February 2024
    write(0x0b, 0x02);
    EXPECT_EQ(read(0x08), 0x03);
    EXPECT_EQ(read(0x07), 0x01); // 2024 is a leap year: 1 March
}

TEST_F(Rtc_test, AWriteWhileRunningMovesTheClockAndKeepsThePhaseOfTheSecond)
{
    clock.advance_to(ns_per_second / 4);
    write(0x02, 0x30);
    EXPECT_EQ(read(0x02), 0x30);
    clock.advance_to(ns_per_second - 1);
    EXPECT_EQ(read(0x00), 0x00);
    clock.advance_to(ns_per_second);
    EXPECT_EQ(read(0x00), 0x01);
}

TEST_F(Rtc_test, UpdateInProgressForThe244MicrosecondsBeforeEachUpdate)
{
    clock.advance_to(ns_per_second - 244'142);
    EXPECT_EQ(read(0x0a) & 0x80, 0);
    clock.advance_to(ns_per_second - 244'141);
    EXPECT_EQ(read(0x0a), 0xa6);
    clock.advance_to(ns_per_second);
    EXPECT_EQ(read(0x0a), 0x26);
    write(0x0b, 0x82);
    clock.advance_to(2 * ns_per_second - 1000);
    EXPECT_EQ(read(0x0a) & 0x80, 0); // no updates under SET
}

TEST_F(Rtc_test, PeriodicInterruptAt1024Hz)
{
    write(0x0b, 0x42); // PIE
    std::vector<Nanoseconds> const at = take_interrupts_until(ns_per_second, 0xc0);
    ASSERT_EQ(at.size(), 1024u);
    Tick_rate const crystal{32'768};
    for (std::size_t k = 0; k < at.size(); ++k)
        ASSERT_EQ(at[k], crystal.time_for((k + 1) * 32)) << k;
    expect_sound();
}

TEST_F(Rtc_test, RateSelectSetsThePeriod)
{
    struct Rate {
        u8 select;
        std::size_t per_second;
    };
    for (Rate rate : {Rate{3, 8192}, Rate{1, 256}, Rate{2, 128}, Rate{15, 2}, Rate{0, 0}}) {
        write(0x0a, 0x20 | rate.select);
        write(0x0b, 0x42);
        Nanoseconds const from = clock.now();
        std::size_t const count = take_interrupts_until(from + ns_per_second, 0xc0).size();
        EXPECT_NEAR(static_cast<double>(count), static_cast<double>(rate.per_second), 1.0)
            << "rate select " << int{rate.select};
        write(0x0b, 0x02);
        read(0x0c);
    }
}

TEST_F(Rtc_test, UpdateEndedInterruptEverySecond)
{
    write(0x0b, 0x12); // UIE
    std::vector<Nanoseconds> const at = take_interrupts_until(3 * ns_per_second, 0x90);
    EXPECT_EQ(at, (std::vector<Nanoseconds>{ns_per_second, 2 * ns_per_second, 3 * ns_per_second}));
    write(0x0b, 0x92); // SET clears UIE
    EXPECT_EQ(read(0x0b), 0x82);
}

TEST_F(Rtc_test, AlarmAtAnExactTimeAndWithDontCareBytes)
{
    write(0x01, 0x05), write(0x03, 0x00), write(0x05, 0x00); // 00:00:05
    write(0x0b, 0x22);                                       // AIE
    EXPECT_EQ(take_interrupts_until(200 * ns_per_second, 0xa0),
              (std::vector<Nanoseconds>{5 * ns_per_second}));
    write(0x01, 0x30), write(0x03, 0xc0), write(0x05, 0xff); // hh:mm:30, every minute
    std::vector<Nanoseconds> const at = take_interrupts_until(400 * ns_per_second, 0xa0);
    EXPECT_EQ(at, (std::vector<Nanoseconds>{210 * ns_per_second, 270 * ns_per_second,
                                            330 * ns_per_second, 390 * ns_per_second}));
    write(0x01, 0x61); // not a second any clock shows: never
    EXPECT_EQ(take_interrupts_until(1000 * ns_per_second, 0xa0).size(), 0u);
    expect_sound();
}

TEST_F(Rtc_test, FlagsAreSetWithoutInterruptsAndReadingCClearsThem)
{
    clock.advance_to(ns_per_second + 10'000'000);
    EXPECT_FALSE(irq8());
    EXPECT_EQ(read(0x0c), 0x50); // PF and UF, no IRQF
    EXPECT_EQ(read(0x0c), 0x00);
    clock.advance_by(10'000'000);
    write(0x0b, 0x42);
    EXPECT_TRUE(irq8()); // enabling PIE with PF pending raises IRQF at once
    EXPECT_EQ(read(0x0c), 0xc0);
}

TEST_F(Rtc_test, StoppingTheDividerStopsTimeAndPeriodicInterrupts)
{
    clock.advance_to(2 * ns_per_second + 300'000'000);
    write(0x0a, 0x76); // divider in reset
    read(0x0c);
    clock.advance_to(10 * ns_per_second);
    EXPECT_EQ(read(0x00), 0x02);
    EXPECT_EQ(read(0x0c), 0x00);
    write(0x0a, 0x26);
    clock.advance_by(ns_per_second - 1);
    EXPECT_EQ(read(0x00), 0x02);
    clock.advance_by(1);
    EXPECT_EQ(read(0x00), 0x03);
}

TEST_F(Rtc_test, ReadOnlyRegistersIndexPortAndNmiMask)
{
    EXPECT_EQ(read(0x0d), 0x80);
    write(0x0d, 0x00);
    EXPECT_EQ(read(0x0d), 0x80);
    write(0x0c, 0xff);
    EXPECT_EQ(read(0x0c), 0x00);
    EXPECT_EQ(bus.io_in(0x70, 1), 0xffu);
    bus.io_out(0x70, 1, 0x8f);
    EXPECT_TRUE(rtc.nmi_disabled());
    bus.io_out(0x71, 1, 0x5a);
    EXPECT_EQ(read(0x0f), 0x5a); // the index was 0x0f, bit 7 aside
    EXPECT_FALSE(rtc.nmi_disabled());
}

TEST_F(Rtc_test, NvramAndMemorySize)
{
    write(0x40, 0xa5);
    EXPECT_EQ(read(0x40), 0xa5);
    rtc.set_memory_size(u64{512} << 20, u64{1} << 32);
    EXPECT_EQ(read(0x15) | read(0x16) << 8, 640);
    EXPECT_EQ(read(0x17) | read(0x18) << 8, 0xffff); // 523264 KiB does not fit
    EXPECT_EQ(read(0x34) | read(0x35) << 8, (512 - 16) * 16);
    EXPECT_EQ(read(0x5b) | read(0x5c) << 8 | read(0x5d) << 16, 0x10000);
    EXPECT_THROW(rtc.set_nvram(0x0b, 0), Config_error);
    EXPECT_THROW(rtc.set_nvram(0x32, 0), Config_error);
    EXPECT_THROW(rtc.set_nvram(0x80, 0), Config_error);
}

TEST(Rtc_config, RefusesAStartTimeNoClockCanShow)
{
    Manual_clock clock;
    Timer_queue timers{clock};
    Bus bus;
    EXPECT_THROW(Rtc(bus, timers, {.start_time = -3'000'000'000}), Config_error);
    EXPECT_THROW(Rtc(bus, timers, {.start_time = 300'000'000'000}), Config_error);
}

TEST_F(Rtc_test, StateDumpShowsRegistersTimeFormatAndAlarms)
{
    using vmm_test::has_fields;
    using vmm_test::state_field;
    clock.advance_to(5 * ns_per_second + 1);
    std::string state = rtc.describe_state();
    EXPECT_TRUE(has_fields(state, "registers", {{"A", "0x26"}, {"B", "0x02"}, {"D", "0x80"}}));
    EXPECT_TRUE(has_fields(state, "clock",
                           {{"time", "2024-01-01T00:00:05"},
                            {"weekday", "2"}, // a Monday
                            {"state", "running"},
                            {"format", "bcd"}}));
    // No interrupt is enabled, so no timer runs.
    EXPECT_TRUE(has_fields(state, "interrupt", {{"periodic-hz", "1024"}, {"timer", "never"}}));
    write(0x05, 0x12), write(0x03, 0xc0), write(0x01, 0x30);
    write(0x0b, 0x86); // SET, binary, 24-hour
    write(0x0a, 0x2f); // 2 Hz
    state = rtc.describe_state();
    EXPECT_TRUE(
        has_fields(state, "alarm", {{"hours", "0x12"}, {"minutes", "0xc0"}, {"seconds", "0x30"}}));
    EXPECT_EQ(state_field(state, "registers", "B"), "0x86");
    EXPECT_TRUE(has_fields(state, "clock", {{"state", "set"}, {"format", "binary"}}));
    EXPECT_EQ(state_field(state, "interrupt", "periodic-hz"), "2");
}

// Register C as a read now would return it: flags of events no access has looked at yet are
// in it, and dumping clears nothing.
TEST_F(Rtc_test, StateDumpShowsRegisterCWithoutClearingIt)
{
    using vmm_test::state_field;
    clock.advance_to(ns_per_second + ns_per_second / 2);
    EXPECT_EQ(state_field(rtc.describe_state(), "registers", "C"), "0x50"); // PF, UF
    write(0x0b, 0x42);                                                      // PIE
    std::string const state = rtc.describe_state();
    EXPECT_EQ(state_field(state, "registers", "C"), "0xd0"); // and IRQF
    EXPECT_EQ(state_field(state, "interrupt", "irq"), "1");
    EXPECT_EQ(rtc.describe_state(), state);
    EXPECT_EQ(read(0x0c), 0xd0);
    Nanoseconds const next = Tick_rate{32'768}.time_for(49'152 + 32); // 1.5 s, then 1/1024 s
    EXPECT_EQ(state_field(rtc.describe_state(), "registers", "C"), "0x00");
    EXPECT_EQ(state_field(rtc.describe_state(), "interrupt", "timer"), std::to_string(next) + "ns");
    expect_sound();
}

} // namespace
