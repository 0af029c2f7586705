// Time for device models. Devices never read a host clock: they ask a Clock for simulated time
// and arm Timers whose expiry calls back into them. The vCPU side implements Clock on simulated
// time and runs the Timer_queue when its next deadline comes; tests use Manual_clock and
// run_until. All of it runs on the VMM's one thread; nothing here is locked.
#pragma once

#include "vmm/types.hpp"

#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace vmm {

using Nanoseconds = u64; // simulated time since the machine started
inline constexpr Nanoseconds ns_per_second = 1'000'000'000;
inline constexpr Nanoseconds never = ~Nanoseconds{0};

// Simulated time; implemented by the vCPU side (or Manual_clock). It never goes backwards.
class Clock {
  public:
    virtual ~Clock() = default;
    virtual Nanoseconds now() const = 0;
};

// A clock that moves only when told to: for tests, replay and benchmarks.
class Manual_clock final : public Clock {
  public:
    Nanoseconds now() const override { return now_; }
    // Moves forward to t; an earlier t is a caller bug and is refused with std::logic_error.
    void advance_to(Nanoseconds t);
    void advance_by(Nanoseconds span) { advance_to(now_ + span); }

  private:
    Nanoseconds now_{0};
};

// The rate of a device counter, hz/divisor ticks a second, and the one rounding rule all
// devices share: a count read at time t has completed floor(t·rate) ticks, and the n-th tick is
// complete at the first nanosecond t with floor(t·rate) >= n. So a timer armed for tick n
// always finds the count at n or beyond when it fires.
class Tick_rate {
  public:
    // Refuses hz = 0, divisor = 0 and divisors above 2^32 with Config_error.
    Tick_rate(u64 hz, u64 divisor = 1);

    u64 ticks_in(Nanoseconds span) const;
    Nanoseconds time_for(u64 ticks) const; // saturates at `never`
    u64 hz() const { return hz_; }
    u64 divisor() const { return divisor_; }

  private:
    u64 hz_;
    u64 divisor_;
};

class Timer;

// The armed timers of one machine, in deadline order (ties: the one armed first fires first).
// Owned by whoever assembles the machine; Timers register themselves and must not outlive it.
class Timer_queue {
  public:
    explicit Timer_queue(Clock const& clock) : clock_(clock) {}
    Timer_queue(Timer_queue const&) = delete;
    Timer_queue& operator=(Timer_queue const&) = delete;

    Nanoseconds now() const { return clock_.now(); }
    Nanoseconds next_deadline() const; // `never` when nothing is armed
    std::size_t armed_count() const { return queue_.size(); }
    // Every armed timer's deadline, in the order they will fire (for state dumps).
    std::vector<Nanoseconds> deadlines() const;

    // Fires every timer whose deadline is at or before now(), earliest first. A timer that its
    // own callback re-arms for a time already due waits for the next call, so one call fires
    // each timer at most once.
    unsigned run_due();

    // Called with the new next_deadline() whenever it changes, so the vCPU side can program its
    // own (simulated) timer for it.
    void on_deadline_change(std::function<void(Nanoseconds)> listener);

  private:
    friend class Timer;
    using Key = std::pair<Nanoseconds, u64>; // deadline, arming order

    Key insert(Timer& timer, Nanoseconds deadline);
    void remove(Key key);
    Timer* first_due(u64 pass) const;
    void report_deadline();

    Clock const& clock_;
    std::map<Key, Timer*> queue_;
    u64 arm_sequence_{0};
    u64 pass_{0};
    bool running_{false};
    Nanoseconds reported_{never};
    std::function<void(Nanoseconds)> listener_;
};

// One deadline of a device. Owned by the device; the queue only points at it while it is armed.
class Timer {
  public:
    Timer(Timer_queue& queue, std::function<void()> expired);
    ~Timer() { cancel(); }
    Timer(Timer const&) = delete;
    Timer& operator=(Timer const&) = delete;

    // Re-arming replaces the previous deadline (re-arming for the same one keeps its place among
    // equal deadlines). A deadline in the past fires at the next run.
    void arm_at(Nanoseconds deadline);
    void cancel();
    bool armed() const { return key_.has_value(); }
    Nanoseconds deadline() const { return key_ ? key_->first : never; }
    Timer_queue& queue() const { return queue_; }

  private:
    friend class Timer_queue;
    Timer_queue& queue_;
    std::function<void()> expired_;
    std::optional<Timer_queue::Key> key_;
    u64 fired_in_pass_{0};
};

// Moves the clock to `until`, stopping at every deadline on the way, so each timer fires at
// exactly its own time (which is how simulated time behaves). A device that keeps re-arming a
// timer for the present without time moving is a bug; after 64 passes at one instant this
// throws std::logic_error instead of spinning.
void run_until(Manual_clock& clock, Timer_queue& timers, Nanoseconds until);

} // namespace vmm
