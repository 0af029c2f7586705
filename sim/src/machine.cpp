#include "sim/machine.hpp"

#include <fmt/format.h>

namespace sim {

namespace {

Engine_config engine_config(Machine_config const& c)
{
    return Engine_config{c.cpus, c.ipi_latency, c.ipi_jitter, c.seed, c.stack_bytes, c.pace};
}

} // namespace

Machine::Machine(Machine_config const& config)
    : config_{config}, memory_{config.ram_bytes, config.kernel_bytes}, log_{config.keep_events,
                                                                            config.log_events},
      engine_{engine_config(config), log_}, platform_{memory_}, userland_{*this}
{
    std::uint64_t kernel_base = memory_.kernel_first_frame() << 12;
    memory_map_.push_back({0, kernel_base, nova::Hip_mem::ram, 0});
    memory_map_.push_back(
        {kernel_base, memory_.size() - kernel_base, nova::Hip_mem::hypervisor, 0});
    platform_.attach(engine_);
    if (config_.vcpu_backend) {
        vcpus_ = config_.vcpu_backend(*this);
        platform_.attach(vcpus_.get());
    }
    kernel_ = std::make_unique<nova::Kernel>(platform_, boot_config());
    engine_.bind(*kernel_, userland_);
    boot_status_ = kernel_->boot();
    if (boot_status_ == nova::Status::success) log_.name_new(&kernel_->root_ec());
}

// Flows unwind while the kernel and the user land they ran on still exist.
Machine::~Machine()
{
    engine_.discard_flows();
}

nova::Boot_config Machine::boot_config() const
{
    nova::Boot_config boot{};
    boot.cpus = config_.cpus;
    boot.tsc_khz = config_.tsc_khz;
    boot.sel_bits = config_.sel_bits;
    boot.gsis = config_.gsis;
    boot.vmx = config_.vmx || vcpus_ != nullptr;
    boot.memory = memory_map_.data();
    boot.memory_count = static_cast<std::uint32_t>(memory_map_.size());
    boot.cost_hypercall = config_.cost_hypercall;
    boot.cost_ipc_word = config_.cost_ipc_word;
    boot.cost_switch = config_.cost_switch;
    return boot;
}

void Machine::syscall(nova::Ec& ec, nova::Sys_regs& regs)
{
    std::uint64_t id = log_.id_of(&ec);
    auto number = static_cast<std::uint64_t>(regs.number());
    nova::mword sel = regs.sel();
    log_.record(Event{Event::Kind::hypercall_entry, ec.cpu, engine_.tsc(ec.cpu), id, number});
    kernel_->syscall(ec, regs);
    auto status = static_cast<std::uint64_t>(regs.status());
    log_.record(
        Event{Event::Kind::hypercall_exit, ec.cpu, engine_.tsc(ec.cpu), id, number, status});
    if (number == static_cast<std::uint64_t>(nova::Hypercall::create_ec)) {
        name_created_ec(ec, regs, sel);
    }
    if (config_.check_every_entry) {
        check_after_entry(nova::hypercall_name(static_cast<nova::Hypercall>(number)));
    }
}

// A new EC gets the next log id now, so ids follow creation order even where the host reuses
// an address.
void Machine::name_created_ec(nova::Ec& creator, nova::Sys_regs const& regs, nova::mword sel)
{
    if (regs.status() != nova::Status::success) return;
    nova::Mdb_node* node = creator.pd->obj.lookup(sel);
    auto* obj = node == nullptr ? nullptr : reinterpret_cast<nova::Kobject*>(node->resource());
    if (auto* ec = nova::object_cast<nova::Ec>(obj)) log_.name_new(ec);
}

void Machine::check_after_entry(char const* what)
{
    if (!config_.check_every_entry) return;
    nova::Check_result c = kernel_->check();
    if (!c.ok()) {
        throw Invariant_broken(fmt::format("after {}: invariant broken: {} (at {}, detail {:#x})",
                                           what, c.invariant, c.where, c.detail));
    }
}

void Machine::preemption_point(nova::Ec& ec)
{
    kernel_->preemption_point(ec);
    check_after_entry("a preemption point");
}

bool Machine::exception(nova::Ec& ec, std::uint8_t vector, std::uint64_t error_code,
                        std::uint64_t addr)
{
    std::uint64_t id = log_.id_of(&ec);
    log_.record(Event{Event::Kind::exception_entry, ec.cpu, engine_.tsc(ec.cpu), id, vector, addr});
    bool handled = kernel_->exception(ec, vector, error_code, addr);
    log_.record(
        Event{Event::Kind::exception_exit, ec.cpu, engine_.tsc(ec.cpu), id, vector, handled});
    check_after_entry("an exception");
    return handled;
}

nova::Status Machine::hypercall_as_root(nova::Sys_regs& regs)
{
    syscall(kernel_->root_ec(), regs);
    return regs.status();
}

Run_result Machine::run(Limits const& limits)
{
    return engine_.run(limits);
}

Run_result Machine::run(Userland::Entry root_main, Limits const& limits)
{
    userland_.set_root(std::move(root_main));
    engine_.root_on_fiber();
    return engine_.run(limits);
}

} // namespace sim
