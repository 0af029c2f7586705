#include "components.hpp"

#include "machine_target.hpp"
#include "nova/mtd.hpp"
#include "program_run.hpp"

#include <fmt/format.h>

namespace fuzzprog {

namespace {

using nova::Status;

constexpr std::uint64_t startup_portal = 0x1e; // evt + 0x1e: STARTUP ([C14] §5)
constexpr std::uint64_t thread_sp = 0x7000'0000;

std::uint64_t value(hcl::Instruction const& instruction, std::string_view name)
{
    return hcl::operand_value(instruction.call, name);
}

// The first status that is not SUCCESS, in order.
Status first_failure(std::initializer_list<Status> statuses)
{
    for (Status status : statuses) {
        if (status != Status::success) return status;
    }
    return Status::success;
}

// How the output names a declared component: its name, or its selector when written as a number.
std::string display_name(hcl::Instruction const& instruction)
{
    if (!instruction.names[0].empty()) return instruction.names[0];
    return fmt::format("ec{}", instruction.call.selector);
}

} // namespace

Components::Components(Program_run& run, sim::Machine& machine) : run_{run}, machine_{machine}
{
    startup_ip_ = machine.userland().portal([this](sim::Env& handler, sim::mword pid) {
        handler.resume_at(entries_.at(pid), thread_sp);
    });
}

hcl::Outcome Components::declare(hcl::Instruction const& instruction, sim::Env& root)
{
    Status status = Status::success;
    switch (*instruction.call.form->declaration) {
    case hcl::Declaration::slot:
        break;
    case hcl::Declaration::ec:
        status = declare_ec(instruction, root);
        break;
    case hcl::Declaration::portal:
        status = declare_portal(instruction, root);
        break;
    case hcl::Declaration::thread:
        status = declare_thread(instruction, root);
        break;
    }
    return {status, {}, {}};
}

Status Components::declare_ec(hcl::Instruction const& instruction, sim::Env& root)
{
    std::uint64_t sel = instruction.call.selector;
    Status status = root.create_ec({.sel = sel,
                                    .utcb = next_utcb(),
                                    .cpu = static_cast<std::uint32_t>(value(instruction, "cpu")),
                                    .owner = value(instruction, "owner")});
    if (status == Status::success) set_window(sel, value(instruction, "window"));
    ec_names_[sel] = display_name(instruction);
    return status;
}

Status Components::declare_portal(hcl::Instruction const& instruction, sim::Env& root)
{
    std::uint64_t sel = instruction.call.selector;
    std::uint64_t ec = value(instruction, "ec");
    sim::mword ip =
        machine_.userland().portal([this, &instruction, ec](sim::Env& handler, sim::mword) {
            Actor actor{ec_name(ec), handler, true};
            run_.run_block(instruction.block, actor);
        });
    Status created = root.create_pt(sel, ec, ip, value(instruction, "mtd"));
    std::uint64_t pid = value(instruction, "pid");
    if (created != Status::success || pid == 0) return created;
    return root.pt_ctrl(sel, pid);
}

Status Components::declare_thread(hcl::Instruction const& instruction, sim::Env& root)
{
    std::uint64_t index = threads_.size();
    std::uint64_t done = thread_done_base + index;
    Status made = root.create_sm(done);
    entries_.push_back(machine_.userland().entry([this, &instruction, done](sim::Env& env) {
        Actor actor{display_name(instruction), env, false};
        run_.run_block(instruction.block, actor);
        env.sm_up(done);
    }));
    Status started = start_thread(instruction, root, thread_evt_base + 0x100 * index);
    if (started == Status::success) threads_.push_back({display_name(instruction), done});
    return first_failure({made, started});
}

Status Components::start_thread(hcl::Instruction const& instruction, sim::Env& root,
                                std::uint64_t evt)
{
    auto cpu = static_cast<std::uint32_t>(value(instruction, "cpu"));
    std::uint64_t sel = instruction.call.selector;
    Status prepared = prepare_cpu(cpu, root);
    Status portal = root.create_pt(evt + startup_portal, startup_handler_base + cpu, startup_ip_,
                                   nova::mtd::rip_len);
    Status pid = root.pt_ctrl(evt + startup_portal, entries_.size() - 1);
    Status ec =
        root.create_ec({.sel = sel, .utcb = next_utcb(), .cpu = cpu, .global = true, .evt = evt});
    if (ec == Status::success) set_window(sel, value(instruction, "window"));
    nova::Qpd qpd{value(instruction, "quantum"), static_cast<nova::u8>(value(instruction, "prio"))};
    Status sc = root.create_sc(sel + 1, sel, qpd);
    return first_failure({prepared, portal, pid, ec, sc});
}

// The local EC on `cpu` that serves the STARTUP portals of the threads there.
Status Components::prepare_cpu(std::uint32_t cpu, sim::Env& root)
{
    auto it = cpus_prepared_.find(cpu);
    if (it != cpus_prepared_.end()) return it->second;
    Status status =
        root.create_ec({.sel = startup_handler_base + cpu, .utcb = next_utcb(), .cpu = cpu});
    cpus_prepared_[cpu] = status;
    return status;
}

void Components::set_window(std::uint64_t ec, std::uint64_t window)
{
    nova::Ec* object = Machine_target::object_at<nova::Ec>(machine_, ec);
    if (object == nullptr || window == 0 || object->utcb == nullptr) return;
    sim::Env(machine_, *object).set_receive_window(nova::Crd{window});
}

void Components::wait_for_threads(sim::Env& root, std::uint64_t cycles, std::ostream& out)
{
    for (Thread const& thread : threads_) {
        Status status = root.sm_down(thread.done, false, root.tsc() + cycles);
        if (status != Status::success) {
            out << fmt::format("{}: did not finish within {} cycles (blocked or killed)\n",
                               thread.name, cycles);
        }
    }
}

std::string Components::ec_name(std::uint64_t selector) const
{
    auto it = ec_names_.find(selector);
    return it == ec_names_.end() ? fmt::format("ec{}", selector) : it->second;
}

} // namespace fuzzprog
