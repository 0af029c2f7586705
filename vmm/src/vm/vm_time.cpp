// The devices' time is simulated time: their clock is the TSC of the CPU whose work runs now,
// and their timers fire from a timer EC that waits in a semaphore until the next deadline.
#include "nova/kernel.hpp"
#include "nova/mtd.hpp"
#include "selectors.hpp"
#include "vmm/vm/vm.hpp"

namespace vmm {

using namespace nova;

using namespace selectors;

// The CPUs' clocks run apart by at most a lockstep stretch; the devices see one that never
// goes back.
Nanoseconds Vm::now() const
{
    sim::Engine const& e = machine_.engine();
    std::uint64_t tsc = e.tsc(e.active_cpu());
    std::uint64_t khz = machine_.config().tsc_khz;
    Nanoseconds ns = tsc / khz * 1'000'000 + tsc % khz * 1'000'000 / khz;
    if (ns > last_now_) last_now_ = ns;
    return last_now_;
}

std::uint64_t Vm::tsc_of(Nanoseconds ns) const
{
    std::uint64_t khz = machine_.config().tsc_khz;
    return ns / 1'000'000 * khz + ns % 1'000'000 * khz / 1'000'000 + 1;
}

// Above the vCPUs on CPU 0, started through a portal of CPU 0's handler.
void Vm::create_timer(sim::Env& root)
{
    root.create_sm(timer_sm);
    mword entry = root.userland().entry([this](sim::Env& t) { run_timer(t); });
    mword start = root.userland().portal([entry](sim::Env& h, mword) { h.resume_at(entry, 0); });
    root.create_pt(timer_evt + event::startup, handlers, start, mtd::rip_len);
    root.create_ec(
        {.sel = timer_ec, .utcb = timer_utcb, .cpu = 0, .global = true, .evt = timer_evt});
    root.create_sc(timer_sc, timer_ec, Qpd{1'000, static_cast<u8>(config_.prio + 1)});
}

void Vm::set_console_input(std::function<std::optional<u8>()> take, std::uint64_t period_cycles)
{
    take_input_ = std::move(take);
    input_period_ = period_cycles;
}

// The console EC: on CPU 0 beside the timer, polling the host's input every period.
void Vm::create_console(sim::Env& root)
{
    if (!take_input_) return;
    root.create_sm(console_sm);
    mword entry = root.userland().entry([this](sim::Env& c) { run_console(c); });
    mword start = root.userland().portal([entry](sim::Env& h, mword) { h.resume_at(entry, 0); });
    root.create_pt(console_evt + event::startup, handlers, start, mtd::rip_len);
    root.create_ec(
        {.sel = console_ec, .utcb = console_utcb, .cpu = 0, .global = true, .evt = console_evt});
    root.create_sc(console_sc, console_ec, Qpd{1'000, static_cast<u8>(config_.prio + 1)});
}

void Vm::run_console(sim::Env& c)
{
    for (;;) {
        c.sm_down(console_sm, false, c.tsc() + input_period_);
        while (auto b = take_input_()) input_.push_back(*b);
        if (input_.empty()) continue;
        current_ = &c;
        std::vector<u8> bytes(input_.begin(), input_.end());
        std::size_t taken = board_->com1().receive(bytes);
        input_.erase(input_.begin(), input_.begin() + static_cast<long>(taken));
        flush_recalls(c, std::nullopt);
        current_ = nullptr;
    }
}

void Vm::run_timer(sim::Env& t)
{
    for (;;) {
        armed_ = board_->timers().next_deadline();
        t.sm_down(timer_sm, false, armed_ == never ? 0 : tsc_of(armed_));
        current_ = &t;
        armed_ = never;
        board_->timers().run_due();
        flush_recalls(t, std::nullopt);
        current_ = nullptr;
    }
}

} // namespace vmm
