// Semaphore ([C14] §5): a counter and, with the IPC issue, a FIFO of blocked ECs.
#pragma once

#include "kobject.hpp"

namespace nova {

class Sm : public Kobject {
  public:
    static constexpr Object_type type_id = Object_type::sm;

    explicit Sm(u64 counter) : Kobject{type_id}, counter{counter} {}

    u64 counter;
};

} // namespace nova
