// The per-CPU scheduler ([C14] §6) and the points where a flow meets it: kernel entry (time,
// interrupts, preemption) and the wait until the kernel dispatches the flow again.
#include "nova/kernel.hpp"

namespace nova {

namespace {
// [C14] kills a helper after 100 consecutive helping steps; a chain this long is a livelock.
constexpr unsigned max_helping_steps = 100;
} // namespace

Ec& Kernel::flow_of(Ec& ec)
{
    Ec* e = &ec;
    while (e->caller != nullptr) e = e->caller;
    return *e;
}

// Where an SC's chain ends: down the donation chain ([C14] §4.4) and through the busy EC that a
// retrying caller helps ([C14] §4.5). nullptr for a helping cycle.
Ec* Kernel::chain_end(Ec* ec)
{
    for (unsigned helping = 0; helping <= max_helping_steps;) {
        if (ec->partner != nullptr) {
            ec = ec->partner;
            continue;
        }
        Ec* busy = ec->helping;
        if (busy == nullptr || busy->caller == nullptr || busy->dead) return ec;
        ec = busy;
        ++helping;
    }
    return nullptr;
}

bool Kernel::pick(u32 cpu)
{
    Cpu_state& c = cpus_[cpu];
    Sc* sc = c.queue.top();
    if (sc == nullptr) return false;
    c.queue.remove(sc);
    sc->place = Sc::Place::current;
    c.current = sc;
    u64 now = platform_.tsc(cpu);
    if (c.idling && c.idle != nullptr) c.idle->consumed_tsc += now - c.idle_since;
    c.idling = false;
    c.accounted_at = now;
    platform_.charge(cpu, config_.cost_switch);
    arm_timer(cpu);
    return true;
}

Ec* Kernel::dispatch(u32 cpu)
{
    Cpu_state& c = cpus_[cpu];
    for (;;) {
        if (c.current == nullptr && !pick(cpu)) {
            if (!c.idling) c.idle_since = platform_.tsc(cpu);
            c.idling = true;
            arm_timer(cpu);
            return nullptr;
        }
        Ec* end = chain_end(c.current->ec);
        if (end != nullptr && !end->blocked()) return &flow_of(*end);
        // The chain ends in a blocked EC: the SC waits there until that EC is released.
        Sc* sc = c.current;
        c.current = nullptr;
        if (end != nullptr)
            park(sc, end);
        else
            sc->place = Sc::Place::none;
    }
}

void Kernel::account(u32 cpu)
{
    Cpu_state& c = cpus_[cpu];
    u64 now = platform_.tsc(cpu);
    if (Sc* sc = c.current) {
        u64 spent = now - c.accounted_at;
        sc->consumed_tsc += spent;
        sc->budget_tsc = spent >= sc->budget_tsc ? 0 : sc->budget_tsc - spent;
    }
    c.accounted_at = now;
}

void Kernel::arm_timer(u32 cpu)
{
    Cpu_state const& c = cpus_[cpu];
    u64 deadline = ~u64{0};
    if (c.current != nullptr) deadline = c.accounted_at + c.current->budget_tsc;
    if (c.timeouts != nullptr) deadline = min(deadline, c.timeouts->deadline);
    platform_.set_timer(cpu, deadline);
}

// Budget exhaustion refills the budget and moves the SC to the tail of its priority
// ([C14] §6); expired semaphore deadlines release their ECs.
void Kernel::timer_interrupt(u32 cpu)
{
    Cpu_state& c = cpus_[cpu];
    account(cpu);
    expire_timeouts(cpu);
    if (Sc* sc = c.current; sc != nullptr && sc->budget_tsc == 0) {
        sc->budget_tsc = sc->quantum_tsc;
        c.current = nullptr;
        sc->place = Sc::Place::none;
        c.queue.enqueue(sc, false);
    }
    arm_timer(cpu);
}

void Kernel::ipi(u32 cpu)
{
    Cpu_state& c = cpus_[cpu];
    while (Sc* sc = c.remote_head) {
        c.remote_head = sc->next;
        sc->place = Sc::Place::none;
        make_ready(sc, cpu);
    }
    c.remote_tail = nullptr;
}

// A ready SC joins its CPU's run queue; one on another CPU goes there through an IPI. A higher
// priority than the current SC's preempts it at that CPU's next kernel entry.
void Kernel::make_ready(Sc* sc, u32 from_cpu, bool at_head)
{
    Cpu_state& c = cpus_[sc->cpu];
    if (sc->cpu != from_cpu) {
        sc->next = nullptr;
        sc->place = Sc::Place::remote;
        (c.remote_tail != nullptr ? c.remote_tail->next : c.remote_head) = sc;
        c.remote_tail = sc;
        platform_.send_ipi(sc->cpu);
        return;
    }
    c.queue.enqueue(sc, at_head);
    if (c.current != nullptr && sc->prio > c.current->prio) c.reschedule = true;
}

void Kernel::park(Sc* sc, Ec* on)
{
    sc->place = Sc::Place::parked;
    sc->parked_on = on;
    sc->next = on->parked;
    on->parked = sc;
}

void Kernel::unpark_all(Ec* ec, u32 from_cpu)
{
    while (Sc* sc = ec->parked) {
        ec->parked = sc->next;
        sc->parked_on = nullptr;
        sc->place = Sc::Place::none;
        make_ready(sc, from_cpu);
    }
}

// An SC that dies leaves whatever list it is on.
void Kernel::forget_sc(Sc* sc)
{
    Cpu_state& c = cpus_[sc->cpu];
    switch (sc->place) {
    case Sc::Place::queued:
        c.queue.remove(sc);
        break;
    case Sc::Place::current:
        c.current = nullptr;
        break;
    case Sc::Place::remote: {
        Sc** link = &c.remote_head;
        while (*link != sc) link = &(*link)->next;
        *link = sc->next;
        c.remote_tail = nullptr;
        for (Sc* s = c.remote_head; s != nullptr; s = s->next) c.remote_tail = s;
        break;
    }
    case Sc::Place::parked: {
        Sc** link = &sc->parked_on->parked;
        while (*link != sc) link = &(*link)->next;
        *link = sc->next;
        break;
    }
    case Sc::Place::none:
        break;
    }
    sc->place = Sc::Place::none;
}

// A higher-priority SC became ready: the current one goes back to the head of its queue with
// what is left of its budget, and the CPU picks again.
void Kernel::apply_reschedule(u32 cpu)
{
    Cpu_state& c = cpus_[cpu];
    if (!c.reschedule) return;
    c.reschedule = false;
    if (Sc* sc = c.current) {
        c.current = nullptr;
        sc->place = Sc::Place::none;
        c.queue.enqueue(sc, true);
    }
}

// Kernel entry: the cost of entering, interrupts that are due, the time of the current SC, and
// a preemption that a higher-priority wake-up asked for. Then the flow waits for its turn.
void Kernel::enter(Ec& self, u64 cost)
{
    u32 cpu = self.cpu;
    platform_.charge(cpu, cost);
    platform_.poll_interrupts(cpu);
    account(cpu);
    apply_reschedule(cpu);
    settle(self);
}

// Return to user: a wake-up during this entry preempts now, as [C14] reschedules on the way out;
// a pending recall is delivered first ([C14] §7.6).
void Kernel::leave(Ec& self)
{
    if (self.recall_pending && !self.dead && !self.is_vcpu()) {
        self.recall_pending = false;
        deliver_event(self, event::recall);
    }
    apply_reschedule(self.cpu);
    settle(self);
}

// An interrupt that arrives while component code computes: the simulator calls this where such
// code charges time, so budget expiry and wake-ups preempt it like user code on hardware.
void Kernel::preemption_point(Ec& self)
{
    enter(self, 0);
    leave(self);
}

// An EC runs no more when it is dead, or the flow it runs on is (a handler of a killed caller).
bool Kernel::stopped(Ec& ec)
{
    return ec.dead || flow_of(ec).dead;
}

// A stopped EC does not wait: the simulator unwinds its code instead.
void Kernel::settle(Ec& self)
{
    Ec& flow = flow_of(self);
    while (!stopped(self) && dispatch(self.cpu) != &flow) platform_.suspend(self.cpu, flow);
}

} // namespace nova
