// The kernel's state of one CPU: its scheduler and its timeouts. Only code running on behalf of
// this CPU touches it; other CPUs hand SCs over through the remote list and an IPI.
#pragma once

#include "run_queue.hpp"

namespace nova {

class Ec;

struct Cpu_state {
    Run_queue queue;          // ready SCs
    Sc* current{nullptr};     // the SC whose chain runs now
    u64 accounted_at{0};      // TSC up to which `current` has been charged
    bool reschedule{false};   // a higher-priority SC became ready: preempt at the next entry
    Sc* remote_head{nullptr}; // SCs made ready by other CPUs, waiting for the IPI
    Sc* remote_tail{nullptr};
    Ec* timeouts{nullptr}; // ECs blocked with a deadline, earliest first
    Sc* idle{nullptr};     // charged with the time the CPU has nothing to run
    u64 idle_since{0};
    bool idling{false};
};

} // namespace nova
