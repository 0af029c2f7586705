// One CPU's ready SCs ([C14] §6): 128 circular lists, one per priority, and a bitmap of the
// non-empty ones, so picking the next SC is a find-first-set.
#pragma once

#include "sc.hpp"

namespace nova {

class Run_queue {
  public:
    static constexpr unsigned priorities = 128;

    void enqueue(Sc* sc, bool at_head);
    void remove(Sc* sc);
    // The SC at the head of the highest non-empty priority, or nullptr.
    Sc* top() const;
    bool empty() const { return (bits_[0] | bits_[1]) == 0; }
    usize size() const { return size_; }

    template <typename F> void for_each(F f) const
    {
        for (unsigned p = priorities; p-- > 0;) {
            Sc* first = heads_[p];
            if (first == nullptr) continue;
            Sc* sc = first;
            do {
                f(sc);
                sc = sc->next;
            } while (sc != first);
        }
    }

  private:
    Sc* heads_[priorities]{};
    u64 bits_[2]{};
    usize size_{0};
};

} // namespace nova
