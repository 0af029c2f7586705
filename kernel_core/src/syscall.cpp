// The hypercall entry and the handlers of [C14] §2.3. Each handler decodes its registers,
// checks the capabilities it needs and returns one status; outputs go to the registers [C14]
// names. Hypercalls that later issues implement answer BAD_HYP until then.
#include "nova/kernel.hpp"

namespace nova {

void Kernel::syscall(Ec& self, Sys_regs& r)
{
    enter(self, config_.cost_hypercall);
    // The entry may have waited while another CPU killed this EC, or the EC whose flow it runs
    // on: a stopped EC runs no more hypercalls (an orphan has let go of its PD already). Its
    // code unwinds instead; a handler's call ends as its caller's flow does.
    if (stopped(self)) {
        r.set_status(Status::aborted);
        return;
    }
    self.regs = r;
    Hypercall number = r.number(); // before the status overwrites RDI
    bool serving = self.caller != nullptr;
    Status status = handle(self, r);
    // [C14] leaves RDI alone on a successful call: the caller sees its own low byte.
    if (number != Hypercall::call || status != Status::success) r.set_status(status);
    reap();
    // A reply returns to the platform, which resumes the caller's call, not to user mode.
    if (number == Hypercall::reply && serving) return;
    leave(self);
}

Status Kernel::handle(Ec& self, Sys_regs& r)
{
    switch (r.number()) {
    case Hypercall::call:
        return sys_call(self, r);
    case Hypercall::reply:
        return sys_reply(self, r);
    case Hypercall::ec_ctrl:
        return sys_ec_ctrl(self, r);
    case Hypercall::sm_ctrl:
        return sys_sm_ctrl(self, r);
    case Hypercall::create_pd:
        return sys_create_pd(self, r);
    case Hypercall::create_ec:
        return sys_create_ec(self, r);
    case Hypercall::create_sc:
        return sys_create_sc(self, r);
    case Hypercall::create_pt:
        return sys_create_pt(self, r);
    case Hypercall::create_sm:
        return sys_create_sm(self, r);
    case Hypercall::revoke:
        return sys_revoke(self, r);
    case Hypercall::lookup:
        return sys_lookup(self, r);
    case Hypercall::sc_ctrl:
        return sys_sc_ctrl(self, r);
    case Hypercall::pt_ctrl:
        return sys_pt_ctrl(self, r);
    default:
        return Status::bad_hyp;
    }
}

Status Kernel::install(Pd& pd, mword sel, Kobject* obj, u8 perms)
{
    Mdb_node* node = new_node(pd.obj, pd.obj.wrap(sel), 0, reinterpret_cast<mword>(obj), perms, 0);
    if (node != nullptr && enter(node)) return Status::success;
    destroy(obj); // nobody has seen it yet
    reap();
    return Status::oom;
}

// create_pd: RSI owner PD (needs PD), RDX CRD of object capabilities for the new PD. The new PD's
// capability carries the owner capability's permissions.
Status Kernel::sys_create_pd(Ec& self, Sys_regs& r)
{
    Pd& caller = *self.pd;
    u8 perms = 0;
    if (cap<Pd>(caller, r.rsi, perm::pd_pd, &perms) == nullptr) return Status::bad_cap;
    if (caller.obj.lookup(r.sel()) != nullptr) return Status::bad_cap;
    Pd* pd = make<Pd>(config_.sel_bits);
    if (pd == nullptr) return Status::oom;
    if (Status s = install(caller, r.sel(), pd, perms); s != Status::success) return s;
    Status delegated = Status::success;
    delegate(caller, *pd, Delegation{Crd{r.rdx}, Crd{Crd::Type::obj, 0, 31, perm::all}},
             &delegated);
    if (delegated != Status::success) {
        // Out of memory half-way: the new PD goes again, with whatever it had received.
        revoke_all(caller.obj.lookup(r.sel()));
        reap();
    }
    return delegated;
}

// create_ec: RSI owner PD (needs EC), RDX UTCB address | CPU, RAX initial SP, R8 event base,
// flag G. Without a UTCB the EC is a vCPU, which needs VMX.
Status Kernel::sys_create_ec(Ec& self, Sys_regs& r)
{
    Pd& caller = *self.pd;
    mword cpu = r.rdx & (page_size - 1);
    mword utcb_addr = r.rdx & ~(page_size - 1);
    if (!hip_->cpu_online(cpu)) return Status::bad_cpu;
    Pd* owner = cap<Pd>(caller, r.rsi, perm::pd_ec);
    if (owner == nullptr) return Status::bad_cap;
    if (utcb_addr == 0 && (hip_->api_flg & Hip::feature_vmx) == 0) return Status::bad_ftr;
    if (utcb_addr >= user_addr || (utcb_addr != 0 && owner->mem.lookup(utcb_addr >> page_bits))) {
        return Status::bad_par;
    }
    if (caller.obj.lookup(r.sel()) != nullptr) return Status::bad_cap;
    void* utcb = nullptr;
    if (utcb_addr != 0) {
        utcb = map_kernel_page(*owner, utcb_addr, perm::mem_r | perm::mem_w);
        if (utcb == nullptr) return Status::oom;
    }
    bool global = (r.flags() & flag::create_ec_global) != 0;
    Ec* ec =
        make<Ec>(Ec::Params{owner, static_cast<u32>(cpu), global, utcb_addr, utcb, r.rax, r.r8});
    if (ec == nullptr) {
        if (utcb != nullptr) unmap_kernel_page(*owner, utcb_addr, utcb);
        return Status::oom;
    }
    owner->acquire();
    if (ec->is_vcpu() && !platform_.vcpu_create(*ec)) {
        destroy(ec); // nobody has seen it yet
        reap();
        return Status::bad_ftr;
    }
    return install(caller, r.sel(), ec, initial_perm::ec);
}

// create_sc: RSI owner PD (needs SC), RDX EC (needs bind-SC, must be global), RAX QPD.
Status Kernel::sys_create_sc(Ec& self, Sys_regs& r)
{
    Pd& caller = *self.pd;
    if (cap<Pd>(caller, r.rsi, perm::pd_sc) == nullptr) return Status::bad_cap;
    Ec* ec = cap<Ec>(caller, r.rdx, perm::ec_sc);
    if (ec == nullptr || !ec->accepts_sc()) return Status::bad_cap;
    Qpd qpd{r.rax};
    if (qpd.prio() == 0 || qpd.prio() > Sc::max_prio || qpd.quantum_us() == 0) {
        return Status::bad_par;
    }
    if (caller.obj.lookup(r.sel()) != nullptr) return Status::bad_cap;
    Sc* sc = make<Sc>(ec, ec->cpu, qpd.prio(), u64{qpd.quantum_us()}, us_to_tsc(qpd.quantum_us()));
    if (sc == nullptr) return Status::oom;
    ec->acquire();
    ++ec->bound_scs;
    Status s = install(caller, r.sel(), sc, initial_perm::sc);
    if (s != Status::success) return s;
    // The first SC of a thread or vCPU starts it through its STARTUP portal ([C14] §1.1).
    if (ec->bound_scs == 1) ec->startup_pending = true;
    make_ready(sc, self.cpu);
    return Status::success;
}

// create_pt: RSI owner PD (needs PT), RDX EC (needs bind-PT, must be local), RAX MTD, R8 IP.
Status Kernel::sys_create_pt(Ec& self, Sys_regs& r)
{
    Pd& caller = *self.pd;
    if (cap<Pd>(caller, r.rsi, perm::pd_pt) == nullptr) return Status::bad_cap;
    Ec* ec = cap<Ec>(caller, r.rdx, perm::ec_pt);
    if (ec == nullptr || !ec->accepts_pt()) return Status::bad_cap;
    if (caller.obj.lookup(r.sel()) != nullptr) return Status::bad_cap;
    Pt* pt = make<Pt>(ec, mword{r.rax}, mword{r.r8});
    if (pt == nullptr) return Status::oom;
    ec->acquire();
    ++ec->bound_pts;
    return install(caller, r.sel(), pt, initial_perm::pt);
}

// create_sm: RSI owner PD (needs SM), RDX initial counter.
Status Kernel::sys_create_sm(Ec& self, Sys_regs& r)
{
    Pd& caller = *self.pd;
    if (cap<Pd>(caller, r.rsi, perm::pd_sm) == nullptr) return Status::bad_cap;
    if (caller.obj.lookup(r.sel()) != nullptr) return Status::bad_cap;
    Sm* sm = make<Sm>(u64{r.rdx});
    if (sm == nullptr) return Status::oom;
    return install(caller, r.sel(), sm, initial_perm::sm);
}

// revoke: RSI CRD (the rights to remove), flag bit 0 self. Never fails.
Status Kernel::sys_revoke(Ec& self, Sys_regs& r)
{
    revoke(*self.pd, Crd{r.rsi}, (r.flags() & flag::revoke_self) != 0);
    return Status::success;
}

// lookup: RSI CRD in, RSI the full CRD of the mapping that contains its base (or null) out.
Status Kernel::sys_lookup(Ec& self, Sys_regs& r)
{
    r.rsi = lookup(*self.pd, Crd{r.rsi}).raw();
    return Status::success;
}

// sc_ctrl: the SC's consumed time in µs, RSI = bits 63:32, RDX = bits 31:0.
Status Kernel::sys_sc_ctrl(Ec& self, Sys_regs& r)
{
    Sc* sc = cap<Sc>(*self.pd, r.sel(), perm::sc_ct);
    if (sc == nullptr) return Status::bad_cap;
    u64 us = tsc_to_us(sc->consumed_tsc);
    r.rsi = us >> 32;
    r.rdx = us & 0xffff'ffff;
    return Status::success;
}

// pt_ctrl: RSI the new portal id.
Status Kernel::sys_pt_ctrl(Ec& self, Sys_regs& r)
{
    Pt* pt = cap<Pt>(*self.pd, r.sel(), perm::pt_ct);
    if (pt == nullptr) return Status::bad_cap;
    pt->pid = r.rsi;
    return Status::success;
}

} // namespace nova
