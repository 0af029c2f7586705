#include "vmm/vm/vm.hpp"

#include "nova/mtd.hpp"
#include "nova/vmx.hpp"
#include "selectors.hpp"

#include <fmt/format.h>

namespace vmm {

using namespace nova;

using namespace selectors;

Vm::Vm(sim::Machine& machine, Vm_config const& config, Serial_peer& console)
    : machine_{machine}, config_{config}, ram_{machine.memory(), config.first_frame,
                                               config.board.ram_below_4g}
{
    board_ = std::make_unique<Pc_board>(config_.board, *this, *this, *this, console);
    board_->timers().on_deadline_change([this](Nanoseconds deadline) {
        if (deadline < armed_ && current_ != nullptr) current_->sm_up(timer_sm);
    });
}

std::uint32_t Vm::cpu_of(Vcpu_id v) const
{
    return v < config_.vcpu_cpus.size() ? config_.vcpu_cpus[v] : 0;
}

mword Vm::vcpu_sel(Vcpu_id v) const
{
    return vcpu_base + v;
}

void Vm::start(sim::Env& root)
{
    handler_ = std::make_unique<Exit_handler>(*board_, boot_, vcpus());
    create_handlers(root);
    create_portals(root);
    create_timer(root);
    create_console(root);
    create_vcpus(root);
}

void Vm::create_handlers(sim::Env& root)
{
    for (std::uint32_t cpu = 0; cpu < machine_.config().cpus; ++cpu) {
        root.create_ec(
            {.sel = handlers + cpu, .utcb = handler_utcbs + mword{cpu} * page_size, .cpu = cpu});
    }
}

// One portal per vCPU and event, on the handler of the vCPU's CPU; the PID names both.
void Vm::create_portals(sim::Env& root)
{
    mword ip = root.userland().portal([this](sim::Env& h, mword pid) {
        on_exit(h, static_cast<Vcpu_id>(pid >> 16), pid & 0xffff);
    });
    for (Vcpu_id v = 0; v < vcpus(); ++v) {
        for (mword event : Exit_handler::events()) {
            mword sel = portals + 256 * mword{v} + event;
            root.create_pt(sel, handlers + cpu_of(v), ip, Exit_handler::portal_mtd(event));
            root.pt_ctrl(sel, mword{v} << 16 | event);
        }
    }
}

void Vm::create_vcpus(sim::Env& root)
{
    root.create_pd(vm_pd, Crd{Crd::Type::obj, portals, portal_order, perm::all});
    for (Vcpu_id v = 0; v < vcpus(); ++v) {
        Status s = root.create_ec({.sel = vcpu_sel(v),
                                   .utcb = 0,
                                   .cpu = cpu_of(v),
                                   .global = true,
                                   .evt = 256 * mword{v},
                                   .owner = vm_pd});
        if (s != Status::success) {
            return stop(
                fmt::format("vCPU {} cannot be created: {} (is KVM usable?)", v, status_name(s)));
        }
    }
    for (Vcpu_id v = 0; v < vcpus(); ++v) {
        root.create_sc(sc_base + v, vcpu_sel(v), Qpd{config_.quantum_us, config_.prio});
    }
}

void Vm::on_exit(sim::Env& h, Vcpu_id v, mword event)
{
    current_ = &h;
    Exit_effects effects = handler_->handle(v, event, h.utcb().arch);
    if (effects.map_ram) map_ram(h);
    if (effects.failure) stop(*effects.failure);
    flush_recalls(h, v);
    current_ = nullptr;
}

// All guest RAM in aligned power-of-two pieces, guest view only, with the STARTUP reply.
void Vm::map_ram(sim::Env& h)
{
    mword pages = ram_.pages(), first = ram_.first_frame();
    for (mword page = 0; page < pages;) {
        unsigned order = 0;
        while (order < 20 && page % (mword{2} << order) == 0 &&
               (first + page) % (mword{2} << order) == 0 && page + (mword{2} << order) <= pages)
            ++order;
        h.add_delegate(Crd{Crd::Type::mem, first + page, static_cast<u8>(order), perm::all}, page,
                       item::from_kernel | item::guest);
        page += mword{1} << order;
    }
}

void Vm::stop(std::string const& why)
{
    if (!failure_ && !exit_status_) failure_ = why;
    machine_.engine().request_stop(sim::Stop::requested, why);
}

// The exiting vCPU needs no recall: its own exit's injection step has seen what is pending.
void Vm::flush_recalls(sim::Env& env, std::optional<Vcpu_id> exiting)
{
    std::set<Vcpu_id> now;
    now.swap(recalls_);
    for (Vcpu_id v : now) {
        if (v != exiting) env.ec_ctrl(vcpu_sel(v));
    }
}

void Vm::recall(Vcpu_id v)
{
    recalls_.insert(v);
}

void Vm::init(Vcpu_id v)
{
    handler_->init(v);
    recalls_.insert(v);
}

void Vm::startup(Vcpu_id v, u8 vector)
{
    handler_->startup(v, vector);
    recalls_.insert(v);
}

void Vm::request_exit(u64 status)
{
    if (exit_status_ || failure_) return;
    exit_status_ = status;
    machine_.engine().request_stop(sim::Stop::requested,
                                   fmt::format("guest exit status {}", status));
}

void Vm::request_reset(Reset_source source)
{
    stop(fmt::format("the guest reset the machine ({})", source == Reset_source::keyboard_controller
                                                             ? "keyboard controller"
                                                             : "port 0x92"));
}

} // namespace vmm
