#include "vmm/devices/pit8254.hpp"

#include "vmm/state_text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace vmm {

namespace {

u32 modulus(bool bcd)
{
    return bcd ? 10'000 : 0x10000;
}

bool periodic(u8 mode)
{
    return mode == 2 || mode == 3;
}

bool gate_triggered(u8 mode)
{
    return mode == 1 || mode == 5;
}

// Invalid digits count with their binary value; the result is a count modulo 10^4.
u32 from_bcd(u16 raw)
{
    u32 value = 0;
    for (int shift = 12; shift >= 0; shift -= 4) value = value * 10 + ((raw >> shift) & 0xf);
    return value % 10'000;
}

// The access mode's name, and the byte an LSB-then-MSB access takes next.
std::string_view access_name(u8 access, bool high_next)
{
    if (access == 1) return "lsb";
    if (access == 2) return "msb";
    return high_next ? "lsb/msb:msb-next" : "lsb/msb";
}

u16 to_bcd(u32 value)
{
    u16 raw = 0;
    for (int shift = 0; shift < 16; shift += 4, value /= 10)
        raw |= static_cast<u16>((value % 10) << shift);
    return raw;
}

} // namespace

Pit8254::Pit8254(Bus& bus, Timer_queue& timers, Pit_config config)
    : config_(config), irq_(bus.irq_lines(), config.irq),
      irq_timer_(timers, [this] { irq_timer_expired(); }), timers_(timers)
{
    bus.add_io({config.base, 4}, *this, "pit", Widths{1});
    bus.add_io({config.port_b, 1}, *this, "port-b", Widths{1});
    channels_[2].gate = false; // port 0x61 bit 0 starts clear; channels 0 and 1 are tied high
}

u64 Pit8254::elapsed(Channel const& c, Nanoseconds now) const
{
    u64 const running = c.since ? rate_.ticks_in(now) - *c.since : 0;
    return c.base + running - c.origin;
}

// When the counter, running now, will have counted `tick` ticks.
Nanoseconds Pit8254::tick_time(Channel const& c, u64 tick) const
{
    return rate_.time_for(*c.since + tick - c.base + c.origin);
}

// Modes 2 and 3: a count written while counting takes over at the end of the period.
void Pit8254::catch_up(Channel& c, Nanoseconds now) const
{
    if (!c.switch_at || !c.since || elapsed(c, now) < *c.switch_at) return;
    c.origin = *c.switch_at + c.origin - c.base;
    c.base = 0;
    c.count = c.written;
    c.switch_at.reset();
    c.null_count = false;
}

u16 Pit8254::value(Channel const& c, Nanoseconds now) const
{
    u32 const m = modulus(c.bcd);
    u32 raw = c.count % m;
    if (c.loaded) {
        u64 const e = elapsed(c, now);
        if (c.mode == 2)
            raw = (c.count - static_cast<u32>(e % c.count)) % m;
        else if (c.mode == 3)
            raw = ((c.count - static_cast<u32>((2 * e) % c.count)) & ~1u) % m;
        else
            raw = (c.count % m + m - static_cast<u32>(e % m)) % m; // wraps past terminal count
    }
    return c.bcd ? to_bcd(raw) : static_cast<u16>(raw);
}

bool Pit8254::out(Channel const& c, Nanoseconds now) const
{
    if (!c.loaded) return c.mode != 0;
    u64 const e = elapsed(c, now);
    switch (c.mode) {
    case 0:
    case 1:
        return e >= c.count;
    case 2:
        return !c.since || e % c.count != c.count - 1;
    case 3:
        return !c.since || e % c.count < (c.count + 1) / 2;
    default:
        return e != c.count; // 4 and 5: low for the one tick at terminal count
    }
}

// The tick at which OUT next rises, if it will while the counter runs as it does. In modes 2
// and 3 the end of a period is one, and so is the switch to a newly written count (which ends a
// period too, even one of the degenerate count 1 whose OUT never rises by itself).
std::optional<u64> Pit8254::next_rising_tick(Channel const& c, u64 e) const
{
    if (!c.loaded || !c.since) return std::nullopt;
    if (periodic(c.mode)) {
        if (c.switch_at) return *c.switch_at;
        if (c.count < 2) return std::nullopt; // OUT never changes
        return (e / c.count + 1) * c.count;
    }
    if (c.mode <= 1) return e < c.count ? std::optional<u64>(c.count) : std::nullopt;
    return e <= c.count ? std::optional<u64>(u64{c.count} + 1) : std::nullopt;
}

u32 Pit8254::io_read(u16 port, unsigned)
{
    Nanoseconds const now = timers_.now();
    catch_up_all(now);
    if (port == config_.port_b) return read_port_b(now);
    unsigned const index = port - config_.base;
    if (index == 3) return 0xff; // the control register cannot be read
    return read_counter(channels_[index], now);
}

// Applies count switches that are due, and keeps IRQ 0's timer in step with them.
void Pit8254::catch_up_all(Nanoseconds now)
{
    for (Channel& c : channels_) catch_up(c, now);
    refresh_irq(now);
}

void Pit8254::io_write(u16 port, unsigned, u32 value)
{
    Nanoseconds const now = timers_.now();
    u8 const byte = static_cast<u8>(value);
    catch_up_all(now);
    if (port == config_.port_b) {
        port_b_ = byte & 0x0f;
        set_gate(channels_[2], (byte & 1) != 0, now);
    } else if (unsigned const index = port - config_.base; index == 3) {
        write_control(byte, now);
    } else {
        write_counter(channels_[index], byte, now);
    }
    refresh_irq(now);
}

void Pit8254::write_control(u8 value, Nanoseconds now)
{
    unsigned const select = value >> 6;
    if (select == 3) return read_back(value, now);
    Channel& c = channels_[select];
    u8 const access = (value >> 4) & 3;
    if (access == 0) return latch_count(c, now);
    Channel fresh;
    fresh.mode = (value >> 1) & 7;
    if (fresh.mode > 5) fresh.mode -= 4; // 6 and 7 are 2 and 3
    fresh.access = access;
    fresh.bcd = (value & 1) != 0;
    fresh.count = fresh.written = modulus(fresh.bcd);
    fresh.gate = c.gate;
    c = fresh;
    if (&c == &channels_[0]) last_edge_.reset();
}

void Pit8254::read_back(u8 value, Nanoseconds now)
{
    for (unsigned index = 0; index < 3; ++index) {
        if ((value & (2u << index)) == 0) continue;
        if ((value & 0x20) == 0) latch_count(channels_[index], now);
        if ((value & 0x10) == 0) latch_status(channels_[index], now);
    }
}

// A second latch before the first is read changes nothing.
void Pit8254::latch_count(Channel& c, Nanoseconds now)
{
    if (!c.latched_count) c.latched_count = value(c, now);
}

void Pit8254::latch_status(Channel& c, Nanoseconds now)
{
    if (c.latched_status) return;
    u8 status = static_cast<u8>(c.access << 4 | c.mode << 1 | (c.bcd ? 1 : 0));
    if (out(c, now)) status |= 0x80;
    if (c.null_count) status |= 0x40;
    c.latched_status = status;
}

void Pit8254::write_counter(Channel& c, u8 value, Nanoseconds now)
{
    if (c.access == 1) return load(c, value, now);
    if (c.access == 2) return load(c, static_cast<u16>(value << 8), now);
    if (!c.write_high) {
        c.write_high = true;
        c.low_byte = value;
        if (c.mode == 0) c.loaded = false, c.since.reset(); // the first byte stops mode 0
        return;
    }
    c.write_high = false;
    load(c, static_cast<u16>(value << 8 | c.low_byte), now);
}

void Pit8254::load(Channel& c, u16 raw, Nanoseconds now)
{
    u32 const n = c.bcd ? from_bcd(raw) : raw;
    c.written = n == 0 ? modulus(c.bcd) : n;
    c.null_count = true;
    if (gate_triggered(c.mode)) return; // the next rising gate loads it
    if (periodic(c.mode) && c.loaded && c.since) {
        u64 const e = elapsed(c, now);
        c.switch_at = (e / c.count + 1) * c.count;
        return;
    }
    start(c, now);
}

// The counting element takes the written count and counts from zero elapsed ticks.
void Pit8254::start(Channel& c, Nanoseconds now)
{
    c.count = c.written;
    c.loaded = true;
    c.null_count = false;
    c.switch_at.reset();
    c.base = c.origin = 0;
    c.since.reset();
    if (c.gate) c.since = rate_.ticks_in(now);
    if (&c == &channels_[0]) last_edge_.reset();
}

u8 Pit8254::read_counter(Channel& c, Nanoseconds now)
{
    if (c.latched_status) {
        u8 const status = *c.latched_status;
        c.latched_status.reset();
        return status;
    }
    u16 const v = c.latched_count ? *c.latched_count : value(c, now);
    bool high = c.access == 2;
    if (c.access == 3) {
        high = c.read_high;
        c.read_high = !c.read_high;
    }
    if (c.access != 3 || high) c.latched_count.reset();
    return static_cast<u8>(high ? v >> 8 : v);
}

void Pit8254::set_gate(Channel& c, bool level, Nanoseconds now)
{
    if (c.gate == level) return;
    c.gate = level;
    if (!c.loaded && !(level && gate_triggered(c.mode) && c.null_count)) return;
    if (!level) {
        if (gate_triggered(c.mode)) return;     // modes 1 and 5 only care about rising edges
        c.base = elapsed(c, now), c.origin = 0; // stands still where it is
        c.since.reset();
        return;
    }
    if (c.mode == 0 || c.mode == 4)
        c.since = rate_.ticks_in(now);
    else
        start(c, now); // modes 2 and 3 reload, 1 and 5 trigger
}

u8 Pit8254::read_port_b(Nanoseconds now) const
{
    u8 value = port_b_;
    if ((now / refresh_toggle_ns) & 1) value |= 0x10;
    if (out(channels_[2], now)) value |= 0x20;
    return value;
}

// The IRQ 0 line is OUT in modes 0 and 1, idle low otherwise; the timer supplies the edges.
void Pit8254::refresh_irq(Nanoseconds now)
{
    Channel const& c = channels_[0];
    irq_.set(c.mode <= 1 && out(c, now));
    std::optional<u64> const tick = next_rising_tick(c, elapsed(c, now));
    if (!tick) return irq_timer_.cancel();
    Nanoseconds at = tick_time(c, *tick);
    if (periodic(c.mode) && last_edge_) at = std::max(at, *last_edge_ + config_.min_period);
    irq_due_ = at;
    irq_timer_.arm_at(at);
}

void Pit8254::irq_timer_expired()
{
    Nanoseconds const now = timers_.now();
    Channel& c = channels_[0];
    catch_up(c, now);
    if (c.mode <= 1)
        irq_.raise();
    else
        irq_.pulse();
    if (periodic(c.mode)) last_edge_ = irq_due_;
    refresh_irq(now);
}

u16 Pit8254::count(unsigned channel)
{
    catch_up_all(timers_.now());
    return value(channels_[channel % 3], timers_.now());
}

bool Pit8254::output(unsigned channel)
{
    catch_up_all(timers_.now());
    return out(channels_[channel % 3], timers_.now());
}

std::optional<std::string> Pit8254::broken_invariant() const
{
    for (Channel const& c : channels_) {
        u32 const m = modulus(c.bcd);
        if (c.count == 0 || c.count > m || c.written == 0 || c.written > m)
            return "a count outside 1 to the modulus";
        if (c.mode > 5 || c.access == 0 || c.access > 3)
            return "a mode or access that does not exist";
        if (c.since && !c.loaded) return "a counter runs without a count";
        if (c.switch_at && !periodic(c.mode)) return "a pending count outside modes 2 and 3";
    }
    Channel const& c0 = channels_[0];
    if (c0.loaded && c0.since && next_rising_tick(c0, elapsed(c0, timers_.now())) &&
        !irq_timer_.armed())
        return "channel 0 will raise OUT but no timer is armed for it";
    return std::nullopt;
}

// A copy of the channel is caught up, so pending count switches show without the dump
// applying them to the device.
std::string Pit8254::describe_channel(unsigned index, Nanoseconds now) const
{
    Channel c = channels_[index];
    catch_up(c, now);
    u16 const raw = value(c, now);
    std::string_view const state = !c.loaded ? "unloaded" : c.since ? "counting" : "stopped";
    State_line line(fmt::format("ch{}", index));
    line.dec("mode", c.mode).flag("bcd", c.bcd).text("state", state);
    line.dec("reload", c.count).dec("count", c.bcd ? from_bcd(raw) : raw);
    line.dec("written", c.null_count ? std::optional<u32>(c.written) : std::nullopt);
    line.flag("gate", c.gate).flag("out", out(c, now));
    line.text("write", access_name(c.access, c.write_high));
    line.text("read", access_name(c.access, c.read_high));
    line.hex("latched-count", c.latched_count, 4).hex("latched-status", c.latched_status);
    return line.str();
}

std::string Pit8254::describe_state() const
{
    Nanoseconds const now = timers_.now();
    std::string text;
    for (unsigned index = 0; index < 3; ++index) text += describe_channel(index, now);
    text += State_line("port-b").hex("value", read_port_b(now)).str();
    State_line irq("irq0");
    irq.flag("level", irq_.level()).deadline("timer", irq_timer_.deadline());
    irq.deadline("last-edge", last_edge_.value_or(never));
    return text + irq.str();
}

} // namespace vmm
