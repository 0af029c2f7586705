// IPC through portals ([C14] §4): call, reply, helping, and events — exceptions, STARTUP and
// RECALL — delivered as implicit calls. The callee runs on the caller's flow and SC: the
// platform runs its handler nested in the caller's call, which is NOVA's donation.
#include "nova/kernel.hpp"
#include "nova/mtd.hpp"
#include "nova/vmx.hpp"

namespace nova {

namespace {
constexpr u64 user_rflags = 0x8d5; // CF PF AF ZF SF OF: what a reply may change in RFLAGS
Utcb& utcb_of(Ec& ec)
{
    return *static_cast<Utcb*>(ec.utcb);
}
// A callee serving another caller. A dead one is not busy: it will never serve anyone.
bool busy(Ec const& callee)
{
    return callee.caller != nullptr && !callee.dead;
}
} // namespace

// Following the busy callee's chain back to `self` means helping would wait for itself.
bool Kernel::helping_cycle(Ec& self, Ec& callee) const
{
    Ec* e = &callee;
    for (unsigned steps = 0; e != nullptr && steps < 1'000'000; ++steps) {
        if (e == &self) return true;
        e = e->partner != nullptr ? e->partner : e->helping;
    }
    return false;
}

// One round of waiting for a busy callee: TIMEOUT without blocking, else help it ([C14] §4.5)
// until the scheduler comes back to this EC. Anything may happen meanwhile — the portal or its
// EC may be gone — so after each round the caller looks its portal up again, as the helper in
// [C14] re-executes its hypercall; it holds no reference while it helps.
Status Kernel::help_once(Ec& self, Ec& callee, bool nonblocking)
{
    if (nonblocking) return Status::timeout;
    if (helping_cycle(self, callee)) {
        kill(self); // [C14] kills a livelocked helper
        return Status::aborted;
    }
    self.helping = &callee;
    settle(self);
    self.helping = nullptr;
    return stopped(self) ? Status::aborted : Status::success;
}

void Kernel::rendezvous(Ec& self, Ec& callee, Pt& pt)
{
    callee.acquire(); // the caller's reference while the call lasts
    callee.caller = &self;
    self.partner = &callee;
    callee.regs.rip = pt.ip;
    callee.regs.rdi = pt.pid;
}

// True when the callee replied (the reply dropped the call's reference on it, so it may be gone
// already); false when it died during the call.
bool Kernel::end_rendezvous(Ec& self, Ec& callee)
{
    if (self.partner != &callee) return true;
    self.partner = nullptr;
    callee.caller = nullptr;
    put(&callee);
    return false;
}

// call: RDI selector of a portal (only its type is checked, as in [C14]), flag bit 0 DB.
Status Kernel::sys_call(Ec& self, Sys_regs& r)
{
    bool nonblocking = (r.flags() & flag::call_disable_blocking) != 0;
    for (;;) {
        Pt* pt = nullptr;
        if (Status s = call_portal(self, r.sel(), pt); s != Status::success) return s;
        Ec& callee = *pt->ec;
        if (callee.dead) return Status::timeout;
        if (!busy(callee)) return call(self, callee, *pt);
        if (Status s = help_once(self, callee, nonblocking); s != Status::success) return s;
    }
}

Status Kernel::call_portal(Ec& self, mword sel, Pt*& pt)
{
    pt = cap<Pt>(*self.pd, sel, 0);
    if (pt == nullptr || self.utcb == nullptr) return Status::bad_cap;
    return pt->ec->cpu == self.cpu ? Status::success : Status::bad_cpu;
}

Status Kernel::call(Ec& self, Ec& callee, Pt& pt)
{
    transfer_message(self, callee);
    rendezvous(self, callee, pt);
    platform_.run_handler(self.cpu, callee);
    return end_rendezvous(self, callee) ? Status::success : Status::aborted;
}

// reply: the message (or, for an event, the state its MTD names) goes back to the caller. A
// global EC without a caller just blocks.
Status Kernel::sys_reply(Ec& self, Sys_regs&)
{
    Ec* caller = self.caller;
    if (caller == nullptr) {
        if (self.global) self.finished = true;
        return Status::success;
    }
    // A dead caller gets nothing: an orphan has let go of its UTCB and its PD already.
    if (!caller->dead && caller->in_event) store_event(self, *caller);
    if (!caller->dead && !caller->in_event) transfer_message(self, *caller);
    caller->partner = nullptr;
    self.caller = nullptr;
    put(&self); // the call's reference
    return Status::success;
}

// ec_ctrl: a recall, delivered at the EC's next return to user ([C14] §7.6). A parked vCPU
// wakes up for it.
Status Kernel::sys_ec_ctrl(Ec& self, Sys_regs& r)
{
    Ec* ec = cap<Ec>(*self.pd, r.sel(), perm::ec_ct);
    if (ec == nullptr) return Status::bad_cap;
    if (!ec->recall_pending) {
        ec->recall_pending = true;
        if (ec->halted) {
            wake_vcpu(*ec, self.cpu);
        } else if (ec->cpu != self.cpu) {
            platform_.send_ipi(ec->cpu);
        }
    }
    return Status::success;
}

// Untyped words from the data area, typed items from the end of the page ([C14] §3.4).
void Kernel::transfer_message(Ec& from, Ec& to)
{
    Utcb& src = utcb_of(from);
    Utcb& dst = utcb_of(to);
    usize untyped = min(src.untyped(), Utcb::words);
    usize typed = min(src.typed(), (Utcb::words - untyped) / 2);
    copy_bytes(dst.data, src.data, untyped * sizeof(mword));
    transfer_items(from, src, to, dst, typed, false);
    dst.set_counts(untyped, typed);
    platform_.charge(from.cpu, (untyped + 2 * typed) * config_.cost_ipc_word);
}

// Delegate and translate items go through the one delegation engine. The receiver's items say
// what it got; a reply to an event has no receive window: an implicit window over all memory
// takes the items ([C14] §3.4), and nothing is written back.
void Kernel::transfer_items(Ec& from, Utcb& src, Ec& to, Utcb& dst, usize count, bool to_event)
{
    Crd del = to_event ? Crd{Crd::Type::mem, 0, 31, perm::all} : dst.del;
    for (usize i = 0; i < count; ++i) {
        Crd crd{src.item_crd(i)};
        mword flags = src.item_flags(i);
        Crd got{};
        if ((flags & item::delegate) != 0) {
            Delegation d{crd,
                         del,
                         item::hotspot(flags),
                         (flags & item::dma) != 0,
                         (flags & item::guest) != 0,
                         (flags & item::from_kernel) != 0};
            got = delegate(*from.pd, *to.pd, d);
        } else if (!to_event) {
            got = translate(*from.pd, *to.pd, crd, dst.xlt);
        }
        if (!to_event) {
            dst.item_crd(i) = got.raw();
            dst.item_flags(i) = flags;
        }
    }
}

namespace {

void load_host_state(Sys_regs const& r, Utcb_arch& a, mword m)
{
    if (m & mtd::gpr_acdb) a.rax = r.rax, a.rcx = r.rcx, a.rdx = r.rdx, a.rbx = r.rbx;
    if (m & mtd::gpr_bsd) a.rbp = r.rbp, a.rsi = r.rsi, a.rdi = r.rdi;
    if (m & mtd::rsp) a.rsp = r.rsp;
    if (m & mtd::rip_len) a.rip = r.rip, a.inst_len = 0;
    if (m & mtd::rflags) a.rflags = r.rflags;
    if (m & mtd::r8_r15) {
        a.r8 = r.r8, a.r9 = r.r9, a.r10 = r.r10, a.r11 = r.r11;
        a.r12 = r.r12, a.r13 = r.r13, a.r14 = r.r14, a.r15 = r.r15;
    }
}

// A host EC's RFLAGS keeps its system flags: a reply changes only the arithmetic ones.
void store_host_state(Utcb_arch const& a, Sys_regs& r, mword m)
{
    if (m & mtd::gpr_acdb) r.rax = a.rax, r.rcx = a.rcx, r.rdx = a.rdx, r.rbx = a.rbx;
    if (m & mtd::gpr_bsd) r.rbp = a.rbp, r.rsi = a.rsi, r.rdi = a.rdi;
    if (m & mtd::rsp) r.rsp = a.rsp;
    if (m & mtd::rip_len) r.rip = a.rip;
    if (m & mtd::rflags) r.rflags = (r.rflags & ~user_rflags) | (a.rflags & user_rflags);
    if (m & mtd::r8_r15) {
        r.r8 = a.r8, r.r9 = a.r9, r.r10 = a.r10, r.r11 = a.r11;
        r.r12 = a.r12, r.r13 = a.r13, r.r14 = a.r14, r.r15 = a.r15;
    }
}

} // namespace

// The state the portal's MTD names goes into the handler's UTCB ([C14] §7.1, §7.8): a host EC's
// from its register frame, a vCPU's from the platform, which holds it.
void Kernel::load_event(Ec& self, Utcb& dst, mword m, mword event)
{
    Utcb_arch& a = dst.arch;
    a.mtd = m;
    a.exit_reason = static_cast<u32>(event);
    if (m & mtd::qual) a.qual[0] = self.qual[0], a.qual[1] = self.qual[1];
    if (self.is_vcpu()) {
        platform_.vcpu_load(self, m, a);
    } else {
        load_host_state(self.regs, a, m);
    }
    dst.set_counts(sizeof(Utcb_arch) / sizeof(mword), 0);
    platform_.charge(self.cpu, u64{bit_count(m)} * 4 * config_.cost_ipc_word);
}

// The reply's MTD names the state written back into the EC that took the event.
void Kernel::store_event(Ec& handler, Ec& target)
{
    Utcb& src = utcb_of(handler);
    if (target.is_vcpu()) {
        store_vcpu_event(src.arch, target);
    } else {
        store_host_state(src.arch, target.regs, src.arch.mtd);
    }
    transfer_items(handler, src, target, src, src.typed(), true);
}

// The portal an event of `self` goes to, if it is usable: a portal on the EC's own CPU.
Pt* Kernel::event_portal(Ec& self, mword event)
{
    Pt* pt = cap<Pt>(*self.pd, self.evt + event, 0);
    if (pt == nullptr || pt->ec->cpu != self.cpu || pt->ec->utcb == nullptr) return nullptr;
    return pt;
}

// The event portal once its handler is free (helping it until then), or nullptr when there is
// none, its handler is dead, or this EC was stopped while it helped.
Pt* Kernel::free_event_portal(Ec& self, mword event)
{
    for (;;) {
        Pt* pt = event_portal(self, event);
        if (pt == nullptr || pt->ec->dead) return nullptr;
        if (!busy(*pt->ec)) return pt;
        if (help_once(self, *pt->ec, false) != Status::success) return nullptr;
    }
}

// An implicit call to the portal at evt + event. Without a usable portal on this CPU the EC is
// killed, as is one whose handler dies ([C14] §4.6).
bool Kernel::deliver_event(Ec& self, mword event)
{
    // An entry that waited while another CPU killed the EC delivers nothing: a killed EC takes
    // no more events (and an orphan may not look at its PD any more).
    if (self.dead) return false;
    Pt* pt = free_event_portal(self, event);
    if (pt == nullptr) {
        kill(self);
        return false;
    }
    Ec& handler = *pt->ec;
    load_event(self, utcb_of(handler), pt->mtd, event);
    self.in_event = true;
    rendezvous(self, handler, *pt);
    platform_.run_handler(self.cpu, handler);
    self.in_event = false;
    if (!end_rendezvous(self, handler)) {
        kill(self);
        return false;
    }
    settle(self);
    return true;
}

// A killed EC never runs again: one blocked in a semaphore leaves it.
void Kernel::kill(Ec& ec)
{
    ec.dead = true;
    stop_waiting(ec);
}

bool Kernel::start_flow(Ec& self)
{
    if (!self.flow_running) {
        self.flow_running = true;
        self.acquire(); // the flow's own reference
    }
    enter(self, config_.cost_hypercall);
    if (self.startup_pending) {
        self.startup_pending = false;
        if (!deliver_event(self, self.is_vcpu() ? vmx::startup : event::startup)) return false;
    }
    reap();
    leave(self);
    return !self.dead;
}

bool Kernel::exception(Ec& self, u8 vector, u64 error_code, u64 fault_addr)
{
    enter(self, config_.cost_hypercall);
    self.qual[0] = error_code;
    self.qual[1] = fault_addr;
    bool handled = deliver_event(self, vector);
    reap();
    if (handled) leave(self);
    return handled && !self.dead;
}

void Kernel::end_flow(Ec& self)
{
    self.finished = true;
    if (self.flow_running) {
        self.flow_running = false;
        if (self.orphaned) --orphaned_flows_;
        put(&self);
    }
    reap();
}

} // namespace nova
