#include "vmm/devices/rtc.hpp"

#include "vmm/state_text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace vmm {

namespace {

enum Register : u8 {
    reg_seconds = 0x00,
    reg_seconds_alarm = 0x01,
    reg_minutes = 0x02,
    reg_minutes_alarm = 0x03,
    reg_hours = 0x04,
    reg_hours_alarm = 0x05,
    reg_weekday = 0x06,
    reg_day = 0x07,
    reg_month = 0x08,
    reg_year = 0x09,
    reg_a = 0x0a,
    reg_b = 0x0b,
    reg_c = 0x0c,
    reg_d = 0x0d,
    reg_century = 0x32,
};

constexpr u8 b_set = 0x80, b_uie = 0x10, b_binary = 0x04, b_24_hour = 0x02;
constexpr u8 interrupt_enables = 0x70; // PIE, AIE, UIE: the same bits as PF, AF, UF in C
constexpr u8 valid_ram_and_time = 0x80;
constexpr Nanoseconds uip_window = 244'141; // 8 cycles of 32.768 kHz, rounded up
constexpr std::int64_t seconds_per_day = 86'400;
constexpr std::int64_t earliest_start = -2'208'988'800; // 1900-01-01
constexpr std::int64_t latest_start = 253'402'300'799;  // 9999-12-31 23:59:59

std::int64_t floor_div(std::int64_t a, std::int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

bool leap_year(std::int64_t year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

constexpr int days_before_month[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

bool alarm_matches(u8 alarm, u8 value)
{
    return (alarm & 0xc0) == 0xc0 || alarm == value;
}

} // namespace

std::int64_t days_from_civil(std::int64_t year, int month, int day)
{
    std::int64_t const before = year - 1; // whole years since 0001-01-01
    std::int64_t days =
        365 * before + floor_div(before, 4) - floor_div(before, 100) + floor_div(before, 400);
    days += days_before_month[month - 1] + (month > 2 && leap_year(year)) + day - 1;
    return days - 719'162; // 0001-01-01 to 1970-01-01
}

Rtc::Calendar civil_from_seconds(std::int64_t unix_seconds)
{
    std::int64_t const days = floor_div(unix_seconds, seconds_per_day);
    std::int64_t const time = unix_seconds - days * seconds_per_day;
    std::int64_t year = 1970 + floor_div(days * 400, 146'097); // at most one year off
    while (days_from_civil(year, 1, 1) > days) --year;
    while (days_from_civil(year + 1, 1, 1) <= days) ++year;
    int month = 12;
    while (days_from_civil(year, month, 1) > days) --month;
    Rtc::Calendar c{};
    c.day = static_cast<int>(days - days_from_civil(year, month, 1)) + 1;
    c.month = month;
    c.year = static_cast<int>(year);
    c.weekday = static_cast<int>((days % 7 + 11) % 7) + 1; // 1970-01-01 was a Thursday (5)
    c.hour = static_cast<int>(time / 3600);
    c.minute = static_cast<int>(time / 60 % 60);
    c.second = static_cast<int>(time % 60);
    return c;
}

namespace {

// Out-of-range fields a guest wrote become a real date: months and hours are clamped, extra
// days run into the next month.
std::int64_t seconds_of(Rtc::Calendar const& c)
{
    std::int64_t const days =
        days_from_civil(c.year, std::clamp(c.month, 1, 12), 1) + std::clamp(c.day, 1, 31) - 1;
    return days * seconds_per_day + std::clamp(c.hour, 0, 23) * 3600 +
           std::clamp(c.minute, 0, 59) * 60 + std::clamp(c.second, 0, 59);
}

} // namespace

Rtc::Rtc(Bus& bus, Timer_queue& timers, Rtc_config config)
    : base_(config.base), timers_(timers), irq_(bus.irq_lines(), config.irq),
      timer_(timers, [this] { refresh_irq(timers_.now()); }), base_seconds_(config.start_time)
{
    if (config.start_time < earliest_start || config.start_time > latest_start)
        throw Config_error("RTC start time must lie between 1900 and 9999");
    cmos_[reg_a] = 0x26; // 32.768 kHz divider running, 1024 Hz periodic rate: as BIOSes leave it
    cmos_[reg_b] = b_24_hour;
    bus.add_io({config.base, 2}, *this, "rtc", Widths{1});
}

u32 Rtc::io_read(u16 port, unsigned)
{
    if (port == base_) return 0xff; // the index port is write-only
    return read_register(index_);
}

void Rtc::io_write(u16 port, unsigned, u32 value)
{
    u8 const byte = static_cast<u8>(value);
    if (port != base_) return write_register(index_, byte);
    index_ = byte & 0x7f;
    nmi_disabled_ = (byte & 0x80) != 0;
}

u8 Rtc::read_register(u8 index)
{
    Nanoseconds const now = timers_.now();
    switch (index) {
    case reg_seconds:
        return encode(calendar().second);
    case reg_minutes:
        return encode(calendar().minute);
    case reg_hours:
        return encode_hour(calendar().hour);
    case reg_weekday:
        return encode(calendar().weekday);
    case reg_day:
        return encode(calendar().day);
    case reg_month:
        return encode(calendar().month);
    case reg_year:
        return encode(calendar().year % 100);
    case reg_century:
        return encode(calendar().year / 100);
    case reg_a:
        return register_a(now);
    case reg_c: {
        refresh_flags(now);
        u8 const value = register_c(flags_);
        flags_ = 0;
        refresh_irq(now);
        return value;
    }
    case reg_d:
        return valid_ram_and_time;
    default:
        return cmos_[index];
    }
}

void Rtc::write_register(u8 index, u8 value)
{
    switch (index) {
    case reg_seconds:
    case reg_minutes:
    case reg_hours:
    case reg_weekday:
    case reg_day:
    case reg_month:
    case reg_year:
    case reg_century:
        return write_time_field(index, value);
    case reg_a:
        return write_a(value);
    case reg_b:
        return write_b(value);
    case reg_c:
    case reg_d:
        return; // read-only
    case reg_seconds_alarm:
    case reg_minutes_alarm:
    case reg_hours_alarm:
        return write_alarm(index, value);
    default:
        cmos_[index] = value; // NVRAM
    }
}

void Rtc::write_alarm(u8 index, u8 value)
{
    Nanoseconds const now = timers_.now();
    refresh_flags(now); // events so far count with the old alarm
    cmos_[index] = value;
    refresh_irq(now);
}

void Rtc::write_time_field(u8 index, u8 value)
{
    Nanoseconds const now = timers_.now();
    refresh_flags(now);
    Calendar c = calendar();
    switch (index) {
    case reg_seconds:
        c.second = decode(value);
        break;
    case reg_minutes:
        c.minute = decode(value);
        break;
    case reg_hours:
        c.hour = decode_hour(value);
        break;
    case reg_weekday:
        c.weekday = decode(value);
        break;
    case reg_day:
        c.day = decode(value);
        break;
    case reg_month:
        c.month = decode(value);
        break;
    case reg_year:
        c.year = c.year / 100 * 100 + decode(value);
        break;
    default:
        c.year = decode(value) * 100 + c.year % 100;
        break; // century
    }
    if (!clock_runs()) {
        stopped_ = c;
        return;
    }
    Nanoseconds const phase = (now - base_time_) % ns_per_second; // the second keeps its phase
    base_seconds_ = seconds_of(c);
    base_time_ = now - phase;
    refresh_irq(now);
}

void Rtc::write_a(u8 value)
{
    Nanoseconds const now = timers_.now();
    refresh_flags(now);
    bool const was_running = clock_runs();
    bool const divider_was_running = divider_runs();
    cmos_[reg_a] = value & 0x7f; // UIP is read-only
    if (!divider_was_running && divider_runs()) divider_started_ = now;
    run_state_changed(was_running);
    refresh_irq(now);
}

void Rtc::write_b(u8 value)
{
    Nanoseconds const now = timers_.now();
    refresh_flags(now);
    bool const was_running = clock_runs();
    if (value & b_set) value &= ~b_uie;
    cmos_[reg_b] = value;
    run_state_changed(was_running);
    refresh_irq(now);
}

// Stopping keeps the registers as they read; starting takes them as the new time.
void Rtc::run_state_changed(bool was_running)
{
    Nanoseconds const now = timers_.now();
    if (was_running && !clock_runs()) stopped_ = civil_from_seconds(seconds_at(now));
    if (!was_running && clock_runs()) {
        base_seconds_ = seconds_of(stopped_);
        base_time_ = now;
    }
}

bool Rtc::divider_runs() const
{
    return ((cmos_[reg_a] >> 4) & 7) <= 2;
}

bool Rtc::clock_runs() const
{
    return (cmos_[reg_b] & b_set) == 0 && divider_runs();
}

Rtc::Calendar Rtc::calendar() const
{
    return clock_runs() ? civil_from_seconds(seconds_at(timers_.now())) : stopped_;
}

std::int64_t Rtc::seconds_at(Nanoseconds now) const
{
    return base_seconds_ + static_cast<std::int64_t>((now - base_time_) / ns_per_second);
}

std::int64_t Rtc::guest_time() const
{
    return clock_runs() ? seconds_at(timers_.now()) : seconds_of(stopped_);
}

u8 Rtc::encode(int value) const
{
    value = std::max(value, 0);
    if (cmos_[reg_b] & b_binary) return static_cast<u8>(value);
    return static_cast<u8>((value / 10 % 10) << 4 | value % 10);
}

int Rtc::decode(u8 value) const
{
    if (cmos_[reg_b] & b_binary) return value;
    return (value >> 4) * 10 + (value & 0x0f);
}

u8 Rtc::encode_hour(int hour) const
{
    if (cmos_[reg_b] & b_24_hour) return encode(hour);
    int const twelve = hour % 12 == 0 ? 12 : hour % 12;
    return static_cast<u8>(encode(twelve) | (hour >= 12 ? 0x80 : 0));
}

int Rtc::decode_hour(u8 value) const
{
    if (cmos_[reg_b] & b_24_hour) return decode(value);
    return decode(value & 0x7f) % 12 + ((value & 0x80) ? 12 : 0);
}

bool Rtc::update_in_progress(Nanoseconds now) const
{
    return clock_runs() && next_update_after(now) - now <= uip_window;
}

Nanoseconds Rtc::next_update_after(Nanoseconds t) const
{
    if (!clock_runs()) return never;
    u64 const whole = t < base_time_ ? 0 : (t - base_time_) / ns_per_second;
    return base_time_ + (whole + 1) * ns_per_second;
}

// The periodic interrupt's period in 32.768 kHz ticks (RS 1 and 2 are 256 and 128 Hz, the
// others 32768 / 2^(RS−1) Hz); 0 for none: RS 0 or a stopped divider.
u64 Rtc::periodic_ticks() const
{
    unsigned const rate = cmos_[reg_a] & 0x0f;
    if (rate == 0 || !divider_runs()) return 0;
    return rate <= 2 ? u64{1} << (rate + 6) : u64{1} << (rate - 1);
}

Nanoseconds Rtc::next_periodic_after(Nanoseconds t) const
{
    u64 const period = periodic_ticks();
    if (period == 0) return never;
    u64 const done = t < divider_started_ ? 0 : divider_rate_.ticks_in(t - divider_started_);
    return divider_started_ + divider_rate_.time_for((done / period + 1) * period);
}

// The first update after t that makes the time match the alarm bytes.
Nanoseconds Rtc::next_alarm_after(Nanoseconds t) const
{
    Nanoseconds const first_update = next_update_after(t);
    if (first_update == never) return never;
    std::int64_t const from =
        base_seconds_ + static_cast<std::int64_t>((first_update - base_time_) / ns_per_second);
    std::int64_t const day = floor_div(from, seconds_per_day) * seconds_per_day;
    for (std::int64_t start = day; start <= day + seconds_per_day; start += seconds_per_day) {
        for (int hour = 0; hour < 24; ++hour) {
            if (start + (hour + 1) * 3600 <= from ||
                !alarm_matches(cmos_[reg_hours_alarm], encode_hour(hour)))
                continue;
            for (int minute = 0; minute < 60; ++minute) {
                std::int64_t const at = start + hour * 3600 + minute * 60;
                if (at + 60 <= from || !alarm_matches(cmos_[reg_minutes_alarm], encode(minute)))
                    continue;
                for (int second = 0; second < 60; ++second) {
                    if (at + second < from ||
                        !alarm_matches(cmos_[reg_seconds_alarm], encode(second)))
                        continue;
                    return base_time_ +
                           static_cast<u64>(at + second - base_seconds_) * ns_per_second;
                }
            }
        }
    }
    return never; // no time of day matches
}

// The flags with every event since the last look, enabled or not.
u8 Rtc::flags_at(Nanoseconds now) const
{
    if (now <= flags_checked_) return flags_;
    Nanoseconds const from = flags_checked_;
    u8 flags = flags_;
    if (next_periodic_after(from) <= now) flags |= periodic_flag;
    if (next_update_after(from) <= now) flags |= update_flag;
    if (next_alarm_after(from) <= now) flags |= alarm_flag;
    return flags;
}

void Rtc::refresh_flags(Nanoseconds now)
{
    if (now <= flags_checked_) return;
    flags_ = flags_at(now);
    flags_checked_ = now;
}

// UIP is computed, never stored.
u8 Rtc::register_a(Nanoseconds now) const
{
    return static_cast<u8>(cmos_[reg_a] | (update_in_progress(now) ? 0x80 : 0));
}

// Register C: the flags, and IRQF while an enabled one is set.
u8 Rtc::register_c(u8 flags) const
{
    return static_cast<u8>(flags | ((flags & cmos_[reg_b] & interrupt_enables) ? irq_flag : 0));
}

// IRQ 8 is IRQF; while it is set nothing new can be signalled, so no timer is needed.
void Rtc::refresh_irq(Nanoseconds now)
{
    refresh_flags(now);
    u8 const enabled = cmos_[reg_b] & interrupt_enables;
    bool const irq = (flags_ & enabled) != 0;
    irq_.set(irq);
    Nanoseconds next = never;
    if (!irq && (enabled & periodic_flag)) next = std::min(next, next_periodic_after(now));
    if (!irq && (enabled & update_flag)) next = std::min(next, next_update_after(now));
    if (!irq && (enabled & alarm_flag)) next = std::min(next, next_alarm_after(now));
    if (next == never)
        timer_.cancel();
    else
        timer_.arm_at(next);
}

void Rtc::set_nvram(u8 index, u8 value)
{
    if (index < 0x0e || index >= 0x80 || index == reg_century)
        throw Config_error("CMOS index " + std::to_string(index) +
                           " is a clock register, not NVRAM");
    cmos_[index] = value;
}

void Rtc::set_memory_size(u64 below_4g, u64 above_4g)
{
    auto put16 = [this](u8 index, u64 value) {
        u64 const capped = std::min<u64>(value, 0xffff);
        set_nvram(index, static_cast<u8>(capped)),
            set_nvram(index + 1, static_cast<u8>(capped >> 8));
    };
    constexpr u64 one_mib = u64{1} << 20, sixteen_mib = u64{16} << 20;
    put16(0x15, 640);
    u64 const extended_kib = below_4g > one_mib ? (below_4g - one_mib) >> 10 : 0;
    put16(0x17, extended_kib);
    put16(0x30, extended_kib);
    put16(0x34, below_4g > sixteen_mib ? (below_4g - sixteen_mib) >> 16 : 0);
    u64 const high = std::min<u64>(above_4g >> 16, 0xff'ffff);
    set_nvram(0x5b, static_cast<u8>(high)), set_nvram(0x5c, static_cast<u8>(high >> 8)),
        set_nvram(0x5d, static_cast<u8>(high >> 16));
}

std::optional<std::string> Rtc::broken_invariant() const
{
    if (flags_ & ~interrupt_enables) return "register C holds a bit that is not a flag";
    if (cmos_[reg_a] & 0x80) return "UIP is stored instead of computed";
    bool const irq = (flags_ & cmos_[reg_b] & interrupt_enables) != 0;
    if (irq != irq_.level()) return "IRQ 8 differs from IRQF";
    if ((cmos_[reg_b] & b_set) && (cmos_[reg_b] & b_uie)) return "UIE is set while SET is";
    if (!irq && (cmos_[reg_b] & 0x40) && next_periodic_after(timers_.now()) != never &&
        !timer_.armed())
        return "a periodic interrupt is enabled but no timer is armed";
    return std::nullopt;
}

std::string Rtc::describe_clock() const
{
    Calendar const c = calendar();
    std::string const time = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.year, c.month,
                                         c.day, c.hour, c.minute, c.second);
    std::string_view const runs = clock_runs()      ? "running"
                                  : !divider_runs() ? "divider-stopped"
                                                    : "set";
    State_line line("clock");
    line.text("time", time).dec("weekday", static_cast<u64>(c.weekday)).text("state", runs);
    line.text("format", cmos_[reg_b] & b_binary ? "binary" : "bcd");
    line.text("hours", cmos_[reg_b] & b_24_hour ? "24" : "12");
    return line.str();
}

std::string Rtc::describe_state() const
{
    Nanoseconds const now = timers_.now();
    State_line registers("registers");
    registers.hex("A", register_a(now)).hex("B", cmos_[reg_b]);
    registers.hex("C", register_c(flags_at(now))).hex("D", valid_ram_and_time);
    registers.hex("index", index_).flag("nmi-disabled", nmi_disabled_);
    State_line alarm("alarm");
    alarm.hex("hours", cmos_[reg_hours_alarm]).hex("minutes", cmos_[reg_minutes_alarm]);
    alarm.hex("seconds", cmos_[reg_seconds_alarm]);
    State_line interrupt("interrupt");
    u64 const period = periodic_ticks();
    interrupt.dec("periodic-hz", period == 0 ? 0 : divider_rate_.hz() / period);
    interrupt.flag("irq", irq_.level());
    interrupt.deadline("timer", timer_.deadline());
    return registers.str() + describe_clock() + alarm.str() + interrupt.str();
}

} // namespace vmm
