// Semaphore ([C14] §5): a counter and, with the IPC issue, a FIFO of blocked ECs.
#pragma once

#include "kobject.hpp"

namespace nova {

class Ec;

class Sm : public Kobject {
  public:
    static constexpr Object_type type_id = Object_type::sm;

    explicit Sm(u64 counter) : Kobject{type_id}, counter{counter} {}

    void enqueue(Ec* ec);
    Ec* dequeue_first();
    void remove(Ec* ec);
    bool has_waiters() const { return head != nullptr; }

    u64 counter;
    Ec* head{nullptr}; // FIFO of blocked ECs, linked through Ec::sm_next
    Ec* tail{nullptr};
};

} // namespace nova
