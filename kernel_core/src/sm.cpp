// Semaphores ([C14] §5): FIFO wake-up, down with zero-counter, absolute TSC deadlines.
#include "nova/kernel.hpp"

namespace nova {

void Sm::enqueue(Ec* ec)
{
    ec->sm_next = nullptr;
    (tail != nullptr ? tail->sm_next : head) = ec;
    tail = ec;
}

Ec* Sm::dequeue_first()
{
    Ec* ec = head;
    if (ec != nullptr) remove(ec);
    return ec;
}

void Sm::remove(Ec* ec)
{
    Ec* prev = nullptr;
    for (Ec* e = head; e != ec; e = e->sm_next) prev = e;
    (prev != nullptr ? prev->sm_next : head) = ec->sm_next;
    if (tail == ec) tail = prev;
    ec->sm_next = nullptr;
}

// sm_ctrl: flag bit 0 down (else up), bit 1 zero-counter; RSI:RDX an absolute TSC deadline.
Status Kernel::sys_sm_ctrl(Ec& self, Sys_regs& r)
{
    bool down = (r.flags() & flag::sm_down) != 0;
    Sm* sm = cap<Sm>(*self.pd, r.sel(), down ? perm::sm_dn : perm::sm_up);
    if (sm == nullptr) return Status::bad_cap;
    if (!down) {
        sm_up(self, *sm);
        return Status::success;
    }
    u64 deadline = (r.rsi & 0xffff'ffff) << 32 | (r.rdx & 0xffff'ffff);
    return sm_down(self, *sm, (r.flags() & flag::sm_zero) != 0, deadline);
}

void Kernel::sm_up(Ec& self, Sm& sm)
{
    if (Ec* waiter = sm.dequeue_first()) {
        release(waiter, Status::success, self.cpu);
    } else {
        ++sm.counter;
    }
}

Status Kernel::sm_down(Ec& self, Sm& sm, bool zero, u64 deadline)
{
    if (sm.counter > 0) {
        sm.counter = zero ? 0 : sm.counter - 1;
        return Status::success;
    }
    if (deadline != 0 && deadline <= platform_.tsc(self.cpu)) return Status::timeout;
    sm.acquire(); // a blocked EC keeps its semaphore; its flow or its caller keeps the EC
    sm.enqueue(&self);
    self.waiting_on = &sm;
    self.deadline = deadline;
    if (deadline != 0) add_timeout(&self);
    settle(self);       // blocks: our SC parks on us until release
    stop_waiting(self); // settle also ends when the EC or its flow was killed meanwhile
    return self.wake_status;
}

// Unblocks an EC waiting in a semaphore; the SCs parked on it become ready again.
void Kernel::release(Ec* ec, Status status, u32 from_cpu)
{
    Sm* sm = ec->waiting_on;
    if (ec->deadline != 0) remove_timeout(ec);
    ec->waiting_on = nullptr;
    ec->deadline = 0;
    ec->wake_status = status;
    unpark_all(ec, from_cpu);
    put(sm);
}

// An EC that stops waiting without a release (it or its flow was killed) leaves the queue and
// lets go of the semaphore. A killed EC stays blocked, and the SCs that ran into it stay parked
// on it. An EC whose flow was killed under it — a handler waiting on behalf of a caller that
// died — is free again, and so are the SCs that waited for it (they were stuck for good).
void Kernel::stop_waiting(Ec& ec)
{
    if (ec.waiting_on == nullptr) return;
    ec.waiting_on->remove(&ec);
    Sc* parked = ec.stopped() ? ec.parked : nullptr;
    if (parked != nullptr) ec.parked = nullptr;
    release(&ec, Status::aborted, ec.cpu);
    if (parked != nullptr) ec.parked = parked;
}

void Kernel::add_timeout(Ec* ec)
{
    Ec** link = &cpus_[ec->cpu].timeouts;
    while (*link != nullptr && (*link)->deadline <= ec->deadline) link = &(*link)->timeout_next;
    ec->timeout_next = *link;
    *link = ec;
    arm_timer(ec->cpu);
}

void Kernel::remove_timeout(Ec* ec)
{
    Ec** link = &cpus_[ec->cpu].timeouts;
    while (*link != ec) link = &(*link)->timeout_next;
    *link = ec->timeout_next;
    ec->timeout_next = nullptr;
}

void Kernel::expire_timeouts(u32 cpu)
{
    Cpu_state& c = cpus_[cpu];
    u64 now = platform_.tsc(cpu);
    while (c.timeouts != nullptr && c.timeouts->deadline <= now) {
        Ec* ec = c.timeouts;
        ec->waiting_on->remove(ec);
        release(ec, Status::timeout, cpu);
    }
}

} // namespace nova
