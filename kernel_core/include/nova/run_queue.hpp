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

    // Every queued SC, highest priority first; only the priorities the bitmap names are read.
    template <typename F> void for_each(F f) const
    {
        for (unsigned word = 2; word-- > 0;) {
            for (u64 bits = bits_[word]; bits != 0;) {
                unsigned bit = 63 - static_cast<unsigned>(__builtin_clzll(bits));
                bits &= ~(u64{1} << bit);
                Sc* first = heads_[word * 64 + bit];
                Sc* sc = first;
                do {
                    f(sc);
                    sc = sc->next;
                } while (sc != first);
            }
        }
    }

    // Whether the bitmap names exactly the priorities whose list is not empty (top() and
    // for_each trust it). The checker asks this of every CPU in every whole check, and most
    // priorities are empty: eight empty lists that the bitmap calls empty take one test.
    bool bitmap_matches() const
    {
        for (unsigned first = 0; first < priorities; first += 8) {
            unsigned named = bits_[first / 64] >> first % 64 & 0xff;
            if (named == 0 && eight_empty(heads_ + first)) continue;
            for (unsigned bit = 0; bit < 8; ++bit) {
                if ((heads_[first + bit] != nullptr) != ((named >> bit & 1) != 0)) return false;
            }
        }
        return true;
    }

  private:
    // Plain integer code, as the kernel has no vector state.
    static bool eight_empty(Sc* const* h)
    {
        auto bits = [](Sc* sc) { return reinterpret_cast<mword>(sc); };
        return (bits(h[0]) | bits(h[1]) | bits(h[2]) | bits(h[3]) | bits(h[4]) | bits(h[5]) |
                bits(h[6]) | bits(h[7])) == 0;
    }

    Sc* heads_[priorities]{};
    u64 bits_[2]{};
    usize size_{0};
};

} // namespace nova
