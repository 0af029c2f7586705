// Scheduling context ([C14] §1.1, §6): priority and quantum, bound for life to a global EC on
// that EC's CPU.
#pragma once

#include "kobject.hpp"

namespace nova {

class Ec;

class Sc : public Kobject {
  public:
    static constexpr Object_type type_id = Object_type::sc;
    static constexpr u8 max_prio = 127;

    Sc(Ec* ec, u32 cpu, u8 prio, u64 quantum_us, u64 quantum_tsc)
        : Kobject{type_id}, ec{ec}, cpu{cpu}, prio{prio}, quantum_us{quantum_us},
          quantum_tsc{quantum_tsc}, budget_tsc{quantum_tsc}
    {
    }

    Ec* const ec;
    u32 const cpu;
    u8 const prio;
    u64 const quantum_us;
    u64 const quantum_tsc;
    u64 budget_tsc;      // what is left of the current quantum
    u64 consumed_tsc{0}; // everything this SC has run, donated time included

    // Where the SC is; owned by the scheduler of its CPU. A ready SC is on exactly one run
    // queue (or on its CPU's remote list until the IPI arrives); a parked SC waits on the
    // blocked EC its chain ran into.
    enum class Place : u8 { none, queued, remote, current, parked };
    Place place{Place::none};
    Sc* prev{nullptr}; // run queue links (circular per priority)
    Sc* next{nullptr}; // also the link of the remote and the parked lists
    Ec* parked_on{nullptr};
};

} // namespace nova
