#include "vmm/time.hpp"

#include <stdexcept>

namespace vmm {

namespace {

using u128 = unsigned __int128;

u64 saturate(u128 value)
{
    return value > u128{never} ? never : static_cast<u64>(value);
}

} // namespace

void Manual_clock::advance_to(Nanoseconds t)
{
    if (t < now_) throw std::logic_error("Manual_clock: time may not go backwards");
    now_ = t;
}

Tick_rate::Tick_rate(u64 hz, u64 divisor) : hz_(hz), divisor_(divisor)
{
    if (hz == 0 || divisor == 0) throw Config_error("a tick rate needs a non-zero frequency");
    // Keeps every product below in 128 bits.
    if (divisor > u64{1} << 32) throw Config_error("a tick rate divisor above 2^32 is absurd");
}

u64 Tick_rate::ticks_in(Nanoseconds span) const
{
    return saturate(u128{span} * hz_ / (u128{ns_per_second} * divisor_));
}

Nanoseconds Tick_rate::time_for(u64 ticks) const
{
    u128 const scaled = u128{ticks} * ns_per_second * divisor_;
    return saturate((scaled + hz_ - 1) / hz_); // rounded up: the tick is complete by then
}

Nanoseconds Timer_queue::next_deadline() const
{
    return queue_.empty() ? never : queue_.begin()->first.first;
}

std::vector<Nanoseconds> Timer_queue::deadlines() const
{
    std::vector<Nanoseconds> at;
    for (auto const& [key, timer] : queue_) at.push_back(key.first);
    return at;
}

unsigned Timer_queue::run_due()
{
    u64 const pass = ++pass_;
    unsigned fired = 0;
    running_ = true;
    while (Timer* timer = first_due(pass)) {
        timer->cancel();
        timer->fired_in_pass_ = pass;
        ++fired;
        timer->expired_();
    }
    running_ = false;
    report_deadline();
    return fired;
}

void Timer_queue::on_deadline_change(std::function<void(Nanoseconds)> listener)
{
    listener_ = std::move(listener);
    reported_ = never;
    report_deadline();
}

Timer_queue::Key Timer_queue::insert(Timer& timer, Nanoseconds deadline)
{
    Key const key{deadline, arm_sequence_++};
    queue_.emplace(key, &timer);
    report_deadline();
    return key;
}

void Timer_queue::remove(Key key)
{
    queue_.erase(key);
    report_deadline();
}

// Callbacks may arm and cancel anything, so the search starts afresh after every expiry.
Timer* Timer_queue::first_due(u64 pass) const
{
    Nanoseconds const now = clock_.now();
    for (auto const& [key, timer] : queue_) {
        if (key.first > now) return nullptr;
        if (timer->fired_in_pass_ != pass) return timer;
    }
    return nullptr;
}

// While run_due fires, changes are reported once at its end.
void Timer_queue::report_deadline()
{
    if (running_ || !listener_) return;
    Nanoseconds const next = next_deadline();
    if (next == reported_) return;
    reported_ = next;
    listener_(next);
}

Timer::Timer(Timer_queue& queue, std::function<void()> expired)
    : queue_(queue), expired_(std::move(expired))
{
}

void Timer::arm_at(Nanoseconds deadline)
{
    if (key_ && key_->first == deadline) return; // devices re-arm on every access: keep it cheap
    cancel();
    key_ = queue_.insert(*this, deadline);
}

void Timer::cancel()
{
    if (!key_) return;
    Timer_queue::Key const key = *key_;
    key_.reset();
    queue_.remove(key);
}

void run_until(Manual_clock& clock, Timer_queue& timers, Nanoseconds until)
{
    unsigned passes_at_this_instant = 0;
    for (Nanoseconds next = timers.next_deadline(); next <= until; next = timers.next_deadline()) {
        if (next > clock.now()) {
            clock.advance_to(next);
            passes_at_this_instant = 0;
        }
        if (++passes_at_this_instant > 64)
            throw std::logic_error("run_until: a timer keeps re-arming itself for the present");
        timers.run_due();
    }
    if (until > clock.now()) clock.advance_to(until);
}

} // namespace vmm
