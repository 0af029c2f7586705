// The VMM of the vmm_x86 scenario: set-up, the exit handlers, and the end (the VM destroyed
// while its vCPUs are blocked). The timer's script is in vmm_x86_script.cpp.
#include "vmm_x86.hpp"

#include "nova/mtd.hpp"
#include "nova/vmx.hpp"
#include "scenarios/guest_images.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

namespace scenarios::vmm_x86 {

using namespace nova;

namespace {

constexpr mword recall_mtd = mtd::rip_len | mtd::sta | mtd::fpu;
constexpr mword hlt_mtd = mtd::rip_len | mtd::gpr_acdb;
constexpr mword fault_mtd = mtd::rip_len | mtd::qual;
constexpr mword failure_mtd = mtd::rip_len | mtd::qual | mtd::cs_ss | mtd::cr | mtd::gpr_acdb;

struct Handled {
    mword event;
    mword mtd;
};
constexpr Handled handled[] = {
    {vmx::startup, 0},
    {vmx::ept_violation, fault_mtd},
    {vmx::emulation_failure, fault_mtd},
    {vmx::hlt, hlt_mtd},
    {vmx::recall, recall_mtd},
    {vmx::triple_fault, failure_mtd},
    {vmx::invalid_state, failure_mtd},
};

void park(Utcb_arch& a)
{
    a.mtd |= mtd::sta;
    a.actv_state = vmx::activity::hlt;
}

// The architectural reset state, with the exec controls and TSC set-up of the original test.
void reset_state(Utcb_arch& a, unsigned id)
{
    a.mtd = mtd::rip_len | mtd::rflags | mtd::cs_ss | mtd::ds_es | mtd::fs_gs | mtd::tr |
            mtd::ldtr | mtd::gdtr | mtd::idtr | mtd::cr | mtd::gpr_acdb | mtd::dr | mtd::ctrl |
            mtd::tsc | mtd::tsc_aux;
    a.rflags = 2, a.rip = 0xfff0, a.cr0 = 0x10, a.rdx = 0x600, a.dr7 = 0x400;
    a.cs = Utcb_segment{0xf000, 0x9b, 0xffff, 0xffff0000};
    a.ss = a.ds = a.es = a.fs = a.gs = Utcb_segment{0, 0x93, 0xffff, 0};
    a.tr = Utcb_segment{0, 0x8b, 0xffff, 0};
    a.ldtr = Utcb_segment{0, 0x1000, 0xffff, 0};
    a.gdtr = a.idtr = Utcb_segment{0, 0, 0xffff, 0};
    a.ctrl[0] = 1u << 7 | 1u << 3; // HLT exiting, TSC offsetting
    a.ctrl[1] = 1u << 7 | 1u << 3; // unrestricted guest, enable RDTSCP
    a.tsc_aux = 0xaffe'0000 + id;
    a.tsc_off = std::uint64_t{0xff00} << 48;
}

} // namespace

Vmm::Vmm(sim::Machine& machine, Vmm_x86_options const& options, Vmm_x86_result& result)
    : machine_{machine}, options_{options}, result_{result},
      vcpus_{{{0, 0, "ep"}, {1, 0, "ep"}, {2, 1, "second ep"}, {3, 1, "second ep"}}}
{
    // The guest page is a boot module: in the machine's memory before the root runs.
    auto image = guest_vmm_x86();
    std::memcpy(machine_.memory().frame(guest_frame), image.data(), image.size());
}

void Vmm::log(Vcpu& v, std::string const& what)
{
    result_.logs[v.id].push_back(fmt::format("vcpu {} {}: {}", v.id, v.handler, what));
}

void Vmm::error(Vcpu& v, std::string const& what)
{
    std::string line = fmt::format("Error: vcpu {}: {}", v.id, what);
    result_.logs[v.id].push_back(line);
    result_.errors.push_back(line);
}

void Vmm::run_root(sim::Env& root)
{
    create_handlers(root);
    create_portals(root);
    create_vm(root);
    for (int i = 0; i < 4; ++i) root.sm_up(ready_sm); // the VM is complete: STARTUPs may go on
    root.sm_down(finished_sm);
    destroy_vm(root);
    result_.finished = true;
}

void Vmm::create_handlers(sim::Env& root)
{
    root.create_ec({.sel = ep, .utcb = 0x1000'0000, .cpu = 0});
    root.create_ec({.sel = second_ep, .utcb = 0x1000'1000, .cpu = 1});
    root.create_sm(ready_sm);
    root.create_sm(finished_sm);
    root.create_sm(tick_sm);
    // The timer: a global EC on CPU 0, above the vCPUs, started through a portal of "ep".
    constexpr mword timer_evt = 0x3000;
    mword entry = root.userland().entry([this](sim::Env& t) { run_timer(t); });
    mword start = root.userland().portal([entry](sim::Env& h, mword) { h.resume_at(entry, 0); });
    root.create_pt(timer_evt + event::startup, ep, start, mtd::rip_len);
    root.create_ec(
        {.sel = timer_ec, .utcb = 0x1000'2000, .cpu = 0, .global = true, .evt = timer_evt});
    root.create_sc(timer_sc, timer_ec, Qpd{10'000, 2});
}

// 256 portals per vCPU, one for each event it handles; the PID names vCPU and event.
void Vmm::create_portals(sim::Env& root)
{
    mword ip = root.userland().portal([this](sim::Env& h, mword pid) {
        on_exit(h, static_cast<unsigned>(pid >> 16), pid & 0xffff);
    });
    for (Vcpu const& v : vcpus_) {
        for (Handled const& e : handled) {
            mword sel = portal_base + 256 * v.id + e.event;
            root.create_pt(sel, v.cpu == 0 ? ep : second_ep, ip, e.mtd);
            root.pt_ctrl(sel, mword{v.id} << 16 | e.event);
        }
    }
}

void Vmm::create_vm(sim::Env& root)
{
    root.create_pd(vm_pd, Crd{Crd::Type::obj, portal_base, 10, perm::all});
    for (Vcpu& v : vcpus_) {
        Status s = root.create_ec({.sel = vcpu_base + v.id,
                                   .utcb = 0,
                                   .cpu = v.cpu,
                                   .global = true,
                                   .evt = 256 * mword{v.id},
                                   .owner = vm_pd});
        if (s != Status::success) error(v, fmt::format("create_ec: {}", status_name(s)));
        log(v, "created");
    }
    for (Vcpu& v : vcpus_) root.create_sc(sc_base + v.id, vcpu_base + v.id, Qpd{10'000, 1});
}

void Vmm::destroy_vm(sim::Env& root)
{
    for (Vcpu const& v : vcpus_) {
        root.revoke(Crd{Crd::Type::obj, sc_base + v.id, 0, perm::all}, true);
        root.revoke(Crd{Crd::Type::obj, vcpu_base + v.id, 0, perm::all}, true);
    }
    root.revoke(Crd{Crd::Type::obj, vm_pd, 0, perm::all}, true);
}

void Vmm::on_exit(sim::Env& h, unsigned id, mword event)
{
    Vcpu& v = vcpus_.at(id);
    ++v.exits;
    Utcb_arch& a = h.utcb().arch;
    mword seen = a.mtd;
    a.mtd = 0;
    switch (event) {
    case vmx::startup:
        return startup(h, v);
    case vmx::ept_violation:
        return ept_violation(h, v);
    case vmx::emulation_failure:
        return host_failure(h, v);
    case vmx::hlt:
        return halt(h, v);
    case vmx::recall:
        return recall(h, v);
    default:
        error(v, fmt::format("{}. vm exit {:#x} (mtd {:#x}) at ip={:#x}", v.exits, event, seen,
                             a.rip));
        park(a);
    }
}

void Vmm::startup(sim::Env& h, Vcpu& v)
{
    h.sm_down(ready_sm); // held back until the VM is complete
    log(v, fmt::format("{}. vm exit - startup", v.exits));
    reset_state(h.utcb().arch, v.id);
    v.state = Vcpu_state::running;
}

// Only the page at the reset vector exists: it is mapped on its first fault, for all vCPUs.
void Vmm::ept_violation(sim::Env& h, Vcpu& v)
{
    std::uint64_t address = h.utcb().arch.qual[1];
    log(v, fmt::format("{}. vm exit - guest fault address: {:#x}", v.exits, address));
    if (address >> 12 != guest_page) return error(v, fmt::format("fault at {:#x}", address));
    h.add_delegate(Crd{Crd::Type::mem, guest_frame, 0, perm::all}, guest_page,
                   item::from_kernel | item::guest);
}

// The host could not run an instruction. RDTSCP is one on some hosts (PVM): it is skipped, as
// the original does on kernels that cannot disable its intercept.
void Vmm::host_failure(sim::Env& h, Vcpu& v)
{
    Utcb_arch& a = h.utcb().arch;
    static constexpr std::uint8_t rdtscp[] = {0x0f, 0x01, 0xf9};
    if (a.access.insn_len < 3 || !std::equal(rdtscp, rdtscp + 3, a.access.insn))
        return error(
            v, fmt::format("{}. the host cannot run the instruction at ip={:#x}", v.exits, a.rip));
    log(v, fmt::format("{}. vm exit - rdtscp not executed by the host - ip={:#x}", v.exits, a.rip));
    std::string limit = "RDTSCP is not executed by this host's KVM (emulation failure): skipped";
    if (std::find(result_.host_limits.begin(), result_.host_limits.end(), limit) ==
        result_.host_limits.end()) {
        result_.host_limits.push_back(limit);
    }
    v.reported_rdtscp = true; // nothing to report for it
    a.mtd |= mtd::rip_len;
    a.rip += 3;
}

void Vmm::halt(sim::Env& h, Vcpu& v)
{
    Utcb_arch& a = h.utcb().arch;
    if (!v.reported_rdtscp) {
        v.reported_rdtscp = true;
        std::string line = fmt::format("vcpu {}: guest cx={:#x} host={:#x} dx>>16={:#x}", v.id,
                                       a.rcx & 0xffff'ffff, h.cpu(), (a.rdx & 0xffff'ffff) >> 16);
        result_.rdtscp.push_back(line);
        log(v, fmt::format("{}. vm exit - rdtscp {}", v.exits, line));
    }
    log(v, fmt::format("{}. vm exit - halting vCPU - guest called HLT - ip={:#x}", v.exits, a.rip));
    v.state = Vcpu_state::halted;
    park(a);
}

// A recall stops the vCPU, halted or running; what happens then is what the timer asked for.
void Vmm::recall(sim::Env& h, Vcpu& v)
{
    Utcb_arch& a = h.utcb().arch;
    if (v.actions.empty()) {
        error(v, fmt::format("{}. recall nobody asked for at ip={:#x}", v.exits, a.rip));
        return park(a);
    }
    Action action = v.actions.front();
    v.actions.pop_front();
    if (action.kind == Action::Kind::pause) {
        log(v, fmt::format("{}. vm exit - due to pause() request - ip={:#x}", v.exits, a.rip));
        v.state = Vcpu_state::paused;
        return park(a);
    }
    log(v, fmt::format("{}. vm exit - resume vcpu - ip={:#x}", v.exits, a.rip));
    a.mtd |= mtd::rip_len | (action.force_fpu ? mtd::fpu : 0);
    a.rip += action.skip;
    v.state = Vcpu_state::running;
}

} // namespace scenarios::vmm_x86
