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
constexpr std::uint64_t root_pd = 32;

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
    startup_ip_ = machine.userland().portal(
        [this](sim::Env& handler, sim::mword pid) { startup(handler, pid); });
    run_.add_handler(startup_ip_);
}

// The STARTUP handler of every thread: the PID names the thread, whose entry the reply makes
// its RIP. A PID that names no thread (a program may change it) leaves RIP where it is.
void Components::startup(sim::Env& handler, sim::mword pid)
{
    Entry const& entry = pid < entries_.size() ? entries_[pid] : entries_.front();
    run_.handler_started(handler, *entry.declaration);
    if (pid < entries_.size()) handler.resume_at(entry.ip, thread_sp);
    run_.handler_finished(handler);
}

nova::Status Components::make(sim::Env& env, hcl::Instruction const& declaration,
                              std::string_view mnemonic, std::uint64_t selector, Operands operands,
                              std::uint8_t flags)
{
    hcl::Call call = hcl::blank_call(*hcl::find_form(mnemonic));
    call.selector = selector;
    call.flags = flags;
    for (auto const& [name, operand] : operands) {
        call.operands[call.form->operand_index(name).value()] = operand;
    }
    nova::Sys_regs frame = frame_for(env, call);
    return run_.hypercall(env, frame, declaration);
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
    Status status = make(root, instruction, "create_ec", sel,
                         {{"owner", value(instruction, "owner")},
                          {"utcb", next_utcb()},
                          {"cpu", value(instruction, "cpu")}});
    if (status == Status::success) set_windows(sel, instruction);
    ec_names_[sel] = display_name(instruction);
    return status;
}

Status Components::declare_portal(hcl::Instruction const& instruction, sim::Env& root)
{
    std::uint64_t sel = instruction.call.selector;
    std::uint64_t ec = value(instruction, "ec");
    sim::mword ip =
        machine_.userland().portal([this, &instruction, ec](sim::Env& handler, sim::mword) {
            run_.handler_started(handler, instruction);
            Actor actor{ec_name(ec), handler, true};
            run_.run_block(instruction.block, actor);
            run_.handler_finished(handler);
        });
    run_.add_handler(ip);
    Status created =
        make(root, instruction, "create_pt", sel,
             {{"owner", root_pd}, {"ec", ec}, {"mtd", value(instruction, "mtd")}, {"ip", ip}});
    std::uint64_t pid = value(instruction, "pid");
    if (created != Status::success || pid == 0) return created;
    return make(root, instruction, "pt_ctrl", sel, {{"pid", pid}});
}

Status Components::declare_thread(hcl::Instruction const& instruction, sim::Env& root)
{
    std::uint64_t index = threads_.size();
    std::uint64_t done = thread_done_base + index;
    Status made = make(root, instruction, "create_sm", done, {{"owner", root_pd}});
    sim::mword ip = machine_.userland().entry([this, &instruction, done](sim::Env& env) {
        Actor actor{display_name(instruction), env, false};
        run_.run_block(instruction.block, actor);
        make(env, instruction, "sm_up", done, {});
    });
    entries_.push_back({ip, &instruction});
    Status started = start_thread(instruction, root, thread_evt_base + 0x100 * index);
    if (started == Status::success)
        threads_.push_back({display_name(instruction), done, &instruction});
    return first_failure({made, started});
}

Status Components::start_thread(hcl::Instruction const& instruction, sim::Env& root,
                                std::uint64_t evt)
{
    std::uint64_t cpu = value(instruction, "cpu");
    std::uint64_t sel = instruction.call.selector;
    Status prepared = prepare_cpu(instruction, static_cast<std::uint32_t>(cpu), root);
    Status portal = make(root, instruction, "create_pt", evt + startup_portal,
                         {{"owner", root_pd},
                          {"ec", startup_handler_base + cpu},
                          {"mtd", nova::mtd::rip_len},
                          {"ip", startup_ip_}});
    Status pid =
        make(root, instruction, "pt_ctrl", evt + startup_portal, {{"pid", entries_.size() - 1}});
    Status ec = make(root, instruction, "create_ec", sel,
                     {{"owner", root_pd}, {"utcb", next_utcb()}, {"cpu", cpu}, {"evt", evt}},
                     nova::flag::create_ec_global);
    if (ec == Status::success) set_windows(sel, instruction);
    Status sc = make(root, instruction, "create_sc", sel + 1,
                     {{"owner", root_pd},
                      {"ec", sel},
                      {"prio", value(instruction, "prio")},
                      {"quantum", value(instruction, "quantum")}});
    return first_failure({prepared, portal, pid, ec, sc});
}

// The local EC on `cpu` that serves the STARTUP portals of the threads there.
Status Components::prepare_cpu(hcl::Instruction const& instruction, std::uint32_t cpu,
                               sim::Env& root)
{
    auto it = cpus_prepared_.find(cpu);
    if (it != cpus_prepared_.end()) return it->second;
    Status status = make(root, instruction, "create_ec", startup_handler_base + cpu,
                         {{"owner", root_pd}, {"utcb", next_utcb()}, {"cpu", cpu}});
    cpus_prepared_[cpu] = status;
    return status;
}

// The receive windows a declaration gives its EC: `window` for delegations, `xlt` for
// translations.
void Components::set_windows(std::uint64_t ec, hcl::Instruction const& instruction)
{
    nova::Ec* object = Machine_target::object_at<nova::Ec>(machine_, ec);
    if (object == nullptr || object->utcb == nullptr) return;
    auto& utcb = *static_cast<nova::Utcb*>(object->utcb);
    if (std::uint64_t del = value(instruction, "window"); del != 0) utcb.del = nova::Crd{del};
    if (std::uint64_t xlt = value(instruction, "xlt"); xlt != 0) utcb.xlt = nova::Crd{xlt};
}

void Components::wait_for_threads(sim::Env& root, std::uint64_t cycles, std::ostream& out)
{
    for (Thread const& thread : threads_) {
        Status status = make(root, *thread.declaration, "sm_down", thread.done,
                             {{"deadline", root.tsc() + cycles}});
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
