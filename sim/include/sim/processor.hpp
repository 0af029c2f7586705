// One simulated CPU as the engine sees it: its time stamp counter, its one-shot timer, the IPIs
// on their way to it, and whether it has work. Time only moves forward.
#pragma once

#include <cstdint>
#include <set>

namespace sim {

class Flow;

inline constexpr std::uint64_t never = ~std::uint64_t{0};

// Owned by the Engine; touched only by the simulator's single host thread.
class Processor {
  public:
    enum class State : std::uint8_t {
        idle,   // nothing to run until an event arrives
        ready,  // the kernel must be asked (dispatch) what runs next
        paused, // a flow stopped at a lockstep pause and continues without a dispatch
    };

    std::uint64_t clock() const { return clock_; }
    void advance(std::uint64_t cycles) { clock_ += cycles; }
    void advance_to(std::uint64_t time) { clock_ = time > clock_ ? time : clock_; }

    std::uint64_t timer() const { return timer_; }
    void set_timer(std::uint64_t deadline) { timer_ = deadline; }
    bool timer_due() const { return timer_ != never && timer_ <= clock_; }

    void post_ipi(std::uint64_t arrival) { ipis_.insert(arrival); }
    bool ipi_due() const { return !ipis_.empty() && *ipis_.begin() <= clock_; }
    std::uint64_t first_ipi() const { return ipis_.empty() ? never : *ipis_.begin(); }
    // Removes every IPI that has arrived; they coalesce into one interrupt, as one vector does.
    unsigned take_due_ipis();

    // When this CPU next needs the engine (never: no work at all). An idle CPU's time jumps to
    // its next event; a CPU with work continues at its clock.
    std::uint64_t wake_time() const
    {
        if (state_ != State::idle) return clock_;
        std::uint64_t event = timer_ < first_ipi() ? timer_ : first_ipi();
        return event == never ? never : (event > clock_ ? event : clock_);
    }

    State state() const { return state_; }
    Flow* paused_flow() const { return paused_; }
    void make_ready() { state_ = State::ready, paused_ = nullptr; }
    void make_idle() { state_ = State::idle, paused_ = nullptr; }
    void pause(Flow& flow) { state_ = State::paused, paused_ = &flow; }

  private:
    std::uint64_t clock_{0};
    std::uint64_t timer_{never};
    std::multiset<std::uint64_t> ipis_; // arrival times
    State state_{State::idle};
    Flow* paused_{nullptr}; // the flow to continue when state_ is paused
};

} // namespace sim
