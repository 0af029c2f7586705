#include "nova/run_queue.hpp"

#include "nova/assert.hpp"

namespace nova {

void Run_queue::enqueue(Sc* sc, bool at_head)
{
    nova_assert(sc->prio < priorities && sc->place != Sc::Place::queued);
    Sc*& head = heads_[sc->prio];
    if (head == nullptr) {
        sc->prev = sc->next = sc;
        head = sc;
        bits_[sc->prio / 64] |= u64{1} << (sc->prio % 64);
    } else {
        sc->next = head;
        sc->prev = head->prev;
        head->prev->next = sc;
        head->prev = sc;
        if (at_head) head = sc;
    }
    sc->place = Sc::Place::queued;
    ++size_;
}

void Run_queue::remove(Sc* sc)
{
    nova_assert(sc->place == Sc::Place::queued);
    Sc*& head = heads_[sc->prio];
    if (sc->next == sc) {
        head = nullptr;
        bits_[sc->prio / 64] &= ~(u64{1} << (sc->prio % 64));
    } else {
        sc->prev->next = sc->next;
        sc->next->prev = sc->prev;
        if (head == sc) head = sc->next;
    }
    sc->prev = sc->next = nullptr;
    sc->place = Sc::Place::none;
    --size_;
}

Sc* Run_queue::top() const
{
    if (bits_[1] != 0) return heads_[127 - __builtin_clzll(bits_[1])];
    if (bits_[0] != 0) return heads_[63 - __builtin_clzll(bits_[0])];
    return nullptr;
}

} // namespace nova
