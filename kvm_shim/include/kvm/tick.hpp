// The host tick that takes the CPU back from a guest that does not exit: a periodic POSIX timer
// whose signal is blocked on the simulator's thread except inside KVM_RUN (KVM_SET_SIGNAL_MASK),
// so it interrupts only guests, and a guest stretch ends within one period of host time.
#pragma once

#include <cstdint>
#include <ctime>

namespace kvm {

class Tick {
  public:
    // Starts the timer for the calling thread; `period_us` of host time between ticks.
    explicit Tick(std::uint32_t period_us);
    ~Tick();
    Tick(Tick const&) = delete;
    Tick& operator=(Tick const&) = delete;

    // Lets the tick interrupt KVM_RUN on this vCPU (and nothing else on the thread).
    void allow_in(int vcpu_fd) const;
    std::uint32_t period_us() const { return period_us_; }

    // KVM_RUN ends on the tick but leaves its signal pending (the thread blocks it again on the
    // way out): take it, or the next KVM_RUN ends at once.
    static void take_pending();
    static int signal_number();

  private:
    std::uint32_t period_us_;
    timer_t timer_{};
};

} // namespace kvm
