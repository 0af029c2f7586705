// The Motorola MC146818 real-time clock and its CMOS RAM, at index port 0x70 and data port 0x71,
// interrupting on IRQ 8.
//
// Models: seconds, minutes, hours, day of week, day of month, month and year (and the century
// byte at 0x32, as PC BIOSes keep it), in BCD or binary (register B bit 2) and in 24- or 12-hour
// form (bit 1; PM in bit 7 of the hour); the alarm registers with "don't care" bytes (0xc0–
// 0xff); register A's divider (time runs while DV is 000, 001 or 010, as QEMU has it) and rate
// select, with update-in-progress for the 244 µs before each update; register B's SET (stops
// updates, so the guest can write a consistent time, and clears UIE), PIE, AIE, UIE and the
// formats; register C's PF, AF, UF and IRQF, cleared by reading it; register D's valid-RAM bit;
// NMI-disable in bit 7 of the index port; 114 bytes of NVRAM. Periodic interrupts run at
// 32768 / 2^(RS−1) Hz (RS 1 and 2 give 256 and 128 Hz), aligned to the moment the divider last
// started. Flags are set whether or not their interrupt is enabled, so a guest that polls
// register C sees them.
//
// Time: the clock reads `start_time` (Unix seconds, UTC) at simulated time 0 plus simulated time
// since, so runs are deterministic; updates happen on whole seconds after the clock was last set
// or started. Setting the time (writes while SET, then clearing SET) or starting the divider
// restarts the second at that instant.
//
// Leaves out: the 500 ms between leaving divider reset and the first update (it is one second),
// the square-wave output, daylight-saving adjustment (DSE is stored and ignored), time bases
// other than 32.768 kHz. The registers show the time in the current format even when the guest
// changes format (a real chip would keep the old bytes). While the clock runs, a write to a time
// register moves the clock to that field's value at once; while it stands still (SET, divider
// stopped) writes are kept as written and normalised when it starts (day 31 of a 30-day month
// becomes the 1st of the next). The weekday register keeps a value written while the clock
// stands still; a running clock computes it.
//
// Threat model: the guest writes any byte to any index. Every value is stored, clamped or
// ignored; nothing loops longer than over the 24 × 60 × 60 candidate times of one day when
// looking for the next alarm, and nothing allocates.
#pragma once

#include "vmm/bus.hpp"
#include "vmm/irq.hpp"
#include "vmm/time.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace vmm {

struct Rtc_config {
    u16 base{0x70};
    unsigned irq{8};
    std::int64_t start_time{1'704'067'200}; // 2024-01-01 00:00:00 UTC
};

class Rtc final : public Io_device {
  public:
    // Config_error for a start time outside 1900–9999.
    Rtc(Bus& bus, Timer_queue& timers, Rtc_config config = {});
    Rtc(Rtc const&) = delete;
    Rtc& operator=(Rtc const&) = delete;

    u32 io_read(u16 port, unsigned size) override;
    void io_write(u16 port, unsigned size, u32 value) override;

    // The time the guest would read now, in Unix seconds.
    std::int64_t guest_time() const;
    bool nmi_disabled() const { return nmi_disabled_; }

    // NVRAM for the machine's firmware conventions (0x0e–0x7f except the century byte 0x32);
    // Config_error for a clock register.
    void set_nvram(u8 index, u8 value);
    // The memory-size bytes SeaBIOS and old kernels read: base and extended memory in KiB
    // (0x15/0x16, 0x17/0x18 and 0x30/0x31), memory from 16 MiB below 4 GiB in 64 KiB units
    // (0x34/0x35), memory above 4 GiB in 64 KiB units (0x5b–0x5d).
    void set_memory_size(u64 below_4g, u64 above_4g);

    std::optional<std::string> broken_invariant() const;
    // Registers A–D as a read now would see them (without clearing C), the index, the time
    // and how it runs, the alarms, the periodic rate and the timer (state_text.hpp).
    std::string describe_state() const;

    // A broken-down date and time; fields may hold out-of-range values a guest wrote.
    struct Calendar {
        int second, minute, hour, weekday, day, month, year; // weekday 1 = Sunday
    };

  private:
    enum Flag : u8 { update_flag = 0x10, alarm_flag = 0x20, periodic_flag = 0x40, irq_flag = 0x80 };

    u8 read_register(u8 index);
    void write_register(u8 index, u8 value);
    void write_time_field(u8 index, u8 value);
    void write_alarm(u8 index, u8 value);
    void write_a(u8 value);
    void write_b(u8 value);
    void run_state_changed(bool was_running);

    bool clock_runs() const;
    bool divider_runs() const;
    Calendar calendar() const;
    std::int64_t seconds_at(Nanoseconds now) const;
    u8 encode(int value) const;
    int decode(u8 value) const;
    u8 encode_hour(int hour) const;
    int decode_hour(u8 value) const;
    bool update_in_progress(Nanoseconds now) const;

    Nanoseconds next_update_after(Nanoseconds t) const;
    u64 periodic_ticks() const;
    Nanoseconds next_periodic_after(Nanoseconds t) const;
    Nanoseconds next_alarm_after(Nanoseconds t) const;
    u8 flags_at(Nanoseconds now) const;
    u8 register_a(Nanoseconds now) const;
    u8 register_c(u8 flags) const;
    std::string describe_clock() const;
    void refresh_flags(Nanoseconds now);
    void refresh_irq(Nanoseconds now);

    u16 base_;
    Timer_queue& timers_; // not owned
    Irq_line irq_;
    Timer timer_;
    Tick_rate divider_rate_{32'768};
    std::array<u8, 128> cmos_{}; // A, B, alarms and NVRAM; clock bytes live in the fields below
    u8 index_{0};
    bool nmi_disabled_{false};
    u8 flags_{0}; // register C
    Nanoseconds flags_checked_{0};
    std::int64_t base_seconds_; // the time at base_time_, while the clock runs
    Nanoseconds base_time_{0};
    Nanoseconds divider_started_{0};
    Calendar stopped_{}; // the time registers while the clock stands still
};

// Days since 1970-01-01 of a proleptic Gregorian date (month 1–12, day 1–31, any year), and
// back. Exposed for tests.
std::int64_t days_from_civil(std::int64_t year, int month, int day);
Rtc::Calendar civil_from_seconds(std::int64_t unix_seconds);

} // namespace vmm
