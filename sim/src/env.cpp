#include "sim/env.hpp"

#include "nova/kernel.hpp"
#include "nova/mtd.hpp"
#include "sim/machine.hpp"
#include "sim/memory_access.hpp"

namespace sim {

using nova::Crd;
using nova::Hypercall;
using nova::Status;
using nova::Sys_regs;

std::uint32_t Env::cpu() const
{
    return ec_.cpu;
}
nova::Utcb& Env::utcb() const
{
    return *static_cast<nova::Utcb*>(ec_.utcb);
}
Userland& Env::userland() const
{
    return machine_.userland();
}

// The frame `syscall` would deliver: the EC's user RIP/RSP stay what they were, so that an
// event during the hypercall (recall) reports where the code is.
Sys_regs Env::frame(Hypercall h, mword sel, std::uint8_t flags) const
{
    Sys_regs r{};
    r.rip = ec_.regs.rip;
    r.rsp = ec_.regs.rsp;
    r.rflags = 0x200;
    r.rdi = Sys_regs::word(h, flags, sel);
    return r;
}

// The kernel returns to a killed EC only so that its code can unwind.
void Env::syscall(Sys_regs& r)
{
    machine_.syscall(ec_, r);
    if (ec_.dead) throw Ec_killed{&ec_};
}

Status Env::status_of(Sys_regs& r)
{
    syscall(r);
    return r.status();
}

Status Env::create_pd(mword sel, Crd caps, mword owner)
{
    Sys_regs r = frame(Hypercall::create_pd, sel);
    r.rsi = owner;
    r.rdx = caps.raw();
    return status_of(r);
}

Status Env::create_ec(Ec_spec const& spec)
{
    Sys_regs r =
        frame(Hypercall::create_ec, spec.sel, spec.global ? nova::flag::create_ec_global : 0);
    r.rsi = spec.owner;
    r.rdx = spec.utcb | spec.cpu;
    r.rax = spec.sp;
    r.r8 = spec.evt;
    return status_of(r);
}

Status Env::create_sc(mword sel, mword ec, nova::Qpd qpd, mword owner)
{
    Sys_regs r = frame(Hypercall::create_sc, sel);
    r.rsi = owner;
    r.rdx = ec;
    r.rax = qpd.raw();
    return status_of(r);
}

Status Env::create_pt(mword sel, mword ec, mword ip, mword mtd, mword owner)
{
    Sys_regs r = frame(Hypercall::create_pt, sel);
    r.rsi = owner;
    r.rdx = ec;
    r.rax = mtd;
    r.r8 = ip;
    return status_of(r);
}

Status Env::create_sm(mword sel, std::uint64_t count, mword owner)
{
    Sys_regs r = frame(Hypercall::create_sm, sel);
    r.rsi = owner;
    r.rdx = count;
    return status_of(r);
}

Status Env::revoke(Crd crd, bool self)
{
    Sys_regs r = frame(Hypercall::revoke, 0, self ? nova::flag::revoke_self : 0);
    r.rsi = crd.raw();
    return status_of(r);
}

Crd Env::lookup(Crd crd)
{
    Sys_regs r = frame(Hypercall::lookup, 0);
    r.rsi = crd.raw();
    syscall(r);
    return Crd{r.rsi};
}

// [C14] leaves RDI alone when a call succeeds, so bits 7:4 may still hold the call's flags;
// a status never has them set.
Status Env::call(mword pt, bool nonblocking)
{
    Sys_regs r = frame(Hypercall::call, pt, nonblocking ? nova::flag::call_disable_blocking : 0);
    syscall(r);
    return static_cast<Status>(r.rdi & 0xf);
}

Status Env::ec_ctrl(mword ec)
{
    Sys_regs r = frame(Hypercall::ec_ctrl, ec);
    return status_of(r);
}

Sc_time Env::sc_ctrl(mword sc)
{
    Sys_regs r = frame(Hypercall::sc_ctrl, sc);
    Status s = status_of(r);
    return Sc_time{s, (r.rsi & 0xffff'ffff) << 32 | (r.rdx & 0xffff'ffff)};
}

Status Env::pt_ctrl(mword pt, mword pid)
{
    Sys_regs r = frame(Hypercall::pt_ctrl, pt);
    r.rsi = pid;
    return status_of(r);
}

Status Env::sm_up(mword sm)
{
    Sys_regs r = frame(Hypercall::sm_ctrl, sm);
    return status_of(r);
}

Status Env::sm_down(mword sm, bool zero, std::uint64_t deadline)
{
    auto flags = static_cast<std::uint8_t>(nova::flag::sm_down | (zero ? nova::flag::sm_zero : 0));
    Sys_regs r = frame(Hypercall::sm_ctrl, sm, flags);
    r.rsi = deadline >> 32;
    r.rdx = deadline & 0xffff'ffff;
    return status_of(r);
}

void Env::set_words(std::initializer_list<mword> words)
{
    nova::Utcb& u = utcb();
    std::size_t i = 0;
    for (mword w : words) u.data[i++] = w;
    u.set_counts(words.size(), 0);
}

mword Env::word(std::size_t i) const
{
    return utcb().data[i];
}
std::size_t Env::words() const
{
    return utcb().untyped();
}

void Env::add_item(Crd crd, mword flags)
{
    nova::Utcb& u = utcb();
    std::size_t i = u.typed();
    u.item_crd(i) = crd.raw();
    u.item_flags(i) = flags;
    u.set_counts(u.untyped(), i + 1);
}

void Env::add_delegate(Crd crd, mword hotspot, mword flags)
{
    add_item(crd, nova::item::delegate | flags | hotspot << 12);
}

void Env::add_translate(Crd crd)
{
    add_item(crd, 0);
}
void Env::set_receive_window(Crd window)
{
    utcb().del = window;
}

void Env::resume_at(mword ip, mword sp)
{
    nova::Utcb_arch& arch = utcb().arch;
    arch.rip = ip;
    arch.rsp = sp;
    arch.mtd = nova::mtd::rip_len | nova::mtd::rsp;
}

std::uint64_t Env::tsc() const
{
    return machine_.engine().tsc(ec_.cpu);
}

// Computing is preemptible: the time passes, then the kernel sees what an interrupt in user
// mode would bring (budget expiry, a wake-up of a higher priority, a recall).
void Env::charge(std::uint64_t cycles)
{
    machine_.engine().charge(ec_.cpu, cycles);
    machine_.preemption_point(ec_);
    if (ec_.dead) throw Ec_killed{&ec_};
}

void Env::raise(std::uint8_t vector, std::uint64_t error_code, std::uint64_t addr)
{
    if (!machine_.exception(ec_, vector, error_code, addr)) throw Ec_killed{&ec_};
}

void Env::read(std::uint64_t addr, void* dst, std::size_t size)
{
    Memory_access memory{machine_.kernel(), machine_.memory(), *ec_.pd};
    while (auto fault = memory.read(addr, dst, size)) raise(vector_page_fault, 0, fault->addr);
}

void Env::write(std::uint64_t addr, void const* src, std::size_t size)
{
    Memory_access memory{machine_.kernel(), machine_.memory(), *ec_.pd};
    while (auto fault = memory.write(addr, src, size)) {
        raise(vector_page_fault, pf_write, fault->addr);
    }
}

} // namespace sim
